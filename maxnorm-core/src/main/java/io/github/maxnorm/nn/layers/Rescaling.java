package io.github.maxnorm.nn.layers;

import io.github.maxnorm.nn.Config;
import io.github.maxnorm.nn.ForwardContext;
import io.github.maxnorm.tensor.Tensor;
import java.util.Map;

/** {@code x * scale + offset}, e.g. {@code new Rescaling(1 / 255.0)} in front of an image model. */
public final class Rescaling extends BaseLayer<Rescaling> {
  private final double scale;
  private final double offset;

  public Rescaling(double scale) {
    this(scale, 0);
  }

  public Rescaling(double scale, double offset) {
    super("Rescaling");
    if (!Double.isFinite(scale) || !Double.isFinite(offset)) {
      throw new IllegalArgumentException(
          "Rescaling: scale and offset must be finite, received " + scale + " and " + offset);
    }
    this.scale = scale;
    this.offset = offset;
  }

  @Override
  protected Tensor call(Tensor x, ForwardContext ctx) {
    return x.affine((float) scale, (float) offset);
  }

  @Override
  protected void writeConfig(Map<String, Object> m) {
    m.put("scale", scale);
    m.put("offset", offset);
  }

  static Rescaling fromConfig(Config config) {
    LayerConfig c = new LayerConfig(config);
    if (!c.has("scale")) {
      throw new IllegalArgumentException("Rescaling: scale is required");
    }
    return c.finish(new Rescaling(c.number("scale", 1), c.number("offset", 0)));
  }
}

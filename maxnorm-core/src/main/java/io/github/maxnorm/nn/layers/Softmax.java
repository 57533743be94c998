package io.github.maxnorm.nn.layers;

import io.github.maxnorm.nn.Config;
import io.github.maxnorm.nn.ForwardContext;
import io.github.maxnorm.tensor.Tensor;
import java.util.Map;

/** Softmax along {@code axis} (default -1; the batch axis is 0, as in Keras). */
public final class Softmax extends BaseLayer<Softmax> {
  private final int axis;

  public Softmax() {
    this(-1);
  }

  public Softmax(int axis) {
    super("Softmax");
    if (axis == 0) {
      throw new IllegalArgumentException("Softmax: axis 0 is the batch axis");
    }
    this.axis = axis;
  }

  @Override
  protected Tensor call(Tensor x, ForwardContext ctx) {
    return x.softmax(axis);
  }

  @Override
  protected void writeConfig(Map<String, Object> m) {
    m.put("axis", axis);
  }

  static Softmax fromConfig(Config config) {
    LayerConfig c = new LayerConfig(config);
    return c.finish(new Softmax(c.integer("axis", -1)));
  }
}

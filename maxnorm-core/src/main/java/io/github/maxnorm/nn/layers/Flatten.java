package io.github.maxnorm.nn.layers;

import io.github.maxnorm.nn.Config;
import io.github.maxnorm.nn.ForwardContext;
import io.github.maxnorm.tensor.Shape;
import io.github.maxnorm.tensor.Tensor;
import java.util.Map;

/**
 * Flattens each sample to one axis, row-major. With {@code data_format="channels_first"} the
 * channel axis is first moved last, as Keras does so that weights keep their order when a model
 * switches data format.
 */
public final class Flatten extends SpatialLayer<Flatten> {

  public Flatten() {
    super("Flatten");
  }

  @Override
  protected Shape computeOutputShape(Shape in) {
    return Shape.of(in.size());
  }

  @Override
  protected Tensor call(Tensor x, ForwardContext ctx) {
    Tensor t = x;
    if (channelsFirst() && x.rank() > 2) {
      int[] perm = new int[x.rank()];
      for (int i = 1; i < perm.length - 1; i++) {
        perm[i] = i + 1;
      }
      perm[perm.length - 1] = 1;
      t = x.permute(perm);
    }
    return t.reshape(x.shape().dim(0), builtOutputShape().dim(0));
  }

  @Override
  protected void writeConfig(Map<String, Object> m) {
    m.put("data_format", dataFormat());
  }

  static Flatten fromConfig(Config config) {
    LayerConfig c = new LayerConfig(config);
    return c.finish(new Flatten().dataFormat(c.string("data_format", "channels_last")));
  }
}

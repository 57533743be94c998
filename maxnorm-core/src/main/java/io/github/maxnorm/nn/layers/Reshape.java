package io.github.maxnorm.nn.layers;

import io.github.maxnorm.nn.Config;
import io.github.maxnorm.nn.ForwardContext;
import io.github.maxnorm.tensor.Shape;
import io.github.maxnorm.tensor.Tensor;
import java.util.Arrays;
import java.util.Map;

/** Gives each sample the shape {@code target_shape} (one size may be -1, inferred), row-major. */
public final class Reshape extends BaseLayer<Reshape> {
  private final int[] target;

  public Reshape(int... targetShape) {
    super("Reshape");
    int unknown = 0;
    for (int d : targetShape) {
      if (d == -1) {
        unknown++;
      } else if (d < 1) {
        throw new IllegalArgumentException(
            "Reshape: target_shape sizes must be >= 1 or -1, received "
                + Arrays.toString(targetShape));
      }
    }
    if (targetShape.length == 0 || unknown > 1) {
      throw new IllegalArgumentException(
          "Reshape: target_shape needs at least one size and at most one -1, received "
              + Arrays.toString(targetShape));
    }
    this.target = targetShape.clone();
  }

  @Override
  protected Shape computeOutputShape(Shape in) {
    int known = 1;
    int at = -1;
    for (int i = 0; i < target.length; i++) {
      if (target[i] == -1) {
        at = i;
      } else {
        known *= target[i];
      }
    }
    int[] out = target.clone();
    if (at >= 0 && in.size() % known == 0) {
      out[at] = in.size() / known;
    }
    Shape s = Shape.of(out);
    if (at >= 0 && in.size() % known != 0 || s.size() != in.size()) {
      throw new IllegalArgumentException(
          name() + ": cannot reshape " + in + " (" + in.size() + " values) to "
              + Arrays.toString(target));
    }
    return s;
  }

  @Override
  protected Tensor call(Tensor x, ForwardContext ctx) {
    int[] d = builtOutputShape().dims();
    int[] full = new int[d.length + 1];
    full[0] = x.shape().dim(0);
    System.arraycopy(d, 0, full, 1, d.length);
    return x.reshape(full);
  }

  @Override
  protected void writeConfig(Map<String, Object> m) {
    m.put("target_shape", ConvLayer.list(target));
  }

  static Reshape fromConfig(Config config) {
    LayerConfig c = new LayerConfig(config);
    return c.finish(new Reshape(c.intList("target_shape")));
  }
}

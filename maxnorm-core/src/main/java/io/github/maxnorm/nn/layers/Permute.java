package io.github.maxnorm.nn.layers;

import io.github.maxnorm.nn.Config;
import io.github.maxnorm.nn.ForwardContext;
import io.github.maxnorm.tensor.Shape;
import io.github.maxnorm.tensor.Tensor;
import java.util.Arrays;
import java.util.Map;

/**
 * Reorders the axes of each sample: {@code dims} lists the input axes, numbered from 1 (the batch
 * axis is 0 and stays), in their new order, as Keras's {@code Permute((2, 1))}.
 */
public final class Permute extends BaseLayer<Permute> {
  private final int[] dims;

  public Permute(int... dims) {
    super("Permute");
    boolean[] seen = new boolean[dims.length + 1];
    for (int d : dims) {
      if (d < 1 || d > dims.length || seen[d]) {
        throw new IllegalArgumentException(
            "Permute: dims must be a permutation of 1.." + dims.length + ", received "
                + Arrays.toString(dims));
      }
      seen[d] = true;
    }
    this.dims = dims.clone();
  }

  @Override
  protected Shape computeOutputShape(Shape in) {
    if (in.rank() != dims.length) {
      throw new IllegalArgumentException(
          name() + ": dims " + Arrays.toString(dims) + " do not fit input " + in);
    }
    int[] out = new int[dims.length];
    for (int i = 0; i < dims.length; i++) {
      out[i] = in.dim(dims[i] - 1);
    }
    return Shape.of(out);
  }

  @Override
  protected Tensor call(Tensor x, ForwardContext ctx) {
    int[] perm = new int[dims.length + 1];
    System.arraycopy(dims, 0, perm, 1, dims.length);
    return x.permute(perm);
  }

  @Override
  protected void writeConfig(Map<String, Object> m) {
    m.put("dims", ConvLayer.list(dims));
  }

  static Permute fromConfig(Config config) {
    LayerConfig c = new LayerConfig(config);
    return c.finish(new Permute(c.intList("dims")));
  }
}

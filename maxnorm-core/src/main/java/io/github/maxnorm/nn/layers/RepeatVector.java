package io.github.maxnorm.nn.layers;

import io.github.maxnorm.nn.Config;
import io.github.maxnorm.nn.ForwardContext;
import io.github.maxnorm.tensor.Shape;
import io.github.maxnorm.tensor.Tensor;
import java.util.Map;

/** Repeats a vector {@code n} times: {@code (features)} becomes {@code (n, features)}. */
public final class RepeatVector extends BaseLayer<RepeatVector> {
  private final int n;

  public RepeatVector(int n) {
    super("RepeatVector");
    if (n < 1) {
      throw new IllegalArgumentException("RepeatVector: n must be >= 1, received " + n);
    }
    this.n = n;
  }

  @Override
  protected Shape computeOutputShape(Shape in) {
    Spatial.checkRank("RepeatVector", in, 0);
    return Shape.of(n, in.dim(0));
  }

  @Override
  protected Tensor call(Tensor x, ForwardContext ctx) {
    int b = x.shape().dim(0);
    int f = x.shape().dim(1);
    return x.reshape(b, 1, f).add(Tensor.zeros(1, n, 1));
  }

  @Override
  protected void writeConfig(Map<String, Object> m) {
    m.put("n", n);
  }

  static RepeatVector fromConfig(Config config) {
    LayerConfig c = new LayerConfig(config);
    return c.finish(new RepeatVector(c.integer("n")));
  }
}

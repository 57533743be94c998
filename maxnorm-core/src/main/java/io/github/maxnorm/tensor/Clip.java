package io.github.maxnorm.tensor;

import java.util.List;

/**
 * Elementwise {@code min(max(a, low), high)}. NaN propagates. The gradient passes where
 * {@code low <= a <= high} and is 0 where the value was clipped.
 */
final class Clip implements Op {
  private final Tensor a;
  private final float low;
  private final float high;

  private Clip(Tensor a, float low, float high) {
    this.a = a;
    this.low = low;
    this.high = high;
  }

  static Tensor apply(Tensor a, float low, float high) {
    if (!(low <= high)) {
      throw new IllegalArgumentException(
          "clip: low must be <= high, received low " + low + " and high " + high);
    }
    float[] x = a.data;
    float[] o = new float[x.length];
    for (int i = 0; i < o.length; i++) {
      float v = x[i];
      o[i] = v < low ? low : v > high ? high : v;
    }
    return Tensor.result(o, a.shape, new Clip(a, low, high));
  }

  @Override
  public String name() {
    return "clip";
  }

  @Override
  public List<Tensor> inputs() {
    return List.of(a);
  }

  @Override
  public void backward(Tensor out, float[] g, GradSink sink) {
    float[] x = a.data;
    float[] ga = new float[g.length];
    for (int i = 0; i < g.length; i++) {
      float v = x[i];
      ga[i] = v >= low && v <= high ? g[i] : 0f;
    }
    sink.accumulate(0, ga);
  }
}

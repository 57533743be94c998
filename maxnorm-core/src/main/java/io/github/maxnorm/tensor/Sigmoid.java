package io.github.maxnorm.tensor;

import java.util.List;

/**
 * Elementwise logistic function {@code 1 / (1 + e^-a)}, evaluated without overflow for large
 * {@code |a|}.
 */
final class Sigmoid implements Op {
  private final Tensor a;

  private Sigmoid(Tensor a) {
    this.a = a;
  }

  static Tensor apply(Tensor a) {
    float[] in = a.data;
    float[] o = new float[in.length];
    Elementwise.forRange(
        o.length,
        (from, to) -> {
          for (int i = from; i < to; i++) {
            float x = in[i];
            o[i] = sigmoid(x);
          }
        });
    return Tensor.result(o, a.shape, new Sigmoid(a));
  }

  /** Never exponentiates a positive number, so neither branch overflows; NaN propagates. */
  static float sigmoid(float x) {
    if (x >= 0f) {
      return (float) (1.0 / (1.0 + Math.exp(-x)));
    }
    double e = Math.exp(x);
    return (float) (e / (1.0 + e));
  }

  @Override
  public String name() {
    return "sigmoid";
  }

  @Override
  public List<Tensor> inputs() {
    return List.of(a);
  }

  @Override
  public void backward(Tensor out, float[] g, GradSink sink) {
    float[] in = a.data;
    float[] res = out.data;
    float[] ga = new float[g.length];
    Elementwise.forRange(
        ga.length,
        (from, to) -> {
          for (int i = from; i < to; i++) {
            float x = in[i];
            float y = res[i];
            ga[i] = g[i] * y * (1f - y);
          }
        });
    sink.accumulate(0, ga);
  }
}

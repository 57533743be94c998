package io.github.maxnorm.tensor;

import java.util.List;

/** Elementwise {@code max(a, 0)}; NaN propagates. The gradient at 0 is taken as 0. */
final class Relu implements Op {
  private final Tensor a;

  private Relu(Tensor a) {
    this.a = a;
  }

  static Tensor apply(Tensor a) {
    float[] x = a.data;
    float[] o = new float[x.length];
    for (int i = 0; i < o.length; i++) {
      float v = x[i];
      o[i] = v < 0f ? 0f : v;
    }
    return Tensor.result(o, a.shape, new Relu(a));
  }

  @Override
  public String name() {
    return "relu";
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
      ga[i] = x[i] > 0f ? g[i] : 0f;
    }
    sink.accumulate(0, ga);
  }
}

package io.github.maxnorm.tensor;

import java.util.List;

/** Elementwise {@code -a}. */
final class Neg implements Op {
  private final Tensor a;

  private Neg(Tensor a) {
    this.a = a;
  }

  static Tensor apply(Tensor a) {
    float[] o = new float[a.data.length];
    for (int i = 0; i < o.length; i++) {
      o[i] = -a.data[i];
    }
    return Tensor.result(o, a.shape, new Neg(a));
  }

  @Override
  public String name() {
    return "neg";
  }

  @Override
  public List<Tensor> inputs() {
    return List.of(a);
  }

  @Override
  public void backward(Tensor out, float[] g, GradSink sink) {
    float[] ga = new float[g.length];
    for (int i = 0; i < g.length; i++) {
      ga[i] = -g[i];
    }
    sink.accumulate(0, ga);
  }
}

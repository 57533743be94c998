package io.github.maxnorm.tensor;

import java.util.List;

/** Elementwise {@code a * a}. */
final class Square implements Op {
  private final Tensor a;

  private Square(Tensor a) {
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
            o[i] = x * x;
          }
        });
    return Tensor.result(o, a.shape, new Square(a));
  }

  @Override
  public String name() {
    return "square";
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
            ga[i] = 2f * x * g[i];
          }
        });
    sink.accumulate(0, ga);
  }
}

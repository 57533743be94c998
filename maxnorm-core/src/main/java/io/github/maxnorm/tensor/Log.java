package io.github.maxnorm.tensor;

import java.util.List;

/** Elementwise natural logarithm; negative inputs give NaN, zero gives -Infinity. */
final class Log implements Op {
  private final Tensor a;

  private Log(Tensor a) {
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
            o[i] = (float) Math.log(x);
          }
        });
    return Tensor.result(o, a.shape, new Log(a));
  }

  @Override
  public String name() {
    return "log";
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
            ga[i] = g[i] / x;
          }
        });
    sink.accumulate(0, ga);
  }
}

package io.github.maxnorm.tensor;

import java.util.List;

/**
 * Log-softmax along one axis, {@code x - max - log(sum e^(x - max))}: finite for any finite input,
 * unlike the logarithm of a softmax that underflowed to zero. Sums accumulate in double.
 */
final class LogSoftmax implements Op {
  private final Tensor a;
  private final int axis;

  private LogSoftmax(Tensor a, int axis) {
    this.a = a;
    this.axis = axis;
  }

  static Tensor apply(Tensor a, int axis) {
    int ax = Softmax.axis("logSoftmax", a.shape, axis);
    float[] x = a.data;
    float[] o = new float[x.length];
    Softmax.forEachLine(
        a.shape,
        ax,
        (base, stride, n) -> {
          float m = Float.NEGATIVE_INFINITY;
          for (int j = 0, p = base; j < n; j++, p += stride) {
            m = Math.max(m, x[p]);
          }
          double s = 0;
          for (int j = 0, p = base; j < n; j++, p += stride) {
            s += Math.exp((double) x[p] - m);
          }
          double shift = m + Math.log(s);
          for (int j = 0, p = base; j < n; j++, p += stride) {
            o[p] = (float) (x[p] - shift);
          }
        });
    return Tensor.result(o, a.shape, new LogSoftmax(a, ax));
  }

  @Override
  public String name() {
    return "logSoftmax";
  }

  @Override
  public List<Tensor> inputs() {
    return List.of(a);
  }

  @Override
  public void backward(Tensor out, float[] g, GradSink sink) {
    float[] y = out.data;
    float[] ga = new float[g.length];
    Softmax.forEachLine(
        a.shape,
        axis,
        (base, stride, n) -> {
          double total = 0;
          for (int j = 0, p = base; j < n; j++, p += stride) {
            total += g[p];
          }
          for (int j = 0, p = base; j < n; j++, p += stride) {
            ga[p] = (float) (g[p] - Math.exp(y[p]) * total);
          }
        });
    sink.accumulate(0, ga);
  }
}

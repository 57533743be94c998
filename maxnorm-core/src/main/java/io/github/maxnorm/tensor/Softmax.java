package io.github.maxnorm.tensor;

import io.github.maxnorm.kernel.Parallel;
import java.util.List;

/**
 * Softmax along one axis, {@code e^(x - max) / sum e^(x - max)}: subtracting the maximum keeps the
 * exponentials finite for any finite input. Sums accumulate in double.
 */
final class Softmax implements Op {
  private final Tensor a;
  private final int axis;

  private Softmax(Tensor a, int axis) {
    this.a = a;
    this.axis = axis;
  }

  /** Normalizes {@code axis} for {@code s}, or throws naming the op, the axis and the shape. */
  static int axis(String op, Shape s, int axis) {
    try {
      return s.normalizeAxis(axis);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(op + ": " + e.getMessage(), e);
    }
  }

  /**
   * Runs {@code body} over every line along {@code axis}: a line starts at {@code base} and steps by
   * {@code stride} for {@code n} elements. Lines are split across threads, each computed alone.
   */
  static void forEachLine(Shape s, int axis, LineBody body) {
    int n = s.raw()[axis];
    int inner = s.sizeBetween(axis + 1, s.rank());
    int lines = n == 0 ? 0 : s.size() / n;
    Parallel.forRange(
        lines,
        4 * n,
        (from, to) -> {
          for (int l = from; l < to; l++) {
            int outer = l / inner;
            int in = l % inner;
            body.run(outer * n * inner + in, inner, n);
          }
        });
  }

  /** The work on one line of a softmax-like op. */
  @FunctionalInterface
  interface LineBody {
    void run(int base, int stride, int n);
  }

  static Tensor apply(Tensor a, int axis) {
    int ax = axis("softmax", a.shape, axis);
    float[] x = a.data;
    float[] o = new float[x.length];
    forEachLine(
        a.shape,
        ax,
        (base, stride, n) -> {
          float m = Float.NEGATIVE_INFINITY;
          for (int j = 0, p = base; j < n; j++, p += stride) {
            m = Math.max(m, x[p]);
          }
          double s = 0;
          for (int j = 0, p = base; j < n; j++, p += stride) {
            double e = Math.exp((double) x[p] - m);
            o[p] = (float) e;
            s += e;
          }
          for (int j = 0, p = base; j < n; j++, p += stride) {
            o[p] = (float) (o[p] / s);
          }
        });
    Tensor t = Tensor.result(o, a.shape, new Softmax(a, ax));
    if (ax == a.rank() - 1) {
      t.softmaxLogits = a;
    }
    return t;
  }

  @Override
  public String name() {
    return "softmax";
  }

  @Override
  public List<Tensor> inputs() {
    return List.of(a);
  }

  @Override
  public void backward(Tensor out, float[] g, GradSink sink) {
    float[] y = out.data;
    float[] ga = new float[g.length];
    forEachLine(
        a.shape,
        axis,
        (base, stride, n) -> {
          double dot = 0;
          for (int j = 0, p = base; j < n; j++, p += stride) {
            dot += (double) g[p] * y[p];
          }
          for (int j = 0, p = base; j < n; j++, p += stride) {
            ga[p] = (float) (y[p] * (g[p] - dot));
          }
        });
    sink.accumulate(0, ga);
  }
}

package io.github.maxnorm.tensor;

import io.github.maxnorm.kernel.Parallel;
import java.util.List;

/**
 * Arithmetic mean over a set of axes, removing them or keeping them with size 1. Accumulates in
 * double; the mean over an empty axis is NaN.
 */
final class Mean implements Op {
  private final Tensor a;
  private final Reduction plan;

  private Mean(Tensor a, Reduction plan) {
    this.a = a;
    this.plan = plan;
  }

  static Tensor apply(Tensor a, int[] axes, boolean keepDims) {
    Reduction plan = new Reduction("mean", a.shape, axes);
    float[] x = a.data;
    int[] offs = plan.offsets;
    int n = offs.length;
    float[] o = new float[plan.outSize];
    Parallel.forRange(
        o.length,
        n,
        (from, to) -> {
          for (int i = from; i < to; i++) {
            int b = plan.base(i);
            double s = 0;
            for (int r = 0; r < n; r++) {
              s += x[b + offs[r]];
            }
            o[i] = (float) (s / n);
          }
        });
    return Tensor.result(o, plan.outShape(keepDims), new Mean(a, plan));
  }

  @Override
  public String name() {
    return "mean";
  }

  @Override
  public List<Tensor> inputs() {
    return List.of(a);
  }

  @Override
  public void backward(Tensor out, float[] g, GradSink sink) {
    int[] offs = plan.offsets;
    int n = offs.length;
    float[] ga = new float[a.data.length];
    Parallel.forRange(
        g.length,
        n,
        (from, to) -> {
          for (int i = from; i < to; i++) {
            int b = plan.base(i);
            float v = g[i] / n;
            for (int r = 0; r < n; r++) {
              ga[b + offs[r]] = v;
            }
          }
        });
    sink.accumulate(0, ga);
  }
}

package io.github.maxnorm.tensor;

import io.github.maxnorm.kernel.Parallel;
import java.util.List;

/**
 * Maximum over a set of axes, removing them or keeping them with size 1. NaN wins over any number.
 * The gradient goes to the arg-max element alone: on ties, the first in row-major order.
 */
final class Max implements Op {
  private final Tensor a;
  /** For each output element, the flat input index it was taken from. */
  private final int[] argMax;

  private Max(Tensor a, int[] argMax) {
    this.a = a;
    this.argMax = argMax;
  }

  static Tensor apply(Tensor a, int[] axes, boolean keepDims) {
    Reduction plan = new Reduction("max", a.shape, axes);
    int[] offs = plan.offsets;
    int n = offs.length;
    if (n == 0 && plan.outSize > 0) {
      throw new IllegalArgumentException(
          "max: cannot reduce over an empty axis of shape " + a.shape);
    }
    float[] x = a.data;
    float[] o = new float[plan.outSize];
    int[] arg = new int[plan.outSize];
    Parallel.forRange(
        o.length,
        n,
        (from, to) -> {
          for (int i = from; i < to; i++) {
            int b = plan.base(i);
            int best = b + offs[0];
            float bv = x[best];
            for (int r = 1; r < n && bv == bv; r++) {
              int p = b + offs[r];
              float v = x[p];
              if (v > bv || v != v) {
                bv = v;
                best = p;
              }
            }
            o[i] = bv;
            arg[i] = best;
          }
        });
    return Tensor.result(o, plan.outShape(keepDims), new Max(a, arg));
  }

  @Override
  public String name() {
    return "max";
  }

  @Override
  public List<Tensor> inputs() {
    return List.of(a);
  }

  @Override
  public void backward(Tensor out, float[] g, GradSink sink) {
    float[] ga = new float[a.data.length];
    for (int i = 0; i < g.length; i++) {
      ga[argMax[i]] += g[i];
    }
    sink.accumulate(0, ga);
  }
}

package io.github.maxnorm.tensor;

import io.github.maxnorm.kernel.Gemm;
import io.github.maxnorm.kernel.StagedMatrix;
import java.util.Arrays;
import java.util.List;

/**
 * Matrix product. {@code [m, k] x [k, n] -> [m, n]}; batched {@code [..., m, k] x [..., k, n]} with
 * equal leading axes; and {@code [..., m, k] x [k, n]}, which folds the leading axes into rows.
 *
 * <p>When the right operand is a shared matrix (a layer's kernel) and the left one will need a
 * gradient, the right operand is copied to native memory once ({@link Gemm#stage}) and that copy
 * serves both the forward product and the backward product {@code g * B^T}; the backward pass
 * hands it back. The backward product thus uses B as it was in the forward pass.
 */
final class MatMul implements Op {
  /** Below this many floats, staging the shared operand once saves less than it costs. */
  private static final int STAGE_MIN_FLOATS = 1 << 14;

  private final Tensor a;
  private final Tensor b;
  private final int batch;
  private final int m;
  private final int k;
  private final int n;
  /** B in native memory for the backward product, or null; released after its use. */
  private StagedMatrix stagedB;

  private MatMul(Tensor a, Tensor b, int batch, int m, int k, int n, StagedMatrix stagedB) {
    this.a = a;
    this.b = b;
    this.stagedB = stagedB;
    this.batch = batch;
    this.m = m;
    this.k = k;
    this.n = n;
  }

  static Tensor apply(Tensor a, Tensor b) {
    Shape sa = a.shape;
    Shape sb = b.shape;
    if (sa.rank() < 2 || sb.rank() < 2) {
      throw new IllegalArgumentException(
          "matmul: " + sa + " x " + sb + ": both operands need rank >= 2");
    }
    int ka = sa.dim(-1);
    int kb = sb.dim(-2);
    if (ka != kb) {
      throw new IllegalArgumentException(
          "matmul: " + sa + " x " + sb + ": inner dimensions " + ka + " and " + kb + " differ");
    }
    int n = sb.dim(-1);
    int[] outDims;
    int batch;
    int m;
    if (sb.rank() == 2) {
      // fold all leading axes of a into rows
      batch = 1;
      m = sa.size() / Math.max(ka, 1);
      if (ka == 0) {
        m = sa.sizeBetween(0, sa.rank() - 1);
      }
      outDims = sa.dims();
      outDims[outDims.length - 1] = n;
    } else {
      int[] la = Arrays.copyOf(sa.dims(), sa.rank() - 2);
      int[] lb = Arrays.copyOf(sb.dims(), sb.rank() - 2);
      if (!Arrays.equals(la, lb)) {
        throw new IllegalArgumentException(
            "matmul: " + sa + " x " + sb + ": batch dimensions " + Arrays.toString(la) + " and "
                + Arrays.toString(lb) + " differ");
      }
      batch = sa.sizeBetween(0, sa.rank() - 2);
      m = sa.dim(-2);
      outDims = sa.dims();
      outDims[outDims.length - 1] = n;
    }
    float[] o = Workspace.uninitialized(batch * m * n);
    if (sb.rank() == 2
        && a.requiresGrad
        && GradMode.isEnabled()
        && m > 0
        && ka * n >= STAGE_MIN_FLOATS) {
      StagedMatrix staged = Gemm.stage(b.data, 0, ka * n);
      Gemm.sgemm(false, false, m, n, ka, 1f, a.data, 0, ka, staged, n, 0f, o, 0, n);
      return Tensor.result(o, new Shape(outDims), new MatMul(a, b, batch, m, ka, n, staged));
    }
    for (int i = 0; i < batch; i++) {
      Gemm.sgemm(false, false, m, n, ka, 1f, a.data, i * m * ka, ka,
          b.data, sb.rank() == 2 ? 0 : i * ka * n, n, 0f, o, i * m * n, n);
    }
    return Tensor.result(o, new Shape(outDims), new MatMul(a, b, batch, m, ka, n, null));
  }

  @Override
  public String name() {
    return "matmul";
  }

  @Override
  public List<Tensor> inputs() {
    return List.of(a, b);
  }

  @Override
  public void backward(Tensor out, float[] g, GradSink sink) {
    boolean sharedB = b.shape.rank() == 2;
    StagedMatrix staged = stagedB;
    stagedB = null;
    if (staged != null) {
      try {
        if (sink.needs(0)) {
          float[] ga = Workspace.uninitialized(a.data.length);
          // dA = g * B^T, B as staged in the forward pass
          Gemm.sgemm(false, true, m, k, n, 1f, g, 0, n, staged, n, 0f, ga, 0, k);
          sink.accumulate(0, ga);
        }
      } finally {
        staged.release();
      }
    } else if (sink.needs(0)) {
      float[] ga = Workspace.uninitialized(a.data.length);
      for (int i = 0; i < batch; i++) {
        // dA = g * B^T
        Gemm.sgemm(false, true, m, k, n, 1f, g, i * m * n, n,
            b.data, sharedB ? 0 : i * k * n, n, 0f, ga, i * m * k, k);
      }
      sink.accumulate(0, ga);
    }
    if (sink.needs(1)) {
      // every element is written: the first product overwrites (beta 0), later ones add
      float[] gb = sink.gradientBuffer(1, b.data.length);
      for (int i = 0; i < batch; i++) {
        // dB = A^T * g
        Gemm.sgemm(true, false, k, n, m, 1f, a.data, i * m * k, k,
            g, i * m * n, n, sharedB && i > 0 ? 1f : 0f, gb, sharedB ? 0 : i * k * n, n);
      }
      sink.accumulate(1, gb);
    }
  }
}

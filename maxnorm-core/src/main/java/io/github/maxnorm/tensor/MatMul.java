package io.github.maxnorm.tensor;

import io.github.maxnorm.kernel.Gemm;
import java.util.Arrays;
import java.util.List;

/**
 * Matrix product. {@code [m, k] x [k, n] -> [m, n]}; batched {@code [..., m, k] x [..., k, n]} with
 * equal leading axes; and {@code [..., m, k] x [k, n]}, which folds the leading axes into rows.
 */
final class MatMul implements Op {
  private final Tensor a;
  private final Tensor b;
  private final int batch;
  private final int m;
  private final int k;
  private final int n;

  private MatMul(Tensor a, Tensor b, int batch, int m, int k, int n) {
    this.a = a;
    this.b = b;
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
    float[] o = new float[batch * m * n];
    for (int i = 0; i < batch; i++) {
      Gemm.sgemm(false, false, m, n, ka, 1f, a.data, i * m * ka, ka,
          b.data, sb.rank() == 2 ? 0 : i * ka * n, n, 0f, o, i * m * n, n);
    }
    return Tensor.result(o, new Shape(outDims), new MatMul(a, b, batch, m, ka, n));
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
    if (sink.needs(0)) {
      float[] ga = new float[a.data.length];
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

package io.github.maxnorm.kernel;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import org.bytedeco.dnnl.global.dnnl;

/**
 * Single-precision matrix products through oneDNN's {@code dnnl_sgemm}, on row-major {@code float[]}
 * operands with explicit offsets.
 *
 * <p>Computes {@code C = alpha * op(A) * op(B) + beta * C} where {@code op(X)} is {@code X} or its
 * transpose. {@code A} is {@code m x k} after {@code op}, {@code B} is {@code k x n}, {@code C} is
 * {@code m x n}. Leading dimensions are those of the matrices as stored. The operands are staged
 * through per-thread direct buffers that are reused between calls, so a steady-state caller
 * allocates nothing.
 */
public final class Gemm {
  private static final ThreadLocal<Staging> STAGING = ThreadLocal.withInitial(Staging::new);

  private Gemm() {}

  /**
   * Row-major sgemm.
   *
   * @param transA whether A is stored transposed ({@code k x m})
   * @param transB whether B is stored transposed ({@code n x k})
   */
  public static void sgemm(
      boolean transA,
      boolean transB,
      int m,
      int n,
      int k,
      float alpha,
      float[] a,
      int aOffset,
      int lda,
      float[] b,
      int bOffset,
      int ldb,
      float beta,
      float[] c,
      int cOffset,
      int ldc) {
    if (m < 0 || n < 0 || k < 0) {
      throw new IllegalArgumentException(
          "sgemm: negative dimension m=" + m + " n=" + n + " k=" + k);
    }
    if (m == 0 || n == 0) {
      return;
    }
    int aRows = transA ? k : m;
    int bRows = transB ? n : k;
    int aLen = k == 0 ? 0 : (aRows - 1) * lda + (transA ? m : k);
    int bLen = k == 0 ? 0 : (bRows - 1) * ldb + (transB ? k : n);
    int cLen = (m - 1) * ldc + n;
    checkRange("A", a, aOffset, aLen);
    checkRange("B", b, bOffset, bLen);
    checkRange("C", c, cOffset, cLen);
    if (k == 0) {
      scaleC(m, n, beta, c, cOffset, ldc);
      return;
    }
    Native.ensureLoaded();
    Staging s = STAGING.get();
    FloatBuffer fa = s.a(aLen);
    FloatBuffer fb = s.b(bLen);
    FloatBuffer fc = s.c(cLen);
    fa.put(0, a, aOffset, aLen);
    fb.put(0, b, bOffset, bLen);
    if (beta != 0f) {
      fc.put(0, c, cOffset, cLen);
    }
    int status =
        dnnl.dnnl_sgemm(
            (byte) (transA ? 'T' : 'N'),
            (byte) (transB ? 'T' : 'N'),
            m,
            n,
            k,
            alpha,
            fa,
            lda,
            fb,
            ldb,
            beta,
            fc,
            ldc);
    if (status != 0) {
      throw new IllegalStateException("dnnl_sgemm failed with status " + status);
    }
    if (ldc == n) {
      fc.get(0, c, cOffset, cLen);
    } else {
      for (int i = 0; i < m; i++) {
        fc.get(i * ldc, c, cOffset + i * ldc, n);
      }
    }
  }

  /** Convenience for dense row-major operands without offsets: C = op(A) op(B) (+ C if accumulate). */
  public static void sgemm(
      boolean transA,
      boolean transB,
      int m,
      int n,
      int k,
      float[] a,
      float[] b,
      float[] c,
      boolean accumulate) {
    sgemm(
        transA,
        transB,
        m,
        n,
        k,
        1f,
        a,
        0,
        transA ? m : k,
        b,
        0,
        transB ? k : n,
        accumulate ? 1f : 0f,
        c,
        0,
        n);
  }

  private static void scaleC(int m, int n, float beta, float[] c, int off, int ldc) {
    for (int i = 0; i < m; i++) {
      int row = off + i * ldc;
      for (int j = 0; j < n; j++) {
        c[row + j] = beta == 0f ? 0f : beta * c[row + j];
      }
    }
  }

  private static void checkRange(String name, float[] x, int off, int len) {
    if (off < 0 || len < 0 || off + len > x.length) {
      throw new IllegalArgumentException(
          "sgemm: operand "
              + name
              + " needs "
              + len
              + " floats from offset "
              + off
              + " but has length "
              + x.length);
    }
  }

  /** Per-thread direct buffers, grown on demand and then reused. */
  private static final class Staging {
    private FloatBuffer a = alloc(0);
    private FloatBuffer b = alloc(0);
    private FloatBuffer c = alloc(0);

    FloatBuffer a(int n) {
      if (a.capacity() < n) {
        a = alloc(n);
      }
      return a;
    }

    FloatBuffer b(int n) {
      if (b.capacity() < n) {
        b = alloc(n);
      }
      return b;
    }

    FloatBuffer c(int n) {
      if (c.capacity() < n) {
        c = alloc(n);
      }
      return c;
    }

    private static FloatBuffer alloc(int n) {
      return ByteBuffer.allocateDirect(Math.max(n, 1) * Float.BYTES)
          .order(ByteOrder.nativeOrder())
          .asFloatBuffer();
    }
  }
}

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
 * allocates nothing. An operand used by several products can be copied to native memory once with
 * {@link #stage} and passed as a {@link StagedMatrix}.
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
    int aLen = k == 0 ? 0 : span(transA ? k : m, transA ? m : k, lda);
    int bLen = k == 0 ? 0 : span(transB ? n : k, transB ? k : n, ldb);
    int cLen = span(m, n, ldc);
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
    fa.put(0, a, aOffset, aLen);
    fb.put(0, b, bOffset, bLen);
    runIntoArray(s, transA, transB, m, n, k, alpha, fa, lda, fb, ldb, beta, c, cOffset, ldc);
  }

  /** The length a row-major matrix of {@code rows x cols} with leading dimension {@code ld} spans. */
  private static int span(int rows, int cols, int ld) {
    return rows == 0 ? 0 : (rows - 1) * ld + cols;
  }

  /**
   * Stages C (when {@code beta} reads it), runs the product on the staged operands and copies C
   * back into the array: the common tail of every form whose C is an array.
   */
  private static void runIntoArray(Staging s, boolean transA, boolean transB, int m, int n, int k,
      float alpha, FloatBuffer fa, int lda, FloatBuffer fb, int ldb, float beta, float[] c,
      int cOffset, int ldc) {
    int cLen = span(m, n, ldc);
    FloatBuffer fc = s.c(cLen);
    if (beta != 0f) {
      fc.put(0, c, cOffset, cLen);
    }
    run(transA, transB, m, n, k, alpha, fa, lda, fb, ldb, beta, fc, ldc);
    copyOut(fc, m, n, c, cOffset, ldc);
  }

  /**
   * Copies {@code length} floats of {@code src} from {@code offset} into native memory, for use as
   * operand B of several products (see {@link StagedMatrix}). Release the handle when done.
   */
  public static StagedMatrix stage(float[] src, int offset, int length) {
    return StagedMatrix.copyOf(src, offset, length);
  }

  /**
   * {@link #sgemm(boolean, boolean, int, int, int, float, float[], int, int, float[], int, int,
   * float, float[], int, int)} with operand B taken from a {@link StagedMatrix} (from its index 0,
   * leading dimension {@code ldb}) instead of being copied from an array. Gives the same result as
   * the array form on the values the handle holds.
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
      StagedMatrix b,
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
    int aLen = k == 0 ? 0 : span(transA ? k : m, transA ? m : k, lda);
    int bLen = k == 0 ? 0 : span(transB ? n : k, transB ? k : n, ldb);
    int cLen = span(m, n, ldc);
    checkRange("A", a, aOffset, aLen);
    checkRange("C", c, cOffset, cLen);
    FloatBuffer fb = b.buffer();
    if (bLen > b.length()) {
      throw new IllegalArgumentException(
          "sgemm: operand B needs " + bLen + " floats but the staged matrix holds " + b.length());
    }
    if (k == 0) {
      scaleC(m, n, beta, c, cOffset, ldc);
      return;
    }
    Native.ensureLoaded();
    Staging s = STAGING.get();
    FloatBuffer fa = s.a(aLen);
    fa.put(0, a, aOffset, aLen);
    runIntoArray(s, transA, transB, m, n, k, alpha, fa, lda, fb, ldb, beta, c, cOffset, ldc);
  }

  /**
   * This thread's staging buffer for operand A, holding at least {@code n} floats, for a caller of
   * this package that writes A there itself (a convolution's column matrix) and then calls {@link
   * #sgemmStagedA}. The buffer is reused by the next product on this thread.
   */
  static FloatBuffer stagingA(int n) {
    return STAGING.get().a(n);
  }

  /**
   * {@link #sgemm} with operand A already in this thread's {@link #stagingA} buffer from index 0
   * (leading dimension {@code lda}); A is neither copied nor range-checked against an array.
   */
  static void sgemmStagedA(
      boolean transA,
      boolean transB,
      int m,
      int n,
      int k,
      float alpha,
      int lda,
      float[] b,
      int bOffset,
      int ldb,
      float beta,
      float[] c,
      int cOffset,
      int ldc) {
    if (m <= 0 || n <= 0 || k <= 0) {
      throw new IllegalArgumentException(
          "sgemm: staged form needs positive dimensions, received m=" + m + " n=" + n + " k=" + k);
    }
    int aLen = span(transA ? k : m, transA ? m : k, lda);
    int bLen = span(transB ? n : k, transB ? k : n, ldb);
    int cLen = span(m, n, ldc);
    checkRange("B", b, bOffset, bLen);
    checkRange("C", c, cOffset, cLen);
    Native.ensureLoaded();
    Staging s = STAGING.get();
    if (s.a.capacity() < aLen) {
      throw new IllegalStateException(
          "sgemm: staged A holds " + s.a.capacity() + " floats, the product needs " + aLen);
    }
    FloatBuffer fb = s.b(bLen);
    fb.put(0, b, bOffset, bLen);
    runIntoArray(s, transA, transB, m, n, k, alpha, s.a, lda, fb, ldb, beta, c, cOffset, ldc);
  }

  /**
   * {@code C = alpha * op(A) * op(B)} left in this thread's staging buffer for C (row-major, leading
   * dimension {@code n}), for a caller of this package that reads C from there itself (the column
   * gradients of a convolution). The buffer is reused by the next product on this thread.
   */
  static FloatBuffer sgemmToStagedC(
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
      int ldb) {
    if (m <= 0 || n <= 0 || k <= 0) {
      throw new IllegalArgumentException(
          "sgemm: staged form needs positive dimensions, received m=" + m + " n=" + n + " k=" + k);
    }
    int aLen = span(transA ? k : m, transA ? m : k, lda);
    int bLen = span(transB ? n : k, transB ? k : n, ldb);
    checkRange("A", a, aOffset, aLen);
    checkRange("B", b, bOffset, bLen);
    Native.ensureLoaded();
    Staging s = STAGING.get();
    FloatBuffer fa = s.a(aLen);
    FloatBuffer fb = s.b(bLen);
    FloatBuffer fc = s.c(m * n);
    fa.put(0, a, aOffset, aLen);
    fb.put(0, b, bOffset, bLen);
    run(transA, transB, m, n, k, alpha, fa, lda, fb, ldb, 0f, fc, n);
    return fc;
  }

  private static void run(
      boolean transA,
      boolean transB,
      int m,
      int n,
      int k,
      float alpha,
      FloatBuffer fa,
      int lda,
      FloatBuffer fb,
      int ldb,
      float beta,
      FloatBuffer fc,
      int ldc) {
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
  }

  private static void copyOut(FloatBuffer fc, int m, int n, float[] c, int cOffset, int ldc) {
    if (ldc == n) {
      fc.get(0, c, cOffset, span(m, n, ldc));
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

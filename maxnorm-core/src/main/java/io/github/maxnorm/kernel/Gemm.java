package io.github.maxnorm.kernel;

import java.nio.FloatBuffer;
import org.bytedeco.dnnl.global.dnnl;
import org.bytedeco.javacpp.FloatPointer;

/**
 * Matrix products through oneDNN, on row-major {@code float[]} operands with explicit offsets, in
 * float32 or with bfloat16 operands ({@link Precision}).
 *
 * <p>Computes {@code C = alpha * op(A) * op(B) + beta * C} where {@code op(X)} is {@code X} or its
 * transpose. {@code A} is {@code m x k} after {@code op}, {@code B} is {@code k x n}, {@code C} is
 * {@code m x n}. Leading dimensions are those of the matrices as stored. The operands are staged
 * through per-thread native buffers that are reused between calls, so a steady-state caller
 * allocates nothing. An operand used by several products can be copied to native memory once with
 * {@link #stage} and passed as a {@link StagedMatrix}. {@link #linear} adds a bias and a ReLU to
 * the product in the same call.
 *
 * <p>Float32 products run through {@code dnnl_sgemm}, the bias and ReLU of {@link #linear} in a
 * Java pass after it (oneDNN's matmul primitive, which fuses them, was no faster in a whole
 * training step, and this keeps the float32 results of earlier versions). Bfloat16 products run
 * through a cached matmul primitive ({@link MatMulPrimitives}) with the bias and ReLU fused; they
 * take {@code alpha = 1} and {@code beta} 0 or 1 (every use in the library). Both give
 * bit-identical results from run to run for a given thread count.
 */
public final class Gemm {
  private static final ThreadLocal<Staging> STAGING = ThreadLocal.withInitial(Staging::new);

  private Gemm() {}

  /**
   * Row-major sgemm in float32.
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
    gemm(Precision.FLOAT32, transA, transB, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb,
        beta, c, cOffset, ldc);
  }

  /** {@link #sgemm} in the given precision. */
  public static void gemm(Precision precision, boolean transA, boolean transB, int m, int n,
      int k, float alpha, float[] a, int aOffset, int lda, float[] b, int bOffset, int ldb,
      float beta, float[] c, int cOffset, int ldc) {
    product(precision, transA, transB, m, n, k, alpha, a, aOffset, lda, b, bOffset, null, ldb,
        beta, null, false, c, cOffset, ldc);
  }

  /** Whether the product is empty (nothing to do); fails on a negative dimension. */
  private static boolean checkDims(int m, int n, int k) {
    if (m < 0 || n < 0 || k < 0) {
      throw new IllegalArgumentException(
          "sgemm: negative dimension m=" + m + " n=" + n + " k=" + k);
    }
    return m == 0 || n == 0;
  }

  /** The length a row-major matrix of {@code rows x cols} with leading dimension {@code ld} spans. */
  private static int span(int rows, int cols, int ld) {
    return rows == 0 ? 0 : (rows - 1) * ld + cols;
  }

  /**
   * Stages C (when {@code beta} reads it) and the bias, runs the product on the staged operands and
   * copies C back into the array: the common tail of every form whose C is an array.
   */
  private static void runIntoArray(Staging s, Precision precision, boolean transA,
      boolean transB, int m, int n, int k, float alpha, Native.Floats fa, int lda,
      Native.Floats fb, int ldb, float beta, float[] bias, boolean relu, float[] c, int cOffset,
      int ldc) {
    int cLen = span(m, n, ldc);
    Native.Floats fc = s.c(cLen);
    if (beta != 0f) {
      fc.buffer().put(0, c, cOffset, cLen);
    }
    boolean fused = precision == Precision.BFLOAT16;
    Native.Floats fbias = null;
    if (bias != null && fused) {
      fbias = s.bias(n);
      fbias.buffer().put(0, bias, 0, n);
    }
    run(precision, transA, transB, m, n, k, alpha, fa, lda, fb, ldb, beta, fbias, fused && relu,
        fc, ldc);
    copyOut(fc.buffer(), m, n, c, cOffset, ldc);
    if (!fused && (bias != null || relu)) {
      BiasRelu.apply(c, cOffset, m, n, ldc, bias, relu);
    }
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
    gemm(Precision.FLOAT32, transA, transB, m, n, k, alpha, a, aOffset, lda, b, ldb, beta, c,
        cOffset, ldc);
  }

  /** The staged-B form of {@link #sgemm} in the given precision. */
  public static void gemm(Precision precision, boolean transA, boolean transB, int m, int n,
      int k, float alpha, float[] a, int aOffset, int lda, StagedMatrix b, int ldb, float beta,
      float[] c, int cOffset, int ldc) {
    product(precision, transA, transB, m, n, k, alpha, a, aOffset, lda, null, 0, b, ldb, beta,
        null, false, c, cOffset, ldc);
  }

  /**
   * {@code C = relu?(A * B + bias)}: a product with the bias (one value per column of C, or none
   * when {@code bias} is null) and, with {@code relu}, {@code max(x, 0)} applied to the result in
   * the same call, B taken from a {@link StagedMatrix} ({@code k x n}, leading dimension {@code
   * n}), A {@code m x k} from {@code aOffset}, C {@code m x n} from {@code cOffset}. The bias is
   * added to each float32 result of the product (one rounding), as a separate addition would.
   */
  public static void linear(Precision precision, int m, int n, int k, float[] a, int aOffset,
      StagedMatrix b, float[] bias, boolean relu, float[] c, int cOffset) {
    checkBias(bias, n);
    product(precision, false, false, m, n, k, 1f, a, aOffset, k, null, 0, b, n, 0f, bias, relu, c,
        cOffset, n);
  }

  /** {@link #linear(Precision, int, int, int, float[], int, StagedMatrix, float[], boolean,
   * float[], int)} with the kernel {@code b} ({@code k x n} from index 0) copied from an array. */
  public static void linear(Precision precision, int m, int n, int k, float[] a, int aOffset,
      float[] b, float[] bias, boolean relu, float[] c, int cOffset) {
    checkBias(bias, n);
    product(precision, false, false, m, n, k, 1f, a, aOffset, k, b, 0, null, n, 0f, bias, relu, c,
        cOffset, n);
  }

  private static void checkBias(float[] bias, int n) {
    if (bias != null && bias.length != n) {
      throw new IllegalArgumentException(
          "linear: bias needs " + n + " floats, received " + bias.length);
    }
  }

  /**
   * The product with B from an array ({@code bArray} from {@code bOffset}) or from a staged
   * matrix ({@code bStaged}, when {@code bArray} is null), with the optional bias and ReLU.
   */
  private static void product(Precision precision, boolean transA, boolean transB, int m, int n,
      int k, float alpha, float[] a, int aOffset, int lda, float[] bArray, int bOffset,
      StagedMatrix bStaged, int ldb, float beta, float[] bias, boolean relu, float[] c,
      int cOffset, int ldc) {
    if (checkDims(m, n, k)) {
      return;
    }
    int aLen = k == 0 ? 0 : span(transA ? k : m, transA ? m : k, lda);
    int bLen = k == 0 ? 0 : span(transB ? n : k, transB ? k : n, ldb);
    int cLen = span(m, n, ldc);
    checkRange("A", a, aOffset, aLen);
    checkRange("C", c, cOffset, cLen);
    if (bArray != null) {
      checkRange("B", bArray, bOffset, bLen);
    } else if (bLen > bStaged.length()) {
      throw new IllegalArgumentException("sgemm: operand B needs " + bLen
          + " floats but the staged matrix holds " + bStaged.length());
    }
    Native.Floats staged = bArray == null ? bStaged.floats() : null;
    if (k == 0) {
      scaleC(m, n, beta, c, cOffset, ldc);
      BiasRelu.apply(c, cOffset, m, n, ldc, bias, relu);
      return;
    }
    Native.ensureLoaded();
    Staging s = STAGING.get();
    Native.Floats fa = s.a(aLen);
    fa.buffer().put(0, a, aOffset, aLen);
    Native.Floats fb = staged;
    if (fb == null) {
      fb = s.b(bLen);
      fb.buffer().put(0, bArray, bOffset, bLen);
    }
    runIntoArray(s, precision, transA, transB, m, n, k, alpha, fa, lda, fb, ldb, beta, bias,
        relu, c, cOffset, ldc);
  }

  /**
   * This thread's staging buffer for operand A, holding at least {@code n} floats, for a caller of
   * this package that writes A there itself (a convolution's column matrix) and then calls {@link
   * #sgemmStagedA}. The buffer is reused by the next product on this thread.
   */
  static FloatBuffer stagingA(int n) {
    return STAGING.get().a(n).buffer();
  }

  /**
   * {@link #sgemm} with operand A already in this thread's {@link #stagingA} buffer from index 0
   * (leading dimension {@code lda}); A is neither copied nor range-checked against an array.
   */
  static void sgemmStagedA(
      Precision precision,
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
    Native.Floats fb = s.b(bLen);
    fb.buffer().put(0, b, bOffset, bLen);
    runIntoArray(s, precision, transA, transB, m, n, k, alpha, s.a, lda, fb, ldb, beta, null,
        false, c, cOffset, ldc);
  }

  /**
   * {@code C = alpha * op(A) * op(B)} left in this thread's staging buffer for C (row-major, leading
   * dimension {@code n}), for a caller of this package that reads C from there itself (the column
   * gradients of a convolution). The buffer is reused by the next product on this thread.
   */
  static FloatBuffer sgemmToStagedC(
      Precision precision,
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
    Native.Floats fa = s.a(aLen);
    Native.Floats fb = s.b(bLen);
    Native.Floats fc = s.c(m * n);
    fa.buffer().put(0, a, aOffset, aLen);
    fb.buffer().put(0, b, bOffset, bLen);
    run(precision, transA, transB, m, n, k, alpha, fa, lda, fb, ldb, 0f, null, false, fc, n);
    return fc.buffer();
  }

  private static void run(Precision precision, boolean transA, boolean transB, int m, int n,
      int k, float alpha, Native.Floats fa, int lda, Native.Floats fb, int ldb, float beta,
      Native.Floats bias, boolean relu, Native.Floats fc, int ldc) {
    if (precision == null) {
      throw new IllegalArgumentException("sgemm: precision must not be null");
    }
    precision.requireSupported();
    if (precision == Precision.BFLOAT16) {
      if (alpha != 1f || (beta != 0f && beta != 1f)) {
        throw new IllegalArgumentException("sgemm: bfloat16 products take alpha 1 and beta 0 or 1,"
            + " received alpha " + alpha + " and beta " + beta);
      }
      MatMulPrimitives.Key key = new MatMulPrimitives.Key(m, n, k, transA, transB, lda, ldb, ldc,
          beta == 1f, bias != null, relu, precision);
      MatMulPrimitives.run(key, fa.pointer(), fb.pointer(), fc.pointer(),
          bias == null ? null : bias.pointer());
      return;
    }
    int status =
        dnnl.dnnl_sgemm(
            (byte) (transA ? 'T' : 'N'),
            (byte) (transB ? 'T' : 'N'),
            m,
            n,
            k,
            alpha,
            fa.buffer(),
            lda,
            fb.buffer(),
            ldb,
            beta,
            fc.buffer(),
            ldc);
    if (status != 0) {
      throw new IllegalStateException("dnnl_sgemm failed with status " + status);
    }
  }

  /** oneDNN's implementation name for a product of this shape and precision (for diagnostics). */
  public static String implementation(Precision precision, int m, int n, int k) {
    return MatMulPrimitives.implementation(new MatMulPrimitives.Key(m, n, k, false, false, k, n, n,
        false, false, false, precision));
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

  /** Per-thread native buffers, grown on demand and then reused. */
  private static final class Staging {
    private Native.Floats a = Native.Floats.allocate(0);
    private Native.Floats b = Native.Floats.allocate(0);
    private Native.Floats c = Native.Floats.allocate(0);
    private Native.Floats bias = Native.Floats.allocate(0);

    Native.Floats a(int n) {
      if (a.capacity() < n) {
        a = Native.Floats.allocate(n);
      }
      return a;
    }

    Native.Floats b(int n) {
      if (b.capacity() < n) {
        b = Native.Floats.allocate(n);
      }
      return b;
    }

    Native.Floats c(int n) {
      if (c.capacity() < n) {
        c = Native.Floats.allocate(n);
      }
      return c;
    }

    Native.Floats bias(int n) {
      if (bias.capacity() < n) {
        bias = Native.Floats.allocate(n);
      }
      return bias;
    }
  }
}

package io.github.maxnorm.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link Gemm} in both precisions: every transpose, offsets and leading dimensions, accumulation,
 * the fused bias and ReLU, against a double-precision reference whose operands are rounded as the
 * precision says.
 */
class GemmTest {
  static float bf16(float v) {
    int b = Float.floatToRawIntBits(v);
    b += 0x7fff + ((b >>> 16) & 1);
    return Float.intBitsToFloat(b & 0xffff0000);
  }

  static float[] random(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) (r.nextDouble() * 2 - 1);
    }
    return a;
  }

  /** C = op(A) op(B) + beta C in double, operands rounded to bfloat16 when {@code bf16}. */
  static double[] reference(boolean ta, boolean tb, int m, int n, int k, float[] a, int aOff,
      int lda, float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc,
      boolean bf16) {
    double[] r = new double[m * n];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double s = beta == 0 ? 0 : beta * c[cOff + i * ldc + j];
        for (int p = 0; p < k; p++) {
          float x = a[aOff + (ta ? p * lda + i : i * lda + p)];
          float y = b[bOff + (tb ? j * ldb + p : p * ldb + j)];
          s += bf16 ? (double) bf16(x) * bf16(y) : (double) x * y;
        }
        r[i * n + j] = s;
      }
    }
    return r;
  }

  @ParameterizedTest
  @CsvSource({
    "false, false, FLOAT32, 0", "true, false, FLOAT32, 0", "false, true, FLOAT32, 1",
    "true, true, FLOAT32, 1", "false, false, BFLOAT16, 0", "true, false, BFLOAT16, 1",
    "false, true, BFLOAT16, 0", "true, true, BFLOAT16, 1"})
  void everyLayoutMatchesTheReference(boolean ta, boolean tb, Precision p, int beta) {
    Assumptions.assumeTrue(p.supported(), Precision.bfloat16Unsupported());
    int m = 13;
    int n = 9;
    int k = 40;
    int lda = (ta ? m : k) + 3;
    int ldb = (tb ? k : n) + 2;
    int ldc = n + 4;
    int aOff = 5;
    int bOff = 7;
    int cOff = 2;
    float[] a = random(aOff + (ta ? k : m) * lda, 1);
    float[] b = random(bOff + (tb ? n : k) * ldb, 2);
    float[] c = random(cOff + m * ldc, 3);
    float[] before = c.clone();
    double[] ref = reference(ta, tb, m, n, k, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc,
        p == Precision.BFLOAT16);
    Gemm.gemm(p, ta, tb, m, n, k, 1f, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        assertEquals(ref[i * n + j], c[cOff + i * ldc + j], 1e-5, "C[" + i + "][" + j + "]");
      }
      for (int j = n; j < ldc && cOff + i * ldc + j < c.length; j++) {
        assertEquals(before[cOff + i * ldc + j], c[cOff + i * ldc + j], "padding untouched");
      }
    }
  }

  @ParameterizedTest
  @CsvSource({"FLOAT32, true", "FLOAT32, false", "BFLOAT16, true", "BFLOAT16, false"})
  void linearAddsTheBiasAndAppliesTheRelu(Precision p, boolean relu) {
    Assumptions.assumeTrue(p.supported(), Precision.bfloat16Unsupported());
    int m = 1;
    int n = 33;
    int k = 70;
    float[] a = random(m * k, 4);
    float[] w = random(k * n, 5);
    float[] bias = random(n, 6);
    float[] c = new float[m * n];
    StagedMatrix staged = Gemm.stage(w, 0, w.length);
    Gemm.linear(p, m, n, k, a, 0, staged, bias, relu, c, 0);
    staged.release();
    double[] ref = reference(false, false, m, n, k, a, 0, k, w, 0, n, 0f, c, 0, n,
        p == Precision.BFLOAT16);
    boolean clipped = false;
    for (int i = 0; i < ref.length; i++) {
      double v = ref[i] + bias[i % n];
      clipped |= relu && v < 0;
      assertEquals(relu ? Math.max(v, 0) : v, c[i], 1e-5, "C[" + i + "]");
    }
    assertEquals(relu, clipped, "the data has negative pre-activations only to clip with ReLU");
  }

  @Test
  void emptyInnerDimensionGivesBiasAndRelu() {
    float[] c = new float[6];
    StagedMatrix staged = Gemm.stage(new float[0], 0, 0);
    Gemm.linear(Precision.FLOAT32, 2, 3, 0, new float[0], 0, staged, new float[] {1, -2, 3}, true,
        c, 0);
    assertArrayEquals(new float[] {1, 0, 3, 1, 0, 3}, c);
  }

  @Test
  void bfloat16NeedsUnitScalars() {
    Assumptions.assumeTrue(Precision.BFLOAT16.supported(), Precision.bfloat16Unsupported());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Gemm.gemm(Precision.BFLOAT16, false, false, 2, 2, 2, 2f, new float[4], 0, 2,
            new float[4], 0, 2, 0f, new float[4], 0, 2));
    assertTrue(e.getMessage().contains("alpha 2.0"), e.getMessage());
    float[] c = {1, 1, 1, 1};
    // float32 keeps any scalars (dnnl_sgemm)
    Gemm.gemm(Precision.FLOAT32, false, false, 2, 2, 2, 2f, new float[] {1, 0, 0, 1}, 0, 2,
        new float[] {1, 2, 3, 4}, 0, 2, 0.5f, c, 0, 2);
    assertArrayEquals(new float[] {2.5f, 4.5f, 6.5f, 8.5f}, c);
  }

  @Test
  void primitiveCacheStaysBounded() {
    Assumptions.assumeTrue(Precision.BFLOAT16.supported(), Precision.bfloat16Unsupported());
    float[] a = random(MatMulPrimitives.CACHE_CAPACITY + 5, 7);
    for (int m = 1; m <= MatMulPrimitives.CACHE_CAPACITY + 5; m++) {
      float[] c = new float[m * 2];
      Gemm.gemm(Precision.BFLOAT16, false, false, m, 2, 1, 1f, a, 0, 1, random(2, m), 0, 2, 0f,
          c, 0, 2);
      assertTrue(MatMulPrimitives.cached() <= MatMulPrimitives.CACHE_CAPACITY);
    }
    float[] c = new float[2];
    Gemm.gemm(Precision.BFLOAT16, false, false, 1, 2, 1, 1f, new float[] {2}, 0, 1,
        new float[] {3, 4}, 0, 2, 0f, c, 0, 2);
    assertArrayEquals(new float[] {6, 8}, c, "an evicted shape is created again");
  }

  @Test
  void sameOperandsGiveTheSameBits() {
    float[] a = random(128 * 300, 8);
    float[] b = random(300 * 200, 9);
    for (Precision p : Precision.values()) {
      if (!p.supported()) {
        continue;
      }
      float[] c1 = new float[128 * 200];
      float[] c2 = new float[128 * 200];
      Gemm.gemm(p, false, false, 128, 200, 300, 1f, a, 0, 300, b, 0, 200, 0f, c1, 0, 200);
      Gemm.gemm(p, false, false, 128, 200, 300, 1f, a, 0, 300, b, 0, 200, 0f, c2, 0, 200);
      assertArrayEquals(c1, c2, p.toString());
    }
  }

  @Test
  void unsupportedPrecisionIsRefusedNamingTheCpu() {
    Assumptions.assumeFalse(Precision.BFLOAT16.supported(), "this CPU runs bfloat16");
    UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
        () -> Gemm.gemm(Precision.BFLOAT16, false, false, 1, 1, 1, 1f, new float[1], 0, 1,
            new float[1], 0, 1, 0f, new float[1], 0, 1));
    assertTrue(e.getMessage().startsWith("bfloat16 needs a CPU with AVX-512 BF16 or AMX"),
        e.getMessage());
  }
}

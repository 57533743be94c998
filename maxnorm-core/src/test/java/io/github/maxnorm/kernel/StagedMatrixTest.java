package io.github.maxnorm.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class StagedMatrixTest {

  private static float[] random(SplittableRandom rng, int n) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) (rng.nextDouble() * 2 - 1);
    }
    return x;
  }

  @ParameterizedTest
  @CsvSource({"7, 9, 5, false, 0", "33, 130, 70, true, 0", "16, 64, 200, false, 1",
      "3, 257, 129, true, 1", "1, 1, 1, false, 0"})
  void stagedOperandGivesTheArrayFormsResultBitForBit(
      int m, int n, int k, boolean transB, int accumulate) {
    SplittableRandom rng = new SplittableRandom(31L * m + 7L * n + k);
    int ldb = transB ? k : n;
    float[] a = random(rng, m * k);
    float[] b = random(rng, k * n + 3);
    float[] c0 = random(rng, m * n);
    float beta = accumulate == 1 ? 1f : 0f;
    float[] want = c0.clone();
    Gemm.sgemm(false, transB, m, n, k, 0.5f, a, 0, k, b, 3, ldb, beta, want, 0, n);
    StagedMatrix s = Gemm.stage(b, 3, k * n);
    float[] got = c0.clone();
    Gemm.sgemm(false, transB, m, n, k, 0.5f, a, 0, k, s, ldb, beta, got, 0, n);
    s.release();
    assertArrayEquals(want, got);
  }

  @Test
  void stagedCopyIsASnapshotAndReleasedHandlesAreRejected() {
    float[] b = {1, 2, 3, 4};
    StagedMatrix s = Gemm.stage(b, 0, 4);
    b[0] = 100f;
    float[] c = new float[2];
    Gemm.sgemm(false, false, 1, 2, 2, 1f, new float[] {1, 0}, 0, 2, s, 2, 0f, c, 0, 2);
    assertArrayEquals(new float[] {1, 2}, c);
    assertFalse(s.released());
    s.release();
    s.release();
    assertTrue(s.released());
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> Gemm.sgemm(false, false, 1, 2, 2, 1f, new float[2], 0, 2, s, 2, 0f, c, 0, 2));
    assertTrue(e.getMessage().contains("released"), e.getMessage());
  }

  @Test
  void releasedBuffersAreReusedAndThePoolIsBounded() {
    StagedMatrix[] many = new StagedMatrix[StagedMatrix.POOL_MAX_BUFFERS + 4];
    for (int i = 0; i < many.length; i++) {
      many[i] = Gemm.stage(new float[1000], 0, 1000);
    }
    for (StagedMatrix s : many) {
      s.release();
    }
    assertTrue(StagedMatrix.pooledBuffers() <= StagedMatrix.POOL_MAX_BUFFERS);
    int before = StagedMatrix.pooledBuffers();
    StagedMatrix again = Gemm.stage(new float[900], 0, 900);
    assertEquals(before - 1, StagedMatrix.pooledBuffers());
    again.release();
    assertEquals(before, StagedMatrix.pooledBuffers());
  }

  @Test
  void argumentsAreChecked() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Gemm.stage(new float[4], 2, 3));
    assertTrue(e.getMessage().contains("length 4"), e.getMessage());
    StagedMatrix s = Gemm.stage(new float[4], 0, 4);
    e = assertThrows(IllegalArgumentException.class,
        () -> Gemm.sgemm(false, false, 1, 3, 2, 1f, new float[2], 0, 2, s, 3, 0f,
            new float[3], 0, 3));
    assertTrue(e.getMessage().contains("staged matrix holds 4"), e.getMessage());
    s.release();
  }
}

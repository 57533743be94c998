package io.github.maxnorm.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DropoutTest {

  @ParameterizedTest
  @ValueSource(floats = {0.1f, 0.5f, 0.8f})
  void keepsAboutOneMinusRateAndScales(float rate) {
    int n = 100_000;
    Tensor out = Tensor.ones(n).dropout(rate, new SplittableRandom(61));
    float scale = 1f / (1f - rate);
    int kept = 0;
    for (int i = 0; i < n; i++) {
      float v = out.get(i);
      assertTrue(v == 0f || v == scale, "element " + i + " = " + v);
      if (v != 0f) {
        kept++;
      }
    }
    // Five standard deviations of the binomial kept fraction.
    double sd = Math.sqrt(rate * (1 - rate) / n);
    assertEquals(1 - rate, kept / (double) n, 5 * sd);
  }

  @Test
  void sameSeedGivesBitIdenticalOutput() {
    Tensor x = GradCheck.random(62, 50, 40);
    float[] a = x.dropout(0.3f, new SplittableRandom(7)).toArray();
    float[] b = x.dropout(0.3f, new SplittableRandom(7)).toArray();
    float[] c = x.dropout(0.3f, new SplittableRandom(8)).toArray();
    assertArrayEquals(a, b);
    assertTrue(!java.util.Arrays.equals(a, c), "different seeds gave the same mask");
    // The generator advances: two draws from one generator differ.
    SplittableRandom rng = new SplittableRandom(7);
    float[] first = x.dropout(0.3f, rng).toArray();
    float[] second = x.dropout(0.3f, rng).toArray();
    assertArrayEquals(a, first);
    assertTrue(!java.util.Arrays.equals(first, second));
  }

  @Test
  void gradientIsTheMaskTimesTheScale() {
    float rate = 0.4f;
    Tensor x = Tensor.randomUniform(new SplittableRandom(63), 0.5f, 2f, 30, 20).requiringGrad();
    Tensor y = x.dropout(rate, new SplittableRandom(9));
    Tensor gOut = GradCheck.random(64, 30, 20);
    float[] g = Autograd.grad(y, gOut, List.of(x)).get(0).toArray();
    float scale = 1f / (1f - rate);
    int dropped = 0;
    for (int i = 0; i < g.length; i++) {
      float factor = y.get(i) / x.get(i);
      float m = factor == 0f ? 0f : scale;
      if (m == 0f) {
        dropped++;
      }
      assertEquals(m, factor, 1e-6f * scale, "element " + i);
      assertEquals(gOut.get(i) * m, g[i], 0f, "element " + i);
    }
    assertTrue(dropped > 0 && dropped < g.length);
  }

  @Test
  void rateZeroIsTheIdentityAndDrawsNothing() {
    Tensor x = GradCheck.random(65, 4, 5).requiringGrad();
    SplittableRandom rng = new SplittableRandom(3);
    Tensor y = x.dropout(0f, rng);
    assertArrayEquals(x.toArray(), y.toArray());
    assertEquals(new SplittableRandom(3).nextLong(), rng.nextLong());
    float[] g = Autograd.grad(y.sum(), List.of(x)).get(0).toArray();
    assertArrayEquals(Tensor.ones(20).toArray(), g);
  }

  @ParameterizedTest
  @ValueSource(floats = {0.05f, 0.2f, 0.5f, 0.9f})
  void seededFormMatchesTheGeneratorFormBitForBit(float rate) {
    // large enough that the seeded form splits the work across threads
    Tensor x = GradCheck.random(66, 300, 250).requiringGrad();
    Tensor gOut = GradCheck.random(67, 300, 250);
    for (long seed : new long[] {0L, 1L, -7L, 123456789L, Long.MIN_VALUE}) {
      Tensor bySeed = x.dropout(rate, seed);
      Tensor byRng = x.dropout(rate, new SplittableRandom(seed));
      assertArrayEquals(byRng.toArray(), bySeed.toArray(), "seed " + seed);
      float[] gSeed = Autograd.grad(bySeed, gOut, List.of(x)).get(0).toArray();
      float[] gRng = Autograd.grad(byRng, gOut, List.of(x)).get(0).toArray();
      assertArrayEquals(gRng, gSeed, "seed " + seed);
    }
  }

  @Test
  void seededFormRejectsBadRatesAndIsTheIdentityAtZero() {
    Tensor x = GradCheck.random(68, 4, 5);
    assertArrayEquals(x.toArray(), x.dropout(0f, 5L).toArray());
    for (float bad : new float[] {1f, -0.1f, Float.NaN}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> x.dropout(bad, 5L));
      assertTrue(e.getMessage().startsWith("dropout: rate must be in [0, 1), received " + bad),
          e.getMessage());
    }
  }

  @Test
  void rejectsRatesOutsideTheUnitInterval() {
    Tensor x = Tensor.ones(3);
    for (float bad : new float[] {1f, -0.1f, 1.5f, Float.NaN}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> x.dropout(bad, new SplittableRandom(1)));
      assertTrue(e.getMessage().startsWith("dropout: rate must be in [0, 1), received " + bad),
          e.getMessage());
    }
  }
}

package io.github.maxnorm.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ExactSumTest {

  /** Vectors whose elements span many orders of magnitude, with both signs. */
  private static List<float[]> vectors(int count, int length, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    List<float[]> out = new ArrayList<>();
    for (int v = 0; v < count; v++) {
      float[] x = new float[length];
      for (int i = 0; i < length; i++) {
        double mag = Math.pow(10, r.nextInt(-30, 30));
        x[i] = (float) ((r.nextBoolean() ? 1 : -1) * mag * (1 + r.nextDouble()));
      }
      out.add(x);
    }
    return out;
  }

  /** Sums the vectors by a random binary tree over a random order. */
  private static ExactSum randomTree(List<float[]> vs, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    List<ExactSum> parts = new ArrayList<>();
    for (float[] v : vs) {
      parts.add(ExactSum.of(v, new double[0]));
    }
    while (parts.size() > 1) {
      ExactSum a = parts.remove(r.nextInt(parts.size()));
      ExactSum b = parts.remove(r.nextInt(parts.size()));
      parts.add(r.nextBoolean() ? a.plus(b) : b.plus(a));
    }
    return ExactSum.empty().plus(parts.get(0));
  }

  @Test
  void anyOrderAndGroupingGivesTheSameSum() {
    List<float[]> vs = vectors(7, 300, 1);
    ExactSum first = randomTree(vs, 100);
    assertTrue(first.wideElements() > 0, "the data should need wide sums somewhere");
    for (long s = 101; s < 120; s++) {
      ExactSum other = randomTree(vs, s);
      assertEquals(first, other);
      assertArrayEquals(first.mean(0, 300), other.mean(0, 300));
    }
    // a plain float sum in another order differs somewhere: the exactness matters here
    boolean differs = false;
    for (int i = 0; i < 300 && !differs; i++) {
      float f1 = 0;
      float f2 = 0;
      for (int v = 0; v < 7; v++) {
        f1 += vs.get(v)[i];
        f2 += vs.get(6 - v)[i];
      }
      differs = Float.floatToIntBits(f1) != Float.floatToIntBits(f2);
    }
    assertTrue(differs);
  }

  @Test
  void theMeanIsTheExactMeanRounded() {
    List<float[]> vs = vectors(5, 200, 2);
    ExactSum sum = randomTree(vs, 3);
    float[] mean = sum.mean(0, 200);
    for (int i = 0; i < 200; i++) {
      BigDecimal exact = BigDecimal.ZERO;
      for (float[] v : vs) {
        exact = exact.add(new BigDecimal(v[i]));
      }
      double want = exact.divide(BigDecimal.valueOf(5), java.math.MathContext.DECIMAL128)
          .doubleValue();
      assertEquals((float) want, mean[i], Math.ulp((float) want), "element " + i);
    }
    assertEquals(5, sum.count());
  }

  @Test
  void nonFiniteValuesFollowIeeeInAnyOrder() {
    float inf = Float.POSITIVE_INFINITY;
    List<float[]> vs = List.of(
        new float[] {1, inf, inf, Float.NaN, 1e30f},
        new float[] {2, -inf, 1, 0, 1e-30f},
        new float[] {3, 0, inf, 0, -1e30f});
    float[] want = {2, Float.NaN, inf, Float.NaN, 1e-30f / 3};
    for (long s = 0; s < 6; s++) {
      assertArrayEquals(want, randomTree(vs, s).mean(0, 5));
    }
  }

  @Test
  void serializationKeepsEveryBitAndSendsFloatsAsFloats() throws Exception {
    List<float[]> vs = vectors(3, 1000, 4);
    ExactSum one = ExactSum.of(vs.get(0), new double[] {0.1, Double.NaN});
    ExactSum three = randomTree(vs, 5);
    for (ExactSum s : List.of(one, three, ExactSum.empty())) {
      var bytes = new java.io.ByteArrayOutputStream();
      try (var out = new java.io.ObjectOutputStream(bytes)) {
        out.writeObject(s);
      }
      try (var in = new java.io.ObjectInputStream(
          new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
        assertEquals(s, in.readObject());
      }
      if (s == one) {
        assertTrue(bytes.size() < 4 * 1000 + 300, "one vector took " + bytes.size() + " bytes");
      }
    }
  }

  @Test
  void statisticsBesideTheStateAreSummedToo() {
    ExactSum a = ExactSum.of(new float[] {1f}, new double[] {0.1, 10});
    ExactSum b = ExactSum.of(new float[] {3f}, new double[] {0.2, 20});
    a.plus(b);
    assertEquals(2.0f, a.mean(0, 1)[0]);
    assertEquals(0.30000000000000004, a.sum(1));
    assertEquals(30, a.sum(2));
    assertNotEquals(ExactSum.empty(), a);
    var e = assertThrows(IllegalArgumentException.class,
        () -> a.plus(ExactSum.of(new float[2], new double[0])));
    assertEquals("ExactSum: cannot add a vector of length 2 to one of length 3", e.getMessage());
  }
}

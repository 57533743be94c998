package io.github.maxnorm.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.maxnorm.tensor.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class DatasetTest {

  /** n samples of shape [2,3,1]; sample i holds bytes i*6 + j; label i % classes. */
  static Dataset bytes(int n, int classes) {
    byte[] px = new byte[n * 6];
    for (int i = 0; i < px.length; i++) {
      px[i] = (byte) i;
    }
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = i % classes;
    }
    return Dataset.ofBytes(new int[] {2, 3, 1}, px, y, classes);
  }

  @Test
  void batchScalesBytesToUnitRangeInIndexOrder() {
    Dataset d = bytes(50, 4);
    Batch b = d.batch(new int[] {3, 0, 42, 3});
    assertEquals(Shape.of(4, 2, 3, 1), b.x().shape());
    assertArrayEquals(new int[] {3, 0, 2, 3}, b.y());
    float[] x = b.x().toArray();
    int[] src = {3, 0, 42, 3};
    for (int k = 0; k < 4; k++) {
      for (int j = 0; j < 6; j++) {
        int raw = (src[k] * 6 + j) & 0xFF;
        assertEquals(raw / 255f, x[k * 6 + j], 0f);
      }
    }
    // Byte 255 maps to exactly 1.
    Dataset one = Dataset.ofBytes(new int[] {1}, new byte[] {(byte) 255}, new int[] {0}, 1);
    assertEquals(1f, one.all().x().item());
  }

  @Test
  void floatsPassUnchangedAndNonFiniteIsRejectedNamingValue() {
    float[] v = {0.5f, -3f, 1e6f, 2f};
    Dataset d = Dataset.ofFloats(new int[] {2}, v, new int[] {1, 0}, 2);
    assertArrayEquals(v, d.all().x().toArray());
    assertFalse(d.storesBytes());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Dataset.ofFloats(new int[] {2}, new float[] {1, Float.NaN}, new int[] {0}, 1));
    assertTrue(e.getMessage().contains("NaN"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Dataset.ofFloats(
        new int[] {1}, new float[] {Float.POSITIVE_INFINITY}, new int[] {0}, 1));
    assertTrue(e.getMessage().contains("Infinity"), e.getMessage());
  }

  @Test
  void constructionValidatesSizesLabelsAndEmptiness() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Dataset.ofBytes(new int[] {2}, new byte[3], new int[] {0, 1}, 2));
    assertTrue(e.getMessage().contains("received 3"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> Dataset.ofBytes(new int[] {1}, new byte[2], new int[] {0, 5}, 5));
    assertTrue(e.getMessage().contains("label 5"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> Dataset.ofBytes(new int[] {1}, new byte[1], new int[] {-1}, 5));
    assertTrue(e.getMessage().contains("label -1"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> Dataset.ofBytes(new int[] {1}, new byte[0], new int[0], 2));
    assertTrue(e.getMessage().contains("at least one sample"), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> Dataset.ofBytes(new int[] {0}, new byte[0], new int[] {0}, 1));
    assertThrows(IllegalArgumentException.class,
        () -> Dataset.ofBytes(new int[] {1}, new byte[1], new int[] {0}, 0));
  }

  @Test
  void arraysAreCopiedIn() {
    byte[] px = {1, 2};
    int[] y = {0, 1};
    Dataset d = Dataset.ofBytes(new int[] {1}, px, y, 2);
    px[0] = 9;
    y[0] = 1;
    assertEquals(0, d.label(0));
    assertEquals(1 / 255f, d.batch(new int[] {0}).x().item(), 0f);
    d.labels()[1] = 0;
    assertEquals(1, d.label(1));
  }

  @Test
  void batchAndSubsetRejectBadIndices() {
    Dataset d = bytes(5, 2);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> d.batch(new int[] {0, 5}));
    assertTrue(e.getMessage().contains("index 5"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> d.subset(new int[] {-1}));
    assertThrows(IllegalArgumentException.class, () -> d.batch(new int[0]));
    e = assertThrows(IllegalArgumentException.class, () -> d.batches(0));
    assertTrue(e.getMessage().contains("received 0"), e.getMessage());
  }

  @Test
  void subsetCopiesSelectedSamples() {
    Dataset d = bytes(10, 3);
    Dataset s = d.subset(new int[] {7, 2});
    assertEquals(2, s.size());
    assertArrayEquals(new int[] {1, 2}, s.labels());
    assertArrayEquals(d.batch(new int[] {7, 2}).x().toArray(), s.all().x().toArray());
    assertEquals(3, s.numClasses());
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 99})
  void permutationIsSeededFisherYates(long seed) {
    Dataset d = bytes(200, 5);
    int[] p = d.permutation(new SplittableRandom(seed));
    assertArrayEquals(p, d.permutation(new SplittableRandom(seed)));
    assertNotEquals(Arrays.toString(p), Arrays.toString(d.permutation(new SplittableRandom(seed + 7))));
    int[] sorted = p.clone();
    Arrays.sort(sorted);
    assertArrayEquals(Dataset.range(0, 200), sorted);
    // Reference Fisher-Yates from the same stream.
    SplittableRandom r = new SplittableRandom(seed);
    int[] ref = Dataset.range(0, 200);
    for (int i = ref.length - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      int t = ref[i];
      ref[i] = ref[j];
      ref[j] = t;
    }
    assertArrayEquals(ref, p);
  }

  @Test
  void permutationIsRoughlyUniform() {
    // Position of element 0 over many shuffles of 4: each of 4 positions ~ 1/4.
    Dataset d = bytes(4, 2);
    SplittableRandom rng = new SplittableRandom(5);
    int[] counts = new int[4];
    int trials = 8000;
    for (int t = 0; t < trials; t++) {
      int[] p = d.permutation(rng);
      for (int i = 0; i < 4; i++) {
        if (p[i] == 0) {
          counts[i]++;
        }
      }
    }
    for (int c : counts) {
      assertEquals(trials / 4.0, c, 5 * Math.sqrt(trials * 0.25 * 0.75), Arrays.toString(counts));
    }
  }

  @ParameterizedTest
  @CsvSource({"10, 0.2, 8", "10, 0.1, 9", "7, 0.5, 3", "100, 0.3, 70", "3, 0.34, 1", "1000, 0.001, 999"})
  void splitTakesTheLastFractionAsKerasDoes(int n, double fraction, int expectedTrain) {
    Dataset d = bytes(n, 3);
    Split s = d.split(fraction);
    assertEquals((int) Math.floor(n * (1.0 - fraction)), s.train().size());
    assertEquals(expectedTrain, s.train().size());
    assertEquals(n - expectedTrain, s.validation().size());
    assertArrayEquals(d.batch(Dataset.range(0, expectedTrain)).x().toArray(),
        s.train().all().x().toArray());
    assertArrayEquals(d.batch(Dataset.range(expectedTrain, n)).x().toArray(),
        s.validation().all().x().toArray());
  }

  @Test
  void splitRejectsBadFractionsAndEmptyParts() {
    Dataset d = bytes(3, 2);
    for (double f : new double[] {0, 1, -0.1, 1.5, Double.NaN}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> d.split(f));
      assertTrue(e.getMessage().contains(String.valueOf(f)), e.getMessage());
    }
    // floor(3 * 0.1) = 0 training samples.
    assertThrows(IllegalArgumentException.class, () -> d.split(0.9));
  }

  @ParameterizedTest
  @CsvSource({"10, 3", "10, 5", "10, 10", "10, 32", "1, 1", "17, 4"})
  void batchesCoverThePermutationWithPartialLastBatch(int n, int batchSize) {
    Dataset d = bytes(n, 2);
    int[] order = d.permutation(new SplittableRandom(n * 31L + batchSize));
    Batches batches = d.batches(batchSize, order);
    assertEquals((n + batchSize - 1) / batchSize, batches.count());
    List<Integer> seen = new ArrayList<>();
    int k = 0;
    for (Batch b : batches) {
      int expected = Math.min(batchSize, n - k * batchSize);
      assertEquals(expected, b.size());
      int[] idx = batches.indices(k);
      assertArrayEquals(Arrays.copyOfRange(order, k * batchSize, k * batchSize + expected), idx);
      assertArrayEquals(d.batch(idx).x().toArray(), b.x().toArray());
      for (int i : idx) {
        seen.add(i);
      }
      k++;
    }
    assertEquals(batches.count(), k);
    assertEquals(n, seen.size());
    assertEquals(n, seen.stream().distinct().count());
    // Iterating again gives the same batches; the same seed gives the same order.
    Batch firstAgain = batches.iterator().next();
    assertArrayEquals(d.batch(batches.indices(0)).y(), firstAgain.y());
    Batches same = d.batches(batchSize, new SplittableRandom(n * 31L + batchSize));
    assertArrayEquals(batches.indices(0), same.indices(0));
  }
}

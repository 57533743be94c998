package io.github.maxnorm.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.maxnorm.kernel.Parallel;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LayoutOpsTest {

  @Test
  void transposeSwapsTheLastTwoAxes() {
    Tensor m = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
    Tensor t = m.transpose();
    assertArrayEquals(new int[] {3, 2}, t.shape().dims());
    assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, t.toArray());
    int[] dims = {2, 3, 4};
    GradCheck.check(
        in -> in.get(0).transpose(),
        r -> Refs.permute(r.get(0), dims, new int[] {0, 2, 1}),
        List.of(GradCheck.random(51, dims)),
        1e-4);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(3).transpose());
    assertTrue(e.getMessage().equals("transpose: requires rank >= 2, received shape [3]"),
        e.getMessage());
  }

  static Stream<Arguments> permutations() {
    return Stream.of(
        Arguments.of((Object) new int[] {0, 1, 2}),
        Arguments.of((Object) new int[] {2, 0, 1}),
        Arguments.of((Object) new int[] {1, 2, 0}),
        Arguments.of((Object) new int[] {-1, 1, 0}));
  }

  @ParameterizedTest
  @MethodSource("permutations")
  void permuteMatchesReference(int[] axes) {
    int[] dims = {2, 3, 4};
    int[] norm = java.util.Arrays.stream(axes).map(a -> a < 0 ? a + 3 : a).toArray();
    GradCheck.check(
        in -> in.get(0).permute(axes),
        r -> Refs.permute(r.get(0), dims, norm),
        List.of(GradCheck.random(52, dims)),
        1e-4);
    int[] expected = java.util.Arrays.stream(norm).map(a -> dims[a]).toArray();
    assertArrayEquals(expected, GradCheck.random(52, dims).permute(axes).shape().dims());
  }

  @Test
  void permuteValuesAndErrors() {
    // [2, 1, 3] -> [3, 2, 1]: element (i, 0, k) moves to (k, i, 0).
    Tensor x = Tensor.of(new float[] {0, 1, 2, 10, 11, 12}, 2, 1, 3);
    assertArrayEquals(new float[] {0, 10, 1, 11, 2, 12}, x.permute(2, 0, 1).toArray());
    assertTrue(assertThrows(IllegalArgumentException.class, () -> x.permute(0, 1))
        .getMessage().startsWith("permute: axes [0, 1] do not list the 3 axes of shape [2, 1, 3]"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> x.permute(0, 1, -3))
        .getMessage().contains("twice"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> x.permute(0, 1, 3))
        .getMessage().startsWith("permute: axis 3 is out of range for shape [2, 1, 3]"));
  }

  @Test
  void largePermuteIsBitIdenticalAcrossThreadCounts() {
    Tensor x = GradCheck.random(53, 40, 50, 30);
    int before = Parallel.threads();
    int grainBefore = Parallel.grain();
    try {
      Parallel.setGrain(1024); // run the parallel paths on this input
      Parallel.setThreads(1);
      float[] one = x.permute(2, 0, 1).toArray();
      Parallel.setThreads(4);
      float[] four = x.permute(2, 0, 1).toArray();
      assertArrayEquals(one, four);
      assertArrayEquals(one, x.permute(1, 2, 0).permute(1, 2, 0).toArray());
    } finally {
      Parallel.setThreads(before);
      Parallel.setGrain(grainBefore);
    }
  }

  @Test
  void sliceTakesRowsOfTheFirstAxis() {
    Tensor x = Tensor.of(new float[] {0, 1, 2, 3, 4, 5, 6, 7}, 4, 2);
    Tensor s = x.slice(1, 3);
    assertArrayEquals(new int[] {2, 2}, s.shape().dims());
    assertArrayEquals(new float[] {2, 3, 4, 5}, s.toArray());
    assertArrayEquals(new int[] {0, 2}, x.slice(4, 4).shape().dims());
    GradCheck.check(
        in -> in.get(0).slice(1, 3),
        r -> java.util.Arrays.copyOfRange(r.get(0), 12, 36),
        List.of(GradCheck.random(54, 4, 3, 4)),
        1e-4);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> x.slice(3, 5));
    assertTrue(e.getMessage().startsWith("slice: rows [3, 5)") && e.getMessage().contains("[4, 2]"),
        e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> x.slice(-1, 2));
    assertThrows(IllegalArgumentException.class, () -> x.slice(3, 2));
    assertThrows(IllegalArgumentException.class, () -> Tensor.scalar(1f).slice(0, 1));
  }

  @Test
  void concatJoinsAlongAnAxis() {
    Tensor a = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2);
    Tensor b = Tensor.of(new float[] {5, 6}, 2, 1);
    Tensor c = Tensor.concat(List.of(a, b), 1);
    assertArrayEquals(new int[] {2, 3}, c.shape().dims());
    assertArrayEquals(new float[] {1, 2, 5, 3, 4, 6}, c.toArray());
    Tensor d = Tensor.concat(List.of(a, Tensor.of(new float[] {7, 8}, 1, 2)), 0);
    assertArrayEquals(new float[] {1, 2, 3, 4, 7, 8}, d.toArray());
    // Gradient, along the middle axis with a negative index, and with one part used twice.
    GradCheck.check(
        in -> Tensor.concat(List.of(in.get(0), in.get(1), in.get(0)), -2),
        r -> {
          double[] x = r.get(0);
          double[] y = r.get(1);
          double[] o = new double[2 * 5 * 3];
          for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 5; j++) {
              for (int k = 0; k < 3; k++) {
                o[(i * 5 + j) * 3 + k] =
                    j < 2 ? x[(i * 2 + j) * 3 + k]
                        : j < 3 ? y[i * 3 + k] : x[(i * 2 + j - 3) * 3 + k];
              }
            }
          }
          return o;
        },
        List.of(GradCheck.random(55, 2, 2, 3), GradCheck.random(56, 2, 1, 3)),
        1e-4);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Tensor.concat(List.of(a, Tensor.zeros(3, 1)), 1));
    assertTrue(e.getMessage().startsWith("concat: part 1 has shape [3, 1]"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Tensor.concat(List.of(), 0));
    assertThrows(IllegalArgumentException.class, () -> Tensor.concat(List.of(a, b), 2));
  }

  @Test
  void sliceThenConcatRestoresTheTensor() {
    Tensor x = GradCheck.random(57, 7, 3);
    Tensor back = Tensor.concat(List.of(x.slice(0, 2), x.slice(2, 3), x.slice(3, 7)), 0);
    assertArrayEquals(x.toArray(), back.toArray());
  }
}

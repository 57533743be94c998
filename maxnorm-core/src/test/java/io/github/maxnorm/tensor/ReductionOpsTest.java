package io.github.maxnorm.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.maxnorm.kernel.Parallel;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ReductionOpsTest {
  private static final int[] DIMS = {2, 3, 4};

  static Stream<Arguments> axes() {
    return Stream.of(
        Arguments.of((Object) new int[] {}),
        Arguments.of((Object) new int[] {0}),
        Arguments.of((Object) new int[] {1}),
        Arguments.of((Object) new int[] {-1}),
        Arguments.of((Object) new int[] {0, 2}),
        Arguments.of((Object) new int[] {-1, 0}),
        Arguments.of((Object) new int[] {0, 1, 2}));
  }

  private static int[] expectedShape(int[] axes, boolean keepDims) {
    boolean[] m = Refs.mask(DIMS.length, axes);
    return keepDims
        ? java.util.stream.IntStream.range(0, DIMS.length).map(i -> m[i] ? 1 : DIMS[i]).toArray()
        : Refs.keptDims(DIMS, m);
  }

  @ParameterizedTest
  @MethodSource("axes")
  void meanMatchesReference(int[] axes) {
    boolean[] m = Refs.mask(DIMS.length, axes);
    for (boolean keep : new boolean[] {false, true}) {
      GradCheck.check(
          in -> keep ? in.get(0).meanKeepDims(axes) : in.get(0).mean(axes),
          r -> Refs.mean(r.get(0), DIMS, m),
          List.of(GradCheck.random(31, DIMS)),
          1e-4);
      Tensor out = keep ? GradCheck.random(31, DIMS).meanKeepDims(axes)
          : GradCheck.random(31, DIMS).mean(axes);
      assertArrayEquals(expectedShape(axes, keep), out.shape().dims());
    }
  }

  @ParameterizedTest
  @MethodSource("axes")
  void maxMatchesReference(int[] axes) {
    boolean[] m = Refs.mask(DIMS.length, axes);
    for (boolean keep : new boolean[] {false, true}) {
      GradCheck.check(
          in -> keep ? in.get(0).maxKeepDims(axes) : in.get(0).max(axes),
          r -> Refs.max(r.get(0), DIMS, m),
          List.of(GradCheck.random(32, DIMS)),
          1e-4);
      Tensor out = keep ? GradCheck.random(32, DIMS).maxKeepDims(axes)
          : GradCheck.random(32, DIMS).max(axes);
      assertArrayEquals(expectedShape(axes, keep), out.shape().dims());
    }
  }

  @Test
  void maxSendsTheGradientToTheFirstOfTiedElements() {
    Tensor x = Tensor.of(new float[] {1f, 3f, 3f, 2f, 5f, 5f}, 2, 3).requiringGrad();
    Tensor y = x.max(1);
    assertArrayEquals(new float[] {3f, 5f}, y.toArray());
    float[] g = Autograd.grad(y, Tensor.of(new float[] {2f, 7f}, 2), List.of(x)).get(0).toArray();
    assertArrayEquals(new float[] {0f, 2f, 0f, 0f, 7f, 0f}, g);
    Tensor z = Tensor.of(new float[] {4f, 1f, 4f, 4f}, 2, 2).requiringGrad();
    float[] gz = Autograd.grad(z.max(0), Tensor.ones(2), List.of(z)).get(0).toArray();
    assertArrayEquals(new float[] {1f, 0f, 0f, 1f}, gz);
  }

  @Test
  void maxPropagatesNaN() {
    Tensor x = Tensor.of(new float[] {1f, Float.NaN, 3f, 2f}, 2, 2);
    float[] m = x.max(1).toArray();
    assertTrue(Float.isNaN(m[0]));
    assertEquals(3f, m[1]);
    assertTrue(Float.isNaN(Tensor.of(new float[] {5f, Float.NaN}, 2).max().item()));
  }

  @Test
  void largeReductionsAreBitIdenticalAcrossThreadCounts() {
    Tensor x = GradCheck.random(33, 64, 300, 7);
    int before = Parallel.threads();
    int grainBefore = Parallel.grain();
    try {
      Parallel.setGrain(1024); // run the parallel paths on this input
      Parallel.setThreads(1);
      float[][] one = {x.mean(1).toArray(), x.max(0, 2).toArray(), x.mean().toArray()};
      Parallel.setThreads(3);
      float[][] three = {x.mean(1).toArray(), x.max(0, 2).toArray(), x.mean().toArray()};
      for (int k = 0; k < one.length; k++) {
        assertArrayEquals(one[k], three[k]);
      }
      double[] ref = Refs.mean(toDouble(x), new int[] {64, 300, 7}, new boolean[] {false, true, false});
      for (int i = 0; i < ref.length; i++) {
        assertEquals(ref[i], one[0][i], 1e-6);
      }
    } finally {
      Parallel.setThreads(before);
      Parallel.setGrain(grainBefore);
    }
  }

  @Test
  void badAxesNameTheOpAndShape() {
    Tensor x = Tensor.zeros(4, 3);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> x.mean(2));
    assertTrue(e.getMessage().startsWith("mean: axis 2 is out of range for shape [4, 3]"),
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> x.max(1, -1));
    assertTrue(e.getMessage().startsWith("max: axis -1 listed twice for shape [4, 3]"),
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2, 0).max(1));
    assertTrue(e.getMessage().contains("max") && e.getMessage().contains("[2, 0]"),
        e.getMessage());
  }

  static double[] toDouble(Tensor t) {
    double[] d = new double[t.size()];
    for (int i = 0; i < d.length; i++) {
      d[i] = t.get(i);
    }
    return d;
  }
}

package io.github.maxnorm.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.maxnorm.kernel.Parallel;
import io.github.maxnorm.kernel.RestoreParallelSettings;
import io.github.maxnorm.tensor.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The per-unit max-norm of a {@code [rows, units]} kernel (the layout of every Dense and Conv2D
 * kernel) against a plain reference written from the documented arithmetic: each unit's squares
 * summed in double in row order within blocks of {@link SliceNorms#BLOCK_ROWS} rows, the block
 * sums added in block order, factor {@code c / n} in double when {@code n > c}, rounded to
 * float, multiplied in. The fast paths (two rows per pass, scaling only the changed units when they
 * are few, several threads) must agree with it bit for bit.
 */
@ExtendWith(RestoreParallelSettings.class)
class SliceNormsColumnTest {
  static Stream<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    long seed = 100;
    for (int rows : new int[] {1, 2, 3, 7, 64, 65, 300}) {
      // at least two units: a single unit merges with the reduced axis into one slice, which is
      // summed with four interleaved accumulators instead (a different, also fixed, order)
      for (int cols : new int[] {2, 10, 200}) {
        for (double overFraction : new double[] {0.0, 0.05, 0.6}) {
          for (int threads : new int[] {1, 2}) {
            out.add(Arguments.of(rows, cols, overFraction, threads, seed++));
          }
        }
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "[{0}, {1}] over={2} threads={3}")
  @MethodSource("cases")
  void matchesTheReferenceBitForBit(
      int rows, int cols, double overFraction, int threads, long seed) {
    Parallel.setThreads(threads);
    Parallel.setGrain(1024); // run the parallel paths on these small kernels
    SplittableRandom rng = new SplittableRandom(seed);
    double c = 2.0;
    float[] data = new float[rows * cols];
    boolean[] over = new boolean[cols];
    for (int j = 0; j < cols; j++) {
      over[j] = rng.nextDouble() < overFraction;
    }
    for (int i = 0; i < data.length; i++) {
      // a unit meant to be over the bound gets elements of size ~c, the others ~c / (4 sqrt(rows))
      double s = over[i % cols] ? c : c / (4 * Math.sqrt(rows));
      data[i] = (float) (rng.nextGaussian() * s);
    }
    float[] expected = data.clone();
    int expectedProjected = 0;
    double expectedMax = 0;
    for (int j = 0; j < cols; j++) {
      double sum = 0;
      for (int r0 = 0; r0 < rows; r0 += SliceNorms.BLOCK_ROWS) {
        double block = 0;
        for (int r = r0; r < Math.min(rows, r0 + SliceNorms.BLOCK_ROWS); r++) {
          double x = expected[r * cols + j];
          block += x * x;
        }
        sum += block;
      }
      double n = Math.sqrt(sum);
      expectedMax = Math.max(expectedMax, n);
      float f = (float) (n > c ? c / n : 1.0);
      if (f != 1f) {
        expectedProjected++;
        for (int r = 0; r < rows; r++) {
          expected[r * cols + j] *= f;
        }
      }
    }
    SliceNorms norms = new SliceNorms(Shape.of(rows, cols), new boolean[] {true, false});
    MaxNorm rule = (MaxNorm) Constraints.maxNorm(c);
    ConstraintActivity a = norms.apply(data, rule, false);
    assertArrayEquals(bits(expected), bits(data));
    assertEquals(expectedProjected, a.projected());
    assertEquals(cols, a.slices());
    assertEquals(expectedMax, a.maxNormBefore());
    if (overFraction == 0.6 && cols >= 10 && rows >= 7) {
      assertTrue(a.projected() > 0 && a.projected() < cols, "some but not all units projected");
    }
  }

  /** The raw bits of each float, for exact comparisons that also tell NaN payloads apart. */
  static int[] bits(float[] v) {
    int[] b = new int[v.length];
    for (int i = 0; i < v.length; i++) {
      b[i] = Float.floatToRawIntBits(v[i]);
    }
    return b;
  }
}

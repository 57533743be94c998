package io.github.maxnorm.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.maxnorm.kernel.Parallel;
import io.github.maxnorm.kernel.RestoreParallelSettings;
import io.github.maxnorm.tensor.Shape;
import io.github.maxnorm.tensor.Tensor;
import io.github.maxnorm.tensor.Variable;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Parameter#updateAndConstrain}, which lets a norm constraint measure each block of a
 * kernel's rows right after the update wrote it, against the plain order: the whole update, then
 * {@link Parameter#constrain()}. Values and activity must agree bit for bit, for Dense and Conv2D
 * kernels, biases, every built-in norm constraint and both formulas, on one to three threads.
 */
@ExtendWith(RestoreParallelSettings.class)
class UpdateThenConstrainTest {
  static Stream<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    int[][] shapes = {{300, 17}, {64, 5}, {65, 40}, {3, 3, 4, 8}, {7}, {130, 1}};
    NormConstraint[] constraints = {
      Constraints.maxNorm(1.5),
      Constraints.maxNorm(1.5).kerasFormula(),
      Constraints.minMaxNorm(0.5, 1.0, 0.7),
      Constraints.unitNorm(),
      Constraints.maxNorm(1.5).withAxis(1),
    };
    long seed = 7;
    for (int[] shape : shapes) {
      for (NormConstraint c : constraints) {
        if (shape.length == 1 && c.axis().given()) {
          continue; // axis 1 does not exist on a vector
        }
        for (int threads : new int[] {1, 2, 3}) {
          out.add(Arguments.of(shape, c, threads, seed++));
        }
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} {1} threads={2}")
  @MethodSource("cases")
  void givesTheResultOfTheUpdateFollowedByTheProjection(
      int[] shape, NormConstraint constraint, int threads, long seed) {
    Parallel.setThreads(threads);
    Parallel.setGrain(1); // split every loop
    SplittableRandom rng = new SplittableRandom(seed);
    int n = Shape.of(shape).size();
    float[] w = new float[n];
    float[] g = new float[n];
    for (int i = 0; i < n; i++) {
      w[i] = (float) (rng.nextGaussian() * 0.5);
      g[i] = (float) (rng.nextGaussian() * 4);
    }
    int[] units = shape.length == 1 ? new int[] {0} : unitAxes(shape.length);
    Parameter fused = parameter("fused", w, shape, constraint, units);
    Parameter plain = parameter("plain", w, shape, constraint, units);
    float lr = 0.3f;
    ConstraintActivity a = fused.updateAndConstrain(step(fused, g, lr));
    Parallel.forRange(n, 1, step(plain, g, lr));
    ConstraintActivity b = plain.constrain();
    assertArrayEquals(
        SliceNormsColumnTest.bits(plain.variable().data()),
        SliceNormsColumnTest.bits(fused.variable().data()));
    assertEquals(b, a);
    if (constraint.config().className().equals("MaxNorm") && shape[0] == 300) {
      assertTrue(a.projected() > 0, "the large gradient pushes some units out of the ball");
    }
  }

  private static Parameter parameter(
      String name, float[] w, int[] shape, Constraint c, int[] units) {
    return new Parameter(
        name, "kernel", new Variable(name, Tensor.of(w.clone(), shape)), c, null, units);
  }

  private static Parallel.RangeBody step(Parameter p, float[] g, float lr) {
    float[] w = p.variable().data();
    return (from, to) -> {
      for (int i = from; i < to; i++) {
        w[i] -= lr * g[i];
      }
    };
  }

  private static int[] unitAxes(int rank) {
    int[] a = new int[rank - 1];
    for (int i = 0; i < a.length; i++) {
      a[i] = i;
    }
    return a;
  }
}

package io.github.maxnorm.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.maxnorm.kernel.Parallel;
import io.github.maxnorm.nn.Constraint;
import io.github.maxnorm.nn.ConstraintActivity;
import io.github.maxnorm.nn.Constraints;
import io.github.maxnorm.nn.Parameter;
import io.github.maxnorm.tensor.Tensor;
import io.github.maxnorm.tensor.Variable;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The optimizer updates a constrained parameter and measures it in one pass ({@link
 * Parameter#updateAndConstrain}); the result must be bit-identical to a full update followed by the
 * constraint, for every optimizer, constraint form and kernel layout, on one and on two threads.
 */
class FusedUpdateProjectionTest {
  private final int savedThreads = Parallel.threads();

  @AfterEach
  void restoreThreads() {
    Parallel.setThreads(savedThreads);
  }

  static Stream<Arguments> cases() {
    List<OptimizerConfig> optimizers =
        List.of(
            SGD.of(0.5),
            SGD.of(0.3).withMomentum(0.9),
            SGD.of(0.3).withMomentum(0.9).withNesterov(true),
            Adam.of(0.2),
            RMSprop.of(0.1));
    List<int[]> shapes =
        List.of(
            new int[] {300, 200}, // dense kernel, parallel over column blocks
            new int[] {40, 10}, // small dense kernel, serial
            new int[] {3, 3, 32, 70}, // conv kernel: [288, 70] walk
            new int[] {5, 1, 600}); // a unit axis of size 1 merges away
    List<String> constraints = List.of("exact", "keras", "default-axes-unitnorm", "axis1");
    List<Arguments> out = new ArrayList<>();
    long seed = 1;
    for (OptimizerConfig o : optimizers) {
      for (int[] shape : shapes) {
        for (String c : constraints) {
          for (int threads : new int[] {1, 2}) {
            out.add(Arguments.of(o, shape, c, threads, seed++));
          }
        }
      }
    }
    return out.stream();
  }

  private static Constraint constraint(String kind, int rank) {
    return switch (kind) {
      case "exact" -> Constraints.maxNorm(2.0);
      case "keras" -> Constraints.maxNorm(2.0).kerasFormula();
      case "default-axes-unitnorm" -> Constraints.unitNorm();
      // a walk whose slices are not columns: the unfused fallback
      case "axis1" -> Constraints.maxNorm(2.0, rank - 1);
      default -> throw new IllegalArgumentException(kind);
    };
  }

  @ParameterizedTest(name = "{0} {2} threads={3}")
  @MethodSource("cases")
  void fusedEqualsUpdateThenConstrain(
      OptimizerConfig config, int[] shape, String kind, int threads, long seed) {
    Parallel.setThreads(threads);
    int n = 1;
    for (int d : shape) {
      n *= d;
    }
    int[] unitAxes = new int[shape.length - 1];
    for (int i = 0; i < unitAxes.length; i++) {
      unitAxes[i] = i;
    }
    SplittableRandom rng = new SplittableRandom(seed);
    float[] w0 = new float[n];
    float[] g = new float[n];
    int cols = shape[shape.length - 1];
    for (int i = 0; i < n; i++) {
      // columns of widely different scales, so some units end above the bound and some below
      float colScale = (float) (0.02 * (1 + (i % cols) % 7));
      w0[i] = (float) rng.nextGaussian() * colScale;
      g[i] = (float) rng.nextGaussian();
    }
    Constraint c = constraint(kind, shape.length);
    Parameter fused = param(w0, g, shape, c, unitAxes);
    Parameter plain = param(w0, g, shape, c, unitAxes);
    float[][] slotsFused = slots(config, n);
    float[][] slotsPlain = slots(config, n);
    for (long t = 1; t <= 3; t++) {
      ConstraintActivity a =
          fused.updateAndConstrain(
              config.updater(fused.variable().data(), g, slotsFused, 0.7, 0.9, t));
      config.update(plain.variable().data(), g, slotsPlain, 0.7, 0.9, t);
      ConstraintActivity b = plain.constrain();
      assertEquals(b, a, "activity at step " + t);
      assertBits(plain.variable().data(), fused.variable().data(), "weights at step " + t);
      for (int s = 0; s < slotsPlain.length; s++) {
        assertBits(slotsPlain[s], slotsFused[s], "slot " + s + " at step " + t);
      }
    }
    if (!kind.equals("default-axes-unitnorm")) {
      // the case is only meaningful when the constraint acted on some units and not on others
      ConstraintActivity last = plain.constrain();
      assertTrue(last.maxNormBefore() > 0, "weights are not all zero");
    }
  }

  @ParameterizedTest(name = "threads={0}")
  @MethodSource("threadCounts")
  void someButNotAllUnitsAreProjected(int threads) {
    Parallel.setThreads(threads);
    int rows = 300;
    int cols = 200;
    float[] w0 = new float[rows * cols];
    float[] g = new float[rows * cols];
    for (int i = 0; i < w0.length; i++) {
      int j = i % cols;
      w0[i] = j % 50 == 0 ? 0.5f : 0.01f; // columns 0, 50, 100, 150 have norm 8.7 > 2
    }
    Parameter p = param(w0, g, new int[] {rows, cols}, Constraints.maxNorm(2.0), new int[] {0});
    ConstraintActivity a = p.updateAndConstrain(SGD.of(0.1).updater(
        p.variable().data(), g, new float[1][rows * cols], 0.1, 0, 1));
    assertEquals(4, a.projected());
    float[] w = p.variable().data();
    for (int j = 0; j < cols; j++) {
      double s = 0;
      for (int r = 0; r < rows; r++) {
        s += (double) w[r * cols + j] * w[r * cols + j];
      }
      if (j % 50 == 0) {
        assertEquals(2.0, Math.sqrt(s), 1e-5, "column " + j);
      } else {
        assertEquals(0.01f, w[j], "column " + j + " untouched");
      }
    }
  }

  static Stream<Integer> threadCounts() {
    return Stream.of(1, 2);
  }

  private static Parameter param(
      float[] w0, float[] g, int[] shape, Constraint c, int[] unitAxes) {
    Variable v = new Variable("layer/kernel", Tensor.of(w0.clone(), shape));
    System.arraycopy(g, 0, v.grad(), 0, g.length);
    return new Parameter("layer", "kernel", v, c, null, unitAxes);
  }

  private static float[][] slots(OptimizerConfig config, int n) {
    float[][] s = new float[config.slotNames().size()][];
    for (int i = 0; i < s.length; i++) {
      s[i] = new float[n];
    }
    return s;
  }

  private static void assertBits(float[] expected, float[] actual, String what) {
    int[] e = new int[expected.length];
    int[] a = new int[actual.length];
    for (int i = 0; i < e.length; i++) {
      e[i] = Float.floatToRawIntBits(expected[i]);
      a[i] = Float.floatToRawIntBits(actual[i]);
    }
    assertArrayEquals(e, a, what);
  }
}

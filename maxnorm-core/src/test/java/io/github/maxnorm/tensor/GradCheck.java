package io.github.maxnorm.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * The standard test of an op: its float32 forward against a double-precision reference, and its
 * backward against central differences of that reference.
 *
 * <p>The reference is an independent, plain-loop implementation of the same function in double
 * precision, so the numerical derivative is free of float32 rounding. The checked scalar is
 * {@code sum(f(x) * w)} for fixed random weights {@code w}, which exercises every output element.
 */
final class GradCheck {
  /** A double-precision reference of a tensor function: inputs as flat arrays, output flat. */
  @FunctionalInterface
  interface Reference {
    double[] apply(List<double[]> inputs);
  }

  private GradCheck() {}

  static void check(
      Function<List<Tensor>, Tensor> op, Reference ref, List<Tensor> inputs, double tol) {
    check(op, ref, inputs, tol, 1e-6);
  }

  static void check(
      Function<List<Tensor>, Tensor> op,
      Reference ref,
      List<Tensor> inputs,
      double tol,
      double eps) {
    List<Tensor> leaves = new ArrayList<>();
    List<double[]> refIn = new ArrayList<>();
    for (Tensor t : inputs) {
      leaves.add(t.requiringGrad());
      double[] d = new double[t.size()];
      for (int i = 0; i < d.length; i++) {
        d[i] = t.get(i);
      }
      refIn.add(d);
    }
    Tensor out = op.apply(leaves);
    double[] expected = ref.apply(refIn);
    assertEquals(expected.length, out.size(), "forward: output size");
    for (int i = 0; i < expected.length; i++) {
      double e = expected[i];
      double g = out.get(i);
      if (Math.abs(g - e) > 1e-5 + 1e-4 * Math.abs(e)) {
        fail("forward: element " + i + " expected " + e + " got " + g);
      }
    }
    SplittableRandom rng = new SplittableRandom(99);
    float[] w = new float[out.size()];
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) (rng.nextDouble() * 2 - 1);
    }
    Tensor wt = Tensor.of(w, out.shape().dims());
    List<Tensor> grads = Autograd.grad(out, wt, leaves);
    for (int k = 0; k < refIn.size(); k++) {
      double[] x = refIn.get(k);
      float[] analytic = grads.get(k).toArray();
      for (int i = 0; i < x.length; i++) {
        double keep = x[i];
        x[i] = keep + eps;
        double plus = dot(ref.apply(refIn), w);
        x[i] = keep - eps;
        double minus = dot(ref.apply(refIn), w);
        x[i] = keep;
        double numeric = (plus - minus) / (2 * eps);
        if (Math.abs(analytic[i] - numeric) > tol * (1 + Math.abs(numeric))) {
          fail("gradient of input " + k + " element " + i + ": analytic " + analytic[i]
              + " numeric " + numeric);
        }
      }
    }
  }

  private static double dot(double[] a, float[] w) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * w[i];
    }
    return s;
  }

  static Tensor random(long seed, int... shape) {
    return Tensor.randomUniform(new SplittableRandom(seed), -1f, 1f, shape);
  }

  static void assertClose(float[] expected, float[] actual, float tol) {
    assertArrayEquals(expected, actual, tol);
  }
}

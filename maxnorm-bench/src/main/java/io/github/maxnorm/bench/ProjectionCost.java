package io.github.maxnorm.bench;

import io.github.maxnorm.kernel.Parallel;
import io.github.maxnorm.nn.ConstraintActivity;
import io.github.maxnorm.nn.Constraints;
import io.github.maxnorm.nn.Parameter;
import io.github.maxnorm.optim.Optimizer;
import io.github.maxnorm.optim.SGD;
import io.github.maxnorm.tensor.Tensor;
import io.github.maxnorm.tensor.Variable;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The cost of the max-norm projection inside the optimizer step, isolated from the rest of a
 * training step: {@code Optimizer.step} (SGD, momentum 0.9) over the parameters of the {@code mlp}
 * workload (kernels 784x1024, 1024x1024, 1024x10 and their biases), with and without {@code
 * maxNorm(3)} on the kernels, in alternating rounds.
 *
 * <p>Two weight regimes: {@code inside}, every unit well inside the ball (the projection only
 * measures the norms, as in the first steps of {@code bench/compare}); {@code active}, every unit
 * on the bound and pushed out of it by every step, so the projection rescales all of them (the
 * worst case). The output reports the fraction of units projected per step in each regime.
 *
 * <p>Usage: {@code ProjectionCost [ROUNDS] [STEPS]} (default 7 rounds of 200 steps). Prints, for
 * each regime, the median over rounds of the wall and the calling thread's CPU time per step, and
 * the difference between the two variants.
 */
public final class ProjectionCost {
  private static final int[][] KERNELS = {{784, 1024}, {1024, 1024}, {1024, 10}};

  private ProjectionCost() {}

  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
    int steps = args.length > 1 ? Integer.parseInt(args[1]) : 200;
    Parallel.setThreads(Integer.getInteger("maxnorm.bench.threads", 2));
    for (String regime : new String[] {"inside", "active"}) {
      List<Parameter> with = params(true, regime.equals("active"));
      List<Parameter> without = params(false, regime.equals("active"));
      double lr = regime.equals("active") ? 0.01 : 1e-4;
      Optimizer optWith = new Optimizer(SGD.of(lr).withMomentum(0.9));
      Optimizer optWithout = new Optimizer(SGD.of(lr).withMomentum(0.9));
      double[][] wall = new double[2][rounds];
      double fraction = 0;
      double[][] cpu = new double[2][rounds];
      run(optWith, with, steps); // warm-up
      run(optWithout, without, steps);
      for (int r = 0; r < rounds; r++) {
        double[] a = run(optWith, with, steps);
        fraction = a[2];
        double[] b = run(optWithout, without, steps);
        wall[0][r] = a[0];
        cpu[0][r] = a[1];
        wall[1][r] = b[0];
        cpu[1][r] = b[1];
      }
      double w1 = median(wall[0]);
      double w0 = median(wall[1]);
      double c1 = median(cpu[0]);
      double c0 = median(cpu[1]);
      System.out.printf(
          "%s: step with max-norm %.3f ms (thread CPU %.3f), without %.3f ms (thread CPU %.3f):"
              + " projection %.3f ms wall, %.3f ms CPU; %.1f%% of the units projected per step%n",
          regime, w1, c1, w0, c0, w1 - w0, c1 - c0, 100 * fraction);
    }
  }

  private static double[] run(Optimizer opt, List<Parameter> params, int steps) {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    long c0 = mx.getCurrentThreadCpuTime();
    long t0 = System.nanoTime();
    long projected = 0;
    long slices = 0;
    for (int i = 0; i < steps; i++) {
      for (ConstraintActivity a : opt.step(params).values()) {
        projected += a.projected();
        slices += a.slices();
      }
    }
    long t1 = System.nanoTime();
    long c1 = mx.getCurrentThreadCpuTime();
    return new double[] {
      (t1 - t0) / 1e6 / steps, (c1 - c0) / 1e6 / steps, slices == 0 ? 0 : (double) projected / slices
    };
  }

  private static List<Parameter> params(boolean constrained, boolean onTheBound) {
    SplittableRandom rng = new SplittableRandom(7);
    List<Parameter> out = new ArrayList<>();
    int layer = 0;
    for (int[] k : KERNELS) {
      int n = k[0] * k[1];
      float[] w = new float[n];
      float scale = (float) (onTheBound ? 3.0 / Math.sqrt(k[0]) : 0.5 / Math.sqrt(k[0]));
      for (int i = 0; i < n; i++) {
        w[i] = rng.nextBoolean() ? scale : -scale;
      }
      Variable kv = new Variable("dense_" + layer + "/kernel", Tensor.of(w, k));
      // a gradient pointing into the ball, so every step moves each unit outwards: at learning
      // rate 0.01 the units on the bound all leave it at every step (the projection's worst case);
      // at 1e-4 units that start at norm 0.5 stay far inside during the run
      float[] g = kv.grad();
      for (int i = 0; i < n; i++) {
        g[i] = -Math.signum(w[i]) * 0.01f * (float) rng.nextDouble();
      }
      out.add(new Parameter("dense_" + layer, "kernel", kv,
          constrained ? Constraints.maxNorm(3) : null, null, new int[] {0}));
      Variable bv = new Variable("dense_" + layer + "/bias", Tensor.zeros(k[1]));
      Arrays.fill(bv.grad(), 0.001f);
      out.add(new Parameter("dense_" + layer, "bias", bv, null, null, new int[] {0}));
      layer++;
    }
    return out;
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }
}

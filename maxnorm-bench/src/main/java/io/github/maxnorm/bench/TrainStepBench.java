package io.github.maxnorm.bench;

import io.github.maxnorm.kernel.Parallel;
import io.github.maxnorm.losses.Losses;
import io.github.maxnorm.model.Sequential;
import io.github.maxnorm.nn.Constraint;
import io.github.maxnorm.nn.Constraints;
import io.github.maxnorm.nn.DTypePolicy;
import io.github.maxnorm.nn.layers.Conv2D;
import io.github.maxnorm.nn.layers.Dense;
import io.github.maxnorm.nn.layers.Dropout;
import io.github.maxnorm.nn.layers.Flatten;
import io.github.maxnorm.nn.layers.MaxPooling2D;
import io.github.maxnorm.optim.SGD;
import io.github.maxnorm.tensor.Tensor;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Times maxnorm training steps on the workloads of the training-speed comparison ({@code mlp},
 * {@code cnn32}, {@code cnn128}; see docs/performance.md) and prints one JSON line in the format
 * shared with the peer systems.
 *
 * <p>Usage: {@code TrainStepBench WORKLOAD WARMUP STEPS}. Each step is
 * {@link Sequential#trainOnBatch}, the step {@code fit} takes. The system property {@code
 * maxnorm.bench.constraint=false} leaves the max-norm constraint off (to measure its share of a
 * step); the default is on, as the comparison specifies. {@code maxnorm.bench.threads} changes the
 * number of Java-side compute threads from 2 (for profiling; oneDNN follows {@code
 * OMP_NUM_THREADS}).
 */
public final class TrainStepBench {
  private static final int THREADS = Integer.getInteger("maxnorm.bench.threads", 2);
  private static final long SEED = 42;
  private static final int POOL = 8;

  private TrainStepBench() {}

  /** Runs the benchmark; see the class description for the arguments. */
  public static void main(String[] args) {
    if (args == null || args.length != 3) {
      throw new IllegalArgumentException(
          "usage: TrainStepBench WORKLOAD WARMUP STEPS, received " + Arrays.toString(args));
    }
    String workload = args[0];
    if (!List.of("mlp", "cnn32", "cnn128").contains(workload)) {
      throw new IllegalArgumentException(
          "workload must be mlp, cnn32 or cnn128, received '" + workload + "'");
    }
    int warmup;
    int steps;
    try {
      warmup = Integer.parseInt(args[1]);
      steps = Integer.parseInt(args[2]);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "WARMUP and STEPS must be integers, received '" + args[1] + "' and '" + args[2] + "'");
    }
    if (warmup < 0 || steps < 1) {
      throw new IllegalArgumentException(
          "need WARMUP >= 0 and STEPS >= 1, received " + warmup + " and " + steps);
    }
    boolean constrained =
        !"false".equalsIgnoreCase(System.getProperty("maxnorm.bench.constraint", "true"));
    DTypePolicy policy = DTypePolicy.of(System.getProperty("maxnorm.bench.precision", "float32"));
    Parallel.setThreads(THREADS);

    SplittableRandom rng = new SplittableRandom(SEED);
    int batch = workload.equals("cnn32") ? 32 : 128;
    int[] sample = workload.equals("mlp") ? new int[] {784} : new int[] {32, 32, 3};
    Sequential model = network(workload, constrained ? Constraints.maxNorm(3) : null);
    model.dtypePolicy(policy);
    model.build(rng);
    model.compile(SGD.of(0.01).withMomentum(0.9), Losses.sparseCategoricalCrossentropy(true));

    Tensor[] xs = new Tensor[POOL];
    int[][] ys = new int[POOL][];
    int[] dims = new int[sample.length + 1];
    dims[0] = batch;
    System.arraycopy(sample, 0, dims, 1, sample.length);
    for (int i = 0; i < POOL; i++) {
      xs[i] = Tensor.randomUniform(rng, 0f, 1f, dims);
      ys[i] = new int[batch];
      for (int j = 0; j < batch; j++) {
        ys[i][j] = rng.nextInt(10);
      }
    }

    int i = 0;
    for (int w = 0; w < warmup; w++, i++) {
      model.trainOnBatch(xs[i % POOL], ys[i % POOL]);
    }
    double[] stepMs = new double[steps];
    double lossSum = 0;
    long faultsBefore = minorFaults();
    long allocBefore = allocatedBytes();
    long gcBefore = gcCount();
    long cpuBefore = processCpuNanos();
    for (int s = 0; s < steps; s++, i++) {
      long t0 = System.nanoTime();
      double loss = model.trainOnBatch(xs[i % POOL], ys[i % POOL]).get("loss");
      long t1 = System.nanoTime();
      stepMs[s] = (t1 - t0) / 1e6;
      lossSum += loss;
    }
    long faults = minorFaults() - faultsBefore;
    long alloc = allocatedBytes() - allocBefore;
    long gcs = gcCount() - gcBefore;
    long cpu = processCpuNanos() - cpuBefore;
    System.err.printf(Locale.ROOT, "mean loss over the timed steps: %.6f%n", lossSum / steps);
    System.err.printf(Locale.ROOT,
        "allocated by the stepping thread: %.2f MB per step; %d collections in %d steps%n",
        alloc / 1e6 / steps, gcs, steps);
    System.err.printf(Locale.ROOT, "process CPU time: %.2f ms per step (all threads)%n",
        cpu / 1e6 / steps);
    System.out.println(json(policy == DTypePolicy.FLOAT32 ? "maxnorm" : "maxnorm-bf16", workload,
        batch, warmup, stepMs, faults, peakRssKb()));
  }

  /** The workload's network, with {@code constraint} on every dense and convolution kernel. */
  static Sequential network(String workload, Constraint constraint) {
    if (workload.equals("mlp")) {
      return new Sequential("mlp")
          .add(new Dropout(0.2).inputShape(784))
          .add(new Dense(1024).activation("relu").kernelConstraint(constraint))
          .add(new Dropout(0.5))
          .add(new Dense(1024).activation("relu").kernelConstraint(constraint))
          .add(new Dropout(0.5))
          .add(new Dense(10).kernelConstraint(constraint));
    }
    return new Sequential(workload)
        .add(new Conv2D(32, 3).padding("same").activation("relu").kernelConstraint(constraint)
            .inputShape(32, 32, 3))
        .add(new Dropout(0.2))
        .add(new Conv2D(32, 3).padding("same").activation("relu").kernelConstraint(constraint))
        .add(new MaxPooling2D(2, 2))
        .add(new Flatten())
        .add(new Dense(512).activation("relu").kernelConstraint(constraint))
        .add(new Dropout(0.5))
        .add(new Dense(10).kernelConstraint(constraint));
  }

  static String json(String system, String workload, int batch, int warmup, double[] stepMs,
      long faults, long rssKb) {
    StringBuilder times = new StringBuilder("[");
    for (int i = 0; i < stepMs.length; i++) {
      times.append(i == 0 ? "" : ", ").append(num(stepMs[i]));
    }
    times.append(']');
    double median = percentile(stepMs, 50);
    return String.format(Locale.ROOT,
        "{\"system\": \"%s\", \"version\": \"%s\", \"workload\": \"%s\", \"batch\": %d, "
            + "\"threads\": %d, \"warmup\": %d, \"steps\": %d, \"step_ms\": %s, "
            + "\"median_ms\": %s, \"p10_ms\": %s, \"p90_ms\": %s, \"samples_per_s\": %s, "
            + "\"minor_faults_per_step\": %s, \"peak_rss_kb\": %d}",
        system, version(), workload, batch, THREADS, warmup, stepMs.length, times, num(median),
        num(percentile(stepMs, 10)), num(percentile(stepMs, 90)), num(batch * 1000.0 / median),
        num((double) faults / stepMs.length), rssKb);
  }

  /** Linear-interpolated percentile ({@code q} in [0, 100]). */
  static double percentile(double[] values, double q) {
    double[] s = values.clone();
    Arrays.sort(s);
    if (s.length == 1) {
      return s[0];
    }
    double pos = (s.length - 1) * q / 100.0;
    int lo = (int) pos;
    int hi = Math.min(lo + 1, s.length - 1);
    return s[lo] + (s[hi] - s[lo]) * (pos - lo);
  }

  private static String version() {
    String v = Sequential.class.getPackage().getImplementationVersion();
    return v == null ? "0.1.0-SNAPSHOT" : v;
  }

  private static String num(double v) {
    return String.format(Locale.ROOT, "%.4f", v);
  }

  /** Bytes allocated by the calling thread so far, or -1 when the JVM does not say. */
  private static long allocatedBytes() {
    java.lang.management.ThreadMXBean t = ManagementFactory.getThreadMXBean();
    if (t instanceof com.sun.management.ThreadMXBean sun) {
      return sun.getThreadAllocatedBytes(Thread.currentThread().getId());
    }
    return -1;
  }

  /** CPU time of the whole process so far, or -1 when the JVM does not say. */
  private static long processCpuNanos() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return -1;
  }

  /** Garbage collections so far, over all collectors. */
  private static long gcCount() {
    long n = 0;
    for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
      n += Math.max(0, b.getCollectionCount());
    }
    return n;
  }

  /** Minor page faults of this process so far (field 10 of /proc/self/stat), or -1. */
  static long minorFaults() {
    try {
      String stat = Files.readString(Path.of("/proc/self/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(f[7]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** Peak resident set size in KiB (VmHWM of /proc/self/status), or -1. */
  static long peakRssKb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
      return -1;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }
}

package io.github.maxnorm.bench.peers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Summary of one timed training run, printed as the single-line JSON object that every system in
 * the training-speed comparison emits (format in docs/performance.md).
 *
 * @param system       name of the measured system, e.g. {@code "djl"}
 * @param version      version of that system
 * @param workload     workload name ({@code mlp}, {@code cnn32}, {@code cnn128})
 * @param batch        samples per step
 * @param threads      compute threads the system was asked to use
 * @param warmup       untimed steps run first
 * @param stepMs       wall time of each timed step in milliseconds
 * @param minorFaults  minor page faults taken during the timed steps
 * @param peakRssKb    peak resident set size of the process in KiB
 */
public record StepStats(String system, String version, String workload, int batch, int threads,
                        int warmup, double[] stepMs, long minorFaults, long peakRssKb) {

  /** Validates the run and copies the step times. */
  public StepStats {
    if (stepMs.length == 0) {
      throw new IllegalArgumentException("StepStats needs at least one step time, received none");
    }
    stepMs = stepMs.clone();
  }

  @Override
  public double[] stepMs() {
    return stepMs.clone();
  }

  /** Linear-interpolated percentile ({@code q} in [0, 100]) of the step times. */
  public double percentile(double q) {
    double[] s = stepMs.clone();
    Arrays.sort(s);
    if (s.length == 1) {
      return s[0];
    }
    double pos = (s.length - 1) * q / 100.0;
    int lo = (int) pos;
    int hi = Math.min(lo + 1, s.length - 1);
    return s[lo] + (s[hi] - s[lo]) * (pos - lo);
  }

  /** The JSON line for this run. */
  public String toJson() {
    StringBuilder times = new StringBuilder("[");
    for (int i = 0; i < stepMs.length; i++) {
      times.append(i == 0 ? "" : ", ").append(num(stepMs[i]));
    }
    times.append(']');
    double median = percentile(50);
    return String.format(Locale.ROOT,
        "{\"system\": \"%s\", \"version\": \"%s\", \"workload\": \"%s\", \"batch\": %d, "
            + "\"threads\": %d, \"warmup\": %d, \"steps\": %d, \"step_ms\": %s, "
            + "\"median_ms\": %s, \"p10_ms\": %s, \"p90_ms\": %s, \"samples_per_s\": %s, "
            + "\"minor_faults_per_step\": %s, \"peak_rss_kb\": %d}",
        system, version, workload, batch, threads, warmup, stepMs.length, times, num(median),
        num(percentile(10)), num(percentile(90)), num(batch * 1000.0 / median),
        num((double) minorFaults / stepMs.length), peakRssKb);
  }

  private static String num(double v) {
    return String.format(Locale.ROOT, "%.4f", v);
  }

  /** Minor page faults taken by this process so far (field 10 of /proc/self/stat). */
  public static long readMinorFaults() {
    try {
      String stat = Files.readString(Path.of("/proc/self/stat"));
      // fields after the parenthesised command name start at field 3 (state)
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(f[7]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** Peak resident set size in KiB (VmHWM of /proc/self/status). */
  public static long readPeakRssKb() {
    try {
      List<String> lines = Files.readAllLines(Path.of("/proc/self/status"));
      for (String line : lines) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
      return -1;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** Parsed command line shared by the peer mains: workload, warmup steps, measured steps. */
  public record Args(String workload, int warmup, int steps) {

    /** Validates the arguments. */
    public Args {
      if (!List.of("mlp", "cnn32", "cnn128").contains(workload)) {
        throw new IllegalArgumentException(
            "workload must be mlp, cnn32 or cnn128, received '" + workload + "'");
      }
      if (warmup < 0 || steps < 1) {
        throw new IllegalArgumentException(
            "need warmup >= 0 and steps >= 1, received " + warmup + " and " + steps);
      }
    }

    /** Parses {@code WORKLOAD WARMUP STEPS}. */
    public static Args parse(String[] argv) {
      if (argv.length != 3) {
        throw new IllegalArgumentException(
            "usage: WORKLOAD WARMUP STEPS, received " + Arrays.toString(argv));
      }
      return new Args(argv[0], Integer.parseInt(argv[1]), Integer.parseInt(argv[2]));
    }

    /** Samples per step of the workload. */
    public int batch() {
      return workload.equals("cnn32") ? 32 : 128;
    }

    /** Per-sample input shape (channels first for the CNNs). */
    public long[] featureShape() {
      return workload.equals("mlp") ? new long[] {784} : new long[] {3, 32, 32};
    }
  }

  /**
   * The matrix-product rate of a peer's own library, as {@code bench/compare} checks it before a
   * comparison: {@code product} runs one 1024 x 1024 x 1024 float32 product (finished when it
   * returns); 3 untimed runs, then {@code reps} timed ones. Prints {@code {"system": ..., "workload":
   * "rate", "median_gflops": ..., "best_gflops": ...}}.
   */
  public static void printRate(String system, Runnable product, int reps) {
    for (int i = 0; i < 3; i++) {
      product.run();
    }
    double[] g = new double[reps];
    for (int i = 0; i < reps; i++) {
      long t0 = System.nanoTime();
      product.run();
      g[i] = 2.0 * 1024 * 1024 * 1024 / (System.nanoTime() - t0);
    }
    Arrays.sort(g);
    double median = reps % 2 == 1 ? g[reps / 2] : (g[reps / 2 - 1] + g[reps / 2]) / 2;
    System.out.printf(Locale.ROOT,
        "{\"system\": \"%s\", \"workload\": \"rate\", \"median_gflops\": %.1f,"
            + " \"best_gflops\": %.1f}%n", system, median, g[reps - 1]);
  }
}

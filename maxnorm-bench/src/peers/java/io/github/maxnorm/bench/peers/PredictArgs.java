package io.github.maxnorm.bench.peers;

import java.util.Arrays;
import java.util.List;

/**
 * The command line shared by the inference runners of {@code bench/predict}: {@code WORKLOAD BATCH
 * WARMUP CALLS}, plus what each workload's input looks like (channels first for the CNNs).
 *
 * @param workload {@code mlp}, {@code cnn32} or {@code cnn128} (the two CNNs are the same network)
 * @param batch samples per call
 * @param warmup untimed calls
 * @param calls timed calls
 */
public record PredictArgs(String workload, int batch, int warmup, int calls) {
  /** Validates the arguments. */
  public PredictArgs {
    if (!List.of("mlp", "cnn32", "cnn128").contains(workload)) {
      throw new IllegalArgumentException(
          "workload must be mlp, cnn32 or cnn128, received '" + workload + "'");
    }
    if (batch < 1 || warmup < 0 || calls < 1) {
      throw new IllegalArgumentException("need BATCH >= 1, WARMUP >= 0 and CALLS >= 1, received "
          + batch + ", " + warmup + " and " + calls);
    }
  }

  /** Parses the first four arguments. */
  public static PredictArgs parse(String[] argv, int extra) {
    if (argv.length != 4 + extra) {
      throw new IllegalArgumentException("usage: WORKLOAD BATCH WARMUP CALLS"
          + (extra > 0 ? " MODEL.onnx" : "") + ", received " + Arrays.toString(argv));
    }
    return new PredictArgs(argv[0], Integer.parseInt(argv[1]), Integer.parseInt(argv[2]),
        Integer.parseInt(argv[3]));
  }

  /** The input shape of one call, batch first. */
  public long[] inputShape() {
    return workload.equals("mlp") ? new long[] {batch, 784} : new long[] {batch, 3, 32, 32};
  }

  /** Floats in one call's input. */
  public int inputSize() {
    long n = 1;
    for (long d : inputShape()) {
      n *= d;
    }
    return (int) n;
  }

  /** One inference call on input {@code i} of a pool; returns a checksum of its output. */
  @FunctionalInterface
  public interface Call {
    double run(int i) throws Exception;
  }

  /**
   * Runs {@link #warmup} untimed calls, then {@link #calls} timed ones, and returns the wall time
   * of each timed call in milliseconds; the checksum of all outputs goes to standard error (so
   * that no call can be optimized away).
   */
  public double[] time(Call call) throws Exception {
    double checksum = 0;
    for (int i = 0; i < warmup; i++) {
      checksum += call.run(i);
    }
    double[] ms = new double[calls];
    for (int i = 0; i < calls; i++) {
      long t0 = System.nanoTime();
      checksum += call.run(warmup + i);
      ms[i] = (System.nanoTime() - t0) / 1e6;
    }
    System.err.println("checksum of the logits: " + checksum);
    return ms;
  }
}

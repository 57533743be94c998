package io.github.maxnorm.bench;

import io.github.maxnorm.kernel.Parallel;
import io.github.maxnorm.model.Sequential;
import io.github.maxnorm.nn.DTypePolicy;
import io.github.maxnorm.tensor.Tensor;
import io.github.maxnorm.tensor.Workspace;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Times inference ({@link Sequential#predict}) of the training-speed comparison's networks
 * ({@code mlp}, {@code cnn32}, {@code cnn128}: the same layers, here in inference mode) at a given
 * batch size, and prints one JSON line in the format of {@code bench/predict} (docs/performance.md,
 * "Inference").
 *
 * <p>Usage: {@code PredictBench WORKLOAD BATCH WARMUP CALLS}. Each call is {@code
 * model.predict(x)} inside a scope of one {@link Workspace}, which is how a serving loop reuses
 * the intermediate arrays between calls; the logits are copied out inside the scope. {@code
 * -Dmaxnorm.bench.precision=mixed_bfloat16} predicts under that policy (system {@code
 * maxnorm-bf16}). Two compute threads, as in the training comparison.
 */
public final class PredictBench {
  private static final long SEED = 42;
  private static final int POOL = 8;

  private PredictBench() {}

  /** Runs the benchmark; see the class description for the arguments. */
  public static void main(String[] args) {
    if (args == null || args.length != 4) {
      throw new IllegalArgumentException(
          "usage: PredictBench WORKLOAD BATCH WARMUP CALLS, received " + Arrays.toString(args));
    }
    String workload = args[0];
    if (!List.of("mlp", "cnn32", "cnn128").contains(workload)) {
      throw new IllegalArgumentException(
          "workload must be mlp, cnn32 or cnn128, received '" + workload + "'");
    }
    int batch = Integer.parseInt(args[1]);
    int warmup = Integer.parseInt(args[2]);
    int calls = Integer.parseInt(args[3]);
    if (batch < 1 || warmup < 0 || calls < 1) {
      throw new IllegalArgumentException("need BATCH >= 1, WARMUP >= 0 and CALLS >= 1, received "
          + batch + ", " + warmup + " and " + calls);
    }
    DTypePolicy policy = DTypePolicy.of(System.getProperty("maxnorm.bench.precision", "float32"));
    Parallel.setThreads(2);
    SplittableRandom rng = new SplittableRandom(SEED);
    int[] sample = workload.equals("mlp") ? new int[] {784} : new int[] {32, 32, 3};
    Sequential model = TrainStepBench.network(workload, null);
    model.dtypePolicy(policy);
    model.build(rng);
    int[] dims = new int[sample.length + 1];
    dims[0] = batch;
    System.arraycopy(sample, 0, dims, 1, sample.length);
    Tensor[] xs = new Tensor[POOL];
    for (int i = 0; i < POOL; i++) {
      xs[i] = Tensor.randomUniform(rng, 0f, 1f, dims);
    }
    Workspace ws = new Workspace();
    float[] logits = new float[batch * 10];
    double checksum = 0;
    for (int i = 0; i < warmup; i++) {
      checksum += predict(model, ws, xs[i % POOL], logits);
    }
    double[] ms = new double[calls];
    long faults = TrainStepBench.minorFaults();
    for (int i = 0; i < calls; i++) {
      long t0 = System.nanoTime();
      checksum += predict(model, ws, xs[(warmup + i) % POOL], logits);
      ms[i] = (System.nanoTime() - t0) / 1e6;
    }
    faults = TrainStepBench.minorFaults() - faults;
    System.err.printf(Locale.ROOT, "checksum of the logits: %.6f%n", checksum);
    String system = policy == DTypePolicy.FLOAT32 ? "maxnorm" : "maxnorm-bf16";
    System.out.println(TrainStepBench.json(system, workload, batch, warmup, ms, faults,
        TrainStepBench.peakRssKb()));
  }

  /** One call: the logits of {@code x} into {@code logits}; returns their sum. */
  private static double predict(Sequential model, Workspace ws, Tensor x, float[] logits) {
    try (Workspace.Scope s = ws.open()) {
      model.predict(x).copyTo(logits, 0);
    }
    double sum = 0;
    for (float v : logits) {
      sum += v;
    }
    return sum;
  }
}

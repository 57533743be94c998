package io.github.maxnorm.spark.bench;

import io.github.maxnorm.data.Batch;
import io.github.maxnorm.data.Dataset;
import io.github.maxnorm.kernel.Parallel;
import io.github.maxnorm.losses.Losses;
import io.github.maxnorm.model.Model;
import io.github.maxnorm.model.Sequential;
import io.github.maxnorm.nn.Constraints;
import io.github.maxnorm.nn.layers.Dense;
import io.github.maxnorm.nn.layers.Dropout;
import io.github.maxnorm.optim.SGD;
import io.github.maxnorm.spark.DistributedOptions;
import io.github.maxnorm.spark.RoundLog;
import io.github.maxnorm.spark.SparkTraining;
import io.github.maxnorm.spark.TrainingResult;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.apache.spark.sql.SparkSession;

/**
 * Measures data-parallel training on Spark against one process (docs/distributed.md gives the
 * commands and the figures).
 *
 * <pre>
 * SparkBench rounds MASTER                    round time for a tiny and the mlp model, k = 1
 * SparkBench throughput MASTER K[,K...]       mlp samples/s, 2 replicas x batch 128
 * SparkBench single THREADS                   mlp samples/s in this process, batch 128
 * SparkBench sum REPLICAS                     the driver's exact averaging of mlp states
 * </pre>
 *
 * <p>The {@code mlp} workload is that of docs/performance.md: Dropout 0.2, Dense 1024 ReLU,
 * Dropout 0.5, Dense 1024 ReLU, Dropout 0.5, Dense 10 softmax, max-norm 3 on every kernel, SGD
 * 0.01 with momentum 0.9, inputs uniform in [0, 1) with random labels from seed 42.
 */
public final class SparkBench {
  private static final int BATCH = 128;
  private static final int REPLICAS = 2;

  private SparkBench() {}

  public static void main(String[] args) {
    if (args.length < 2) {
      System.err.println("usage: SparkBench rounds MASTER | throughput MASTER K[,K...] |"
          + " single THREADS");
      System.exit(2);
    }
    switch (args[0]) {
      case "rounds" -> rounds(args[1]);
      case "throughput" -> throughput(args[1], args.length > 2 ? args[2] : "1,4,16");
      case "single" -> single(Integer.parseInt(args[1]));
      case "sum" -> sum(Integer.parseInt(args[1]));
      default -> {
        System.err.println("unknown mode " + args[0]);
        System.exit(2);
      }
    }
  }

  /** The mlp workload or, with {@code tiny}, an 8-16-10 network (314 parameters). */
  static Model model(boolean tiny) {
    Sequential m = new Sequential(tiny ? "tiny" : "mlp");
    if (tiny) {
      m.add(new Dense(16).activation("relu").inputShape(8));
      m.add(new Dense(10).activation("softmax"));
    } else {
      m.add(new Dropout(0.2).inputShape(784));
      m.add(new Dense(1024).activation("relu").kernelConstraint(Constraints.maxNorm(3)));
      m.add(new Dropout(0.5));
      m.add(new Dense(1024).activation("relu").kernelConstraint(Constraints.maxNorm(3)));
      m.add(new Dropout(0.5));
      m.add(new Dense(10).activation("softmax").kernelConstraint(Constraints.maxNorm(3)));
    }
    m.build(new SplittableRandom(1));
    m.compile(SGD.of(0.01).withMomentum(0.9), Losses.sparseCategoricalCrossentropy(false));
    return m;
  }

  /** {@code n} samples of {@code features} uniform values in [0, 1), labels 0-9, seed 42. */
  static Dataset data(int n, int features) {
    SplittableRandom r = new SplittableRandom(42);
    float[] x = new float[n * features];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) r.nextDouble();
    }
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = r.nextInt(10);
    }
    return Dataset.ofFloats(new int[] {features}, x, y, 10);
  }

  /** A session whose executors are warmed up by a short mlp training. */
  private static SparkSession session(String master) {
    SparkSession spark = SparkTraining.session(master, "maxnorm-bench", 1);
    SparkTraining.fit(spark, data(REPLICAS * BATCH * 2, 784), model(false), REPLICAS,
        DistributedOptions.defaults().batchSize(BATCH).epochs(4).localSteps(1).seed(9));
    return spark;
  }

  /** Median and range of the round times after the first {@code skip} rounds. */
  private static String stats(List<RoundLog> rounds, int skip) {
    double[] s = rounds.stream().skip(skip).mapToDouble(RoundLog::seconds).sorted().toArray();
    double[] w = rounds.stream().skip(skip).mapToDouble(RoundLog::replicaSeconds).sorted()
        .toArray();
    return String.format(Locale.ROOT, "median %.0f ms (min %.0f, max %.0f, %d rounds), of which"
            + " replica work median %.0f ms", 1e3 * s[s.length / 2], 1e3 * s[0],
        1e3 * s[s.length - 1], s.length, 1e3 * w[w.length / 2]);
  }

  private static void rounds(String master) {
    SparkSession spark = session(master);
    try {
      for (boolean tiny : new boolean[] {true, false}) {
        Model m = model(tiny);
        long params = m.countParams();
        int features = m.inputShape().size();
        // batch 1 per replica and k = 1: the round is almost all overhead
        Dataset d = data(REPLICAS * 32, features);
        TrainingResult r = SparkTraining.fit(spark, d, m, REPLICAS,
            DistributedOptions.defaults().batchSize(1).epochs(1).localSteps(1).seed(1));
        double step = stepSeconds(model(tiny), data(1, features), 1, 20);
        System.out.printf(Locale.ROOT, "rounds %s: %s, %d params, %d floats broadcast and"
                + " returned per replica; round %s; one step alone in this process %.2f ms%n",
            master, m.name(), params, 2 * params, stats(r.rounds(), 3), 1e3 * step);
      }
    } finally {
      spark.stop();
    }
  }

  private static void throughput(String master, String ks) {
    SparkSession spark = session(master);
    try {
      int perEpoch = 64;
      Dataset d = data(REPLICAS * BATCH * perEpoch, 784);
      for (String k : ks.split(",")) {
        int local = Integer.parseInt(k.strip());
        // whole epochs of 64 steps, at least 4 rounds (rounds do not cross an epoch's end)
        int steps = Math.max(perEpoch, ((4 * local + perEpoch - 1) / perEpoch) * perEpoch);
        Model m = model(false);
        TrainingResult r = SparkTraining.fit(spark, d, m, REPLICAS, DistributedOptions.defaults()
            .batchSize(BATCH).epochs(steps / perEpoch).localSteps(local).seed(1));
        List<RoundLog> rounds = r.rounds();
        int skip = Math.max(1, rounds.size() / 8);
        double secs = 0;
        long samples = 0;
        for (RoundLog l : rounds.subList(skip, rounds.size())) {
          secs += l.seconds();
          samples += (long) l.steps() * REPLICAS * BATCH;
        }
        System.out.printf(Locale.ROOT, "throughput %s: k=%d, %d replicas x batch %d: %.0f"
                + " samples/s over %d rounds (round %s)%n",
            master, local, REPLICAS, BATCH, samples / secs, rounds.size() - skip,
            stats(rounds, skip));
      }
    } finally {
      spark.stop();
    }
  }

  /** Seconds per trainOnBatch step of {@code m} on batches of {@code d}, after warm-up. */
  static double stepSeconds(Model m, Dataset d, int warmup, int steps) {
    int[] idx = new int[Math.min(d.size(), BATCH)];
    for (int i = 0; i < idx.length; i++) {
      idx[i] = i;
    }
    Batch b = d.batch(idx);
    for (int i = 0; i < warmup; i++) {
      m.trainOnBatch(b.x(), b.y());
    }
    double[] t = new double[steps];
    for (int i = 0; i < steps; i++) {
      long t0 = System.nanoTime();
      m.trainOnBatch(b.x(), b.y());
      t[i] = (System.nanoTime() - t0) / 1e9;
    }
    Arrays.sort(t);
    return t[steps / 2];
  }

  /**
   * Times the driver's share of averaging: adding {@code replicas} single-replica sums of the mlp
   * state (weights and momentum, 3.7 M floats) exactly, and taking the mean.
   */
  private static void sum(int replicas) {
    int n = 2 * (int) model(false).countParams();
    SplittableRandom r = new SplittableRandom(3);
    List<float[]> states = new java.util.ArrayList<>();
    for (int k = 0; k < replicas; k++) {
      float[] v = new float[n];
      for (int i = 0; i < n; i++) {
        v[i] = (float) (r.nextGaussian() * 0.05);
      }
      states.add(v);
    }
    double[] t = new double[15];
    for (int rep = 0; rep < t.length; rep++) {
      long t0 = System.nanoTime();
      io.github.maxnorm.spark.ExactSum acc = io.github.maxnorm.spark.ExactSum.empty();
      for (float[] v : states) {
        acc.plus(io.github.maxnorm.spark.ExactSum.of(v, new double[3]));
      }
      float[] mean = acc.mean(0, n);
      t[rep] = (System.nanoTime() - t0) / 1e9;
      if (mean.length != n) {
        throw new IllegalStateException();
      }
    }
    Arrays.sort(t);
    System.out.printf(Locale.ROOT, "sum: %d replicas of %d floats added exactly and averaged:"
        + " median %.0f ms (min %.0f)%n", replicas, n, 1e3 * t[t.length / 2], 1e3 * t[0]);
  }

  private static void single(int threads) {
    Parallel.setThreads(threads);
    Model m = model(false);
    double s = stepSeconds(m, data(BATCH, 784), 5, 40);
    System.out.printf(Locale.ROOT, "single process, %d threads (OMP_NUM_THREADS=%s): mlp batch %d"
            + " step median %.1f ms, %.0f samples/s%n", threads, System.getenv("OMP_NUM_THREADS"),
        BATCH, 1e3 * s, BATCH / s);
  }
}

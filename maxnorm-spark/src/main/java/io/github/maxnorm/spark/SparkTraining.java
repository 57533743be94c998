package io.github.maxnorm.spark;

import io.github.maxnorm.data.Dataset;
import io.github.maxnorm.model.Model;
import java.io.File;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;

/**
 * Data-parallel training of an in-memory {@link Dataset} on a Spark master, for programs that do
 * not otherwise use Spark (the command line's {@code train --spark}). Its signatures use maxnorm
 * and JDK types only, so a caller that never invokes it runs without Spark on the class path.
 */
public final class SparkTraining {
  private SparkTraining() {}

  /**
   * A Spark session for {@code master} ({@code local[N]}, {@code spark://host:port}, or empty for
   * the master that {@code spark-submit} configured). For a cluster master the jar holding this
   * class is shipped to the executors ({@code spark.jars}) unless the configuration names jars,
   * and the executors get {@code OMP_NUM_THREADS} = {@code threads} and passive OpenMP waiting.
   */
  public static SparkSession session(String master, String appName, int threads) {
    SparkSession.Builder b = SparkSession.builder().appName(appName);
    if (master != null && !master.isEmpty()) {
      b.master(master);
    }
    b.config("spark.executorEnv.OMP_NUM_THREADS", Integer.toString(threads));
    b.config("spark.executorEnv.OMP_WAIT_POLICY", "PASSIVE");
    if (master != null && !master.isEmpty() && !master.startsWith("local")) {
      String jar = ownJar();
      if (jar != null && System.getProperty("spark.jars") == null) {
        b.config("spark.jars", jar);
      }
    }
    return b.getOrCreate();
  }

  /** The jar this class was loaded from, or null when it came from a folder. */
  static String ownJar() {
    try {
      var src = SparkTraining.class.getProtectionDomain().getCodeSource();
      if (src == null) {
        return null;
      }
      File f = new File(src.getLocation().toURI());
      return f.isFile() ? f.getAbsolutePath() : null;
    } catch (URISyntaxException | SecurityException e) {
      return null;
    }
  }

  /**
   * Starts a session on {@code master} ({@link #session}), trains as {@link #fit} does, and stops
   * the session: the whole of a command-line run.
   */
  public static TrainingResult run(String master, String appName, Dataset data, Model model,
      int partitions, DistributedOptions opt) {
    SparkSession spark = session(master, appName, opt.threadsPerTask());
    try {
      return fit(spark, data, model, partitions, opt);
    } finally {
      spark.stop();
    }
  }

  /**
   * Trains {@code model} on {@code data} split into {@code partitions} contiguous shards (0 for
   * Spark's default parallelism). The data set travels to the executors once, as a broadcast, and
   * each partition takes its slice of it.
   */
  public static TrainingResult fit(SparkSession spark, Dataset data, Model model,
      int partitions, DistributedOptions opt) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    int p = partitions > 0 ? partitions : jsc.defaultParallelism();
    if (p > data.size()) {
      throw new IllegalArgumentException(
          "--partitions " + p + " is more than the " + data.size() + " training samples");
    }
    Broadcast<PortableDataset> shared = jsc.broadcast(PortableDataset.of(data));
    try {
      return DataParallelTrainer.fit(slices(jsc, shared, p), model, opt);
    } finally {
      shared.destroy();
    }
  }

  /** Partition i holds samples {@code [i n / p, (i + 1) n / p)} of the broadcast data set. */
  private static JavaRDD<LabeledSample> slices(JavaSparkContext jsc,
      Broadcast<PortableDataset> shared, int p) {
    List<Integer> ids = new ArrayList<>();
    for (int i = 0; i < p; i++) {
      ids.add(i);
    }
    return jsc.parallelize(ids, p).mapPartitionsWithIndex((i, it) -> {
      Dataset d = shared.value().dataset();
      long n = d.size();
      int from = (int) (n * i / p);
      int to = (int) (n * (i + 1) / p);
      int[] idx = new int[to - from];
      for (int k = 0; k < idx.length; k++) {
        idx[k] = from + k;
      }
      var batch = d.batch(idx);
      float[] x = batch.x().toArray();
      int[] y = batch.y();
      int size = d.sampleShape().size();
      List<LabeledSample> out = new ArrayList<>(idx.length);
      for (int k = 0; k < idx.length; k++) {
        out.add(new LabeledSample(java.util.Arrays.copyOfRange(x, k * size, (k + 1) * size),
            y[k]));
      }
      return out.iterator();
    }, true);
  }
}

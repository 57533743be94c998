package io.github.maxnorm.spark;

import io.github.maxnorm.data.Dataset;
import io.github.maxnorm.kernel.Parallel;
import io.github.maxnorm.model.FitOptions;
import io.github.maxnorm.model.History;
import io.github.maxnorm.model.Model;
import io.github.maxnorm.model.TerminateOnNaN;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Hyperparameter sweeps on Spark: many independent single-machine trainings run as one Spark
 * job, one task per setting. A task trains exactly as one process would ({@code fit} with the
 * setting's seed, at the given thread count), so each setting's result equals, bit for bit, the
 * run of {@link #runLocal} with the same setting; the cluster only runs many of them at once.
 */
public final class Sweep {
  private Sweep() {}

  /** A function from a setting to its result, run on an executor. */
  @FunctionalInterface
  public interface Task<S, R> extends Serializable {
    R run(S setting) throws Exception;
  }

  /**
   * Runs {@code task} on every setting as one Spark job with one partition (one task) per
   * setting, and returns the results in the settings' order.
   */
  public static <S extends Serializable, R extends Serializable> List<R> map(
      JavaSparkContext jsc, List<S> settings, Task<S, R> task) {
    if (settings.isEmpty()) {
      return List.of();
    }
    Function<S, R> f = task::run;
    return jsc.parallelize(new ArrayList<>(settings), settings.size()).map(f).collect();
  }

  /** A function from a setting and the sweep's data sets to its result, run on an executor. */
  @FunctionalInterface
  public interface DataTask<S, R> extends Serializable {
    R run(S setting, List<Dataset> data) throws Exception;
  }

  /**
   * As {@link #map(JavaSparkContext, List, Task)}, with data sets every task reads: they are
   * broadcast once ({@link PortableDataset}) and rebuilt, equal sample for sample, once per
   * executor.
   */
  public static <S extends Serializable, R extends Serializable> List<R> map(
      JavaSparkContext jsc, List<S> settings, List<Dataset> data, DataTask<S, R> task) {
    PortableDataset[] portable = new PortableDataset[data.size()];
    for (int i = 0; i < portable.length; i++) {
      portable[i] = PortableDataset.of(data.get(i));
    }
    Broadcast<PortableDataset[]> shared = jsc.broadcast(portable);
    try {
      return map(jsc, settings, s -> {
        List<Dataset> ds = new ArrayList<>();
        for (PortableDataset p : shared.value()) {
          ds.add(p.dataset());
        }
        return task.run(s, ds);
      });
    } finally {
      shared.destroy();
    }
  }

  /** Every combination of the given values, seeds varying fastest; labels name the values. */
  public static List<SweepSetting> grid(double[] maxNorms, double[][] dropouts,
      double[] learningRates, double[] l2s, long[] seeds) {
    List<SweepSetting> out = new ArrayList<>();
    for (double c : maxNorms) {
      for (double[] d : dropouts) {
        if (d.length != 2) {
          throw new IllegalArgumentException(
              "grid: each dropout entry is {input, hidden}, received " + d.length + " values");
        }
        for (double lr : learningRates) {
          for (double l2 : l2s) {
            for (long seed : seeds) {
              String label = "c=" + c + " dropout=" + d[0] + "/" + d[1] + " lr=" + lr
                  + " l2=" + l2 + " seed=" + seed;
              out.add(new SweepSetting(label, c, d[0], d[1], lr, l2, seed));
            }
          }
        }
      }
    }
    return out;
  }

  /**
   * Runs every setting on the cluster as one job: the model of {@code factory}, trained on {@code
   * train} and scored on {@code heldOut}.
   *
   * @throws IllegalArgumentException when two settings share a label
   */
  public static SweepResults run(SparkSession spark, List<SweepSetting> settings,
      ModelFactory factory, Dataset train, Dataset heldOut, SweepOptions opt) {
    Set<String> labels = new HashSet<>();
    for (SweepSetting s : settings) {
      if (!labels.add(s.label())) {
        throw new IllegalArgumentException("sweep: the label " + s.label() + " appears twice");
      }
    }
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    List<SweepResult> results = map(jsc, settings, List.of(train, heldOut),
        (s, data) -> train(s, factory, data.get(0), data.get(1), opt).result());
    return new SweepResults(spark, results);
  }

  /** The same run as one task of {@link #run}, in this process. */
  public static SweepResult runLocal(SweepSetting setting, ModelFactory factory, Dataset train,
      Dataset heldOut, SweepOptions opt) {
    return train(setting, factory, train, heldOut, opt).result();
  }

  /** A run's result, its history and its trained model. */
  record Run(SweepResult result, History history, Model model) {}

  /** One setting's training and scoring, as a task runs it. */
  static Run train(SweepSetting s, ModelFactory factory, Dataset train, Dataset heldOut,
      SweepOptions opt) {
    Parallel.setThreads(opt.threads());
    long t0 = System.nanoTime();
    Model m = factory.create(s);
    History h = m.fit(train, FitOptions.defaults().epochs(opt.epochs()).batchSize(opt.batchSize())
        .seed(s.seed()).callbacks(new TerminateOnNaN()));
    Map<String, Double> scores = m.evaluate(heldOut, opt.evalBatchSize());
    SweepResult r = new SweepResult(s, h.rows().size(), h.last("loss"), h.diverged(),
        scores.get("loss"), scores.getOrDefault("accuracy", Double.NaN), Kernels.maxUnitNorm(m),
        Kernels.digest(m), (System.nanoTime() - t0) / 1e9);
    return new Run(r, h, m);
  }

  /** The results of a sweep, in the settings' order, as a DataFrame and as CSV. */
  public static final class SweepResults {
    private final SparkSession spark;
    private final List<SweepResult> results;

    SweepResults(SparkSession spark, List<SweepResult> results) {
      this.spark = spark;
      this.results = List.copyOf(results);
    }

    public List<SweepResult> results() {
      return results;
    }

    /** One row per setting, the columns of {@link SweepResult#COLUMNS}. */
    public org.apache.spark.sql.Dataset<Row> toDataFrame() {
      StructType schema = new StructType()
          .add("label", DataTypes.StringType, false)
          .add("max_norm", DataTypes.DoubleType, false)
          .add("input_dropout", DataTypes.DoubleType, false)
          .add("dropout", DataTypes.DoubleType, false)
          .add("learning_rate", DataTypes.DoubleType, false)
          .add("l2", DataTypes.DoubleType, false)
          .add("seed", DataTypes.LongType, false)
          .add("epochs", DataTypes.IntegerType, false)
          .add("final_loss", DataTypes.DoubleType, false)
          .add("diverged", DataTypes.BooleanType, false)
          .add("held_out_loss", DataTypes.DoubleType, false)
          .add("held_out_accuracy", DataTypes.DoubleType, false)
          .add("max_unit_norm", DataTypes.DoubleType, false)
          .add("weights_sha256", DataTypes.StringType, false)
          .add("seconds", DataTypes.DoubleType, false);
      List<Row> rows = new ArrayList<>();
      for (SweepResult r : results) {
        SweepSetting s = r.setting();
        rows.add(RowFactory.create(s.label(), s.maxNorm(), s.inputDropout(), s.dropout(),
            s.learningRate(), s.l2(), s.seed(), r.epochs(), r.finalLoss(), r.diverged(),
            r.heldOutLoss(), r.heldOutAccuracy(), r.maxUnitNorm(), r.weightsSha256(),
            r.seconds()));
      }
      return spark.createDataFrame(rows, schema);
    }

    /** Writes the table as CSV (a header, then one row per setting) to a local file. */
    public void writeCsv(Path file) throws IOException {
      StringBuilder b = new StringBuilder(String.join(",", SweepResult.COLUMNS)).append('\n');
      for (SweepResult r : results) {
        b.append(r.csvRow()).append('\n');
      }
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.writeString(file, b.toString(), StandardCharsets.UTF_8);
    }
  }
}

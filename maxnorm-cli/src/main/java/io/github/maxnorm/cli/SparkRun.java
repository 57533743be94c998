package io.github.maxnorm.cli;

import io.github.maxnorm.data.Dataset;
import io.github.maxnorm.model.Callback;
import io.github.maxnorm.model.Model;
import io.github.maxnorm.spark.DistributedOptions;
import io.github.maxnorm.spark.SparkTraining;
import io.github.maxnorm.spark.TrainingResult;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code train --spark}: data-parallel training through maxnorm-spark. Only this class reaches
 * Spark, and only when called, so the command line runs without Spark's jars otherwise.
 */
final class SparkRun {
  private SparkRun() {}

  /** Whether Spark is on the class path. */
  static boolean available() {
    try {
      Class.forName("org.apache.spark.sql.SparkSession", false, SparkRun.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /** Trains {@code m} on {@code train}, saving it to {@code modelFile} after every round. */
  static TrainingResult fit(RunConfig.Spark sp, RunConfig cfg, Dataset train, Model m,
      Path modelFile, List<Callback> callbacks) {
    DistributedOptions o = DistributedOptions.defaults()
        .batchSize(cfg.batchSize())
        .epochs(cfg.epochs())
        .localSteps(sp.localSteps())
        .seed(cfg.seed())
        .threadsPerTask(cfg.threads() == null ? 1 : cfg.threads())
        .checkpoint(modelFile)
        .callbacks(callbacks);
    return SparkTraining.run(sp.master(), "maxnorm train", train, m, sp.partitions(), o);
  }
}

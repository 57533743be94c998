package io.github.maxnorm.experiments;

import io.github.maxnorm.data.Dataset;
import io.github.maxnorm.spark.Sweep;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * The regularizer comparison's runs on Spark: each call is one Spark job with one task per run
 * ({@link Sweep#map}); the data sets travel once per call, as a broadcast. Only this class of the
 * experiments touches Spark, and only with {@code --spark}.
 */
final class SparkJobs implements AutoCloseable {
  private final SparkSession spark;

  SparkJobs(String master, int threads) {
    spark = io.github.maxnorm.spark.SparkTraining.session(master, "maxnorm experiment",
        Math.max(threads, 1));
  }

  List<Trainer.Outcome> run(List<RegularizerComparison.Job> jobs, Dataset train,
      Dataset heldOut) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    return new ArrayList<>(Sweep.map(jsc, jobs, List.of(train, heldOut),
        (job, data) -> job.run(data.get(0), data.get(1))));
  }

  @Override
  public void close() {
    spark.stop();
  }
}

package io.github.maxnorm.spark;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * The one Spark session of the test JVM: {@code local[2,3]} (two task slots; a failed task is
 * tried up to three times, which the retry test needs), no UI, everything on 127.0.0.1. Started on
 * first use and stopped when the JVM exits.
 */
final class LocalSpark {
  private static SparkSession session;

  private LocalSpark() {}

  static synchronized SparkSession session() {
    if (session == null || session.sparkContext().isStopped()) {
      session = SparkSession.builder()
          .master("local[2,3]")
          .appName("maxnorm-spark-tests")
          .config("spark.ui.enabled", "false")
          .config("spark.driver.host", "127.0.0.1")
          .config("spark.driver.bindAddress", "127.0.0.1")
          .config("spark.sql.shuffle.partitions", "2")
          .config("spark.default.parallelism", "2")
          .getOrCreate();
    }
    return session;
  }

  /** Stops the session, if one runs (a JVM holds one Spark context at a time). */
  static synchronized void stop() {
    if (session != null) {
      session.stop();
      session = null;
    }
  }

  static JavaSparkContext context() {
    return JavaSparkContext.fromSparkContext(session().sparkContext());
  }
}

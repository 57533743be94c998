package io.github.maxnorm.spark;

import java.io.Serializable;

/**
 * How each run of a sweep trains and is scored.
 *
 * @param epochs epochs per run
 * @param batchSize samples per step
 * @param threads kernel threads per run (per Spark task; match {@code spark.task.cpus}); a run's
 *     result is reproducible for a fixed count
 * @param evalBatchSize samples per batch when scoring on the held-out set
 */
public record SweepOptions(int epochs, int batchSize, int threads, int evalBatchSize)
    implements Serializable {

  public SweepOptions {
    if (epochs < 1 || batchSize < 1 || threads < 1 || evalBatchSize < 1) {
      throw new IllegalArgumentException("SweepOptions: epochs, batch sizes and threads must be"
          + " >= 1, received " + epochs + ", " + batchSize + ", " + threads + ", "
          + evalBatchSize);
    }
  }
}

package io.github.maxnorm.spark;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One round of data-parallel training as the driver saw it.
 *
 * @param round the 0-based round (a function of the step it started at, so a resumed run numbers
 *     its rounds as an uninterrupted one)
 * @param epoch the 0-based epoch the round belongs to
 * @param iterations the optimizer's iteration count after the round
 * @param steps the local steps each replica took
 * @param replicas the number of replicas averaged
 * @param logs the mean over the round's steps and replicas of the loss and each metric
 * @param seconds the wall time of the round on the driver (broadcast, training, aggregation,
 *     averaging and checkpoint)
 * @param replicaSeconds the mean over replicas of the time a task spent loading the state,
 *     training and reading the state back: the round's work; the rest of {@code seconds} is
 *     Spark's and the averaging's overhead
 */
public record RoundLog(
    int round, int epoch, long iterations, int steps, int replicas, Map<String, Double> logs,
    double seconds, double replicaSeconds) {

  public RoundLog {
    logs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(logs));
  }

  /** The mean training loss of the round. */
  public double loss() {
    return logs.getOrDefault("loss", Double.NaN);
  }
}

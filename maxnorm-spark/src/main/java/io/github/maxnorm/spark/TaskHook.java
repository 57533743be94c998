package io.github.maxnorm.spark;

import java.io.Serializable;

/**
 * Called on the executor at the start of every replica task, before it trains: a place for
 * monitoring, and for tests to inject failures (a hook that throws fails the task, which Spark then
 * retries). It must be serializable; it runs in the executor's JVM.
 */
@FunctionalInterface
public interface TaskHook extends Serializable {
  /**
   * @param round the 0-based round
   * @param partition the partition the task trains
   * @param attempt Spark's attempt number of the task (0 for the first)
   */
  void beforeReplica(int round, int partition, int attempt) throws Exception;

  /** A hook that does nothing. */
  static TaskHook none() {
    return (round, partition, attempt) -> {};
  }
}

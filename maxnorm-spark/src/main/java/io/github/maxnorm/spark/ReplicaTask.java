package io.github.maxnorm.spark;

import io.github.maxnorm.data.Batch;
import io.github.maxnorm.kernel.Parallel;
import io.github.maxnorm.model.Model;
import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.TaskContext;

/**
 * The executor side of a round: load the broadcast state into a replica model, train it {@code
 * steps} local steps on the partition's shard, and return its state and statistics as an {@link
 * ExactSum} of one vector. Everything the task computes is a function of the broadcast values and
 * the shard, so a retried or recomputed task returns the same bits (for a fixed thread count).
 *
 * <p>Replica models are kept per JVM between rounds and reused (building one costs an
 * initialization of every weight, which the broadcast state overwrites anyway); each task borrows
 * one for its duration, so concurrent tasks never share a model.
 *
 * @param id identifies the training run whose replicas may be reused
 * @param spec the model
 * @param seed the training seed (shuffling of each shard, dropout of each replica)
 * @param batchSize samples per local step on each replica
 * @param threads the thread count of the kernels in each task
 * @param hook called before each replica trains
 */
record ReplicaTask(String id, ModelSpec spec, long seed, int batchSize, int threads, TaskHook hook)
    implements Serializable {

  ReplicaTask {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(hook, "hook");
    if (batchSize < 1 || threads < 1) {
      throw new IllegalArgumentException(
          "ReplicaTask: batch size and threads must be >= 1, received " + batchSize + ", "
              + threads);
    }
  }

  /**
   * Trains the shard's replica for one round. The vector returned holds the state, then the sum
   * over the round's steps of the loss times the batch size, the sample count, the sum of each
   * metric times the batch size, and the seconds the task spent loading, training and reading
   * the replica (a measurement, not part of the model).
   */
  ExactSum train(RoundInput in, Shard shard) throws Exception {
    TaskContext tc = TaskContext.get();
    hook.beforeReplica(in.round(), shard.partition(), tc == null ? 0 : tc.attemptNumber());
    Parallel.setThreads(threads);
    long t0 = System.nanoTime();
    Replica r = borrow();
    try {
      Model m = r.model;
      r.layout.write(in.state(), m.optimizer(), in.iterations(), in.learningRate(),
          in.momentum());
      m.seed(Seeds.derive(seed, shard.partition()));
      int metrics = spec.metrics().size();
      double[] stats = new double[3 + metrics];
      for (int s = 0; s < in.steps(); s++) {
        Batch b = shard.batch(in.iterations() + s, batchSize, seed);
        Map<String, Double> logs = m.trainOnBatch(b.x(), b.y());
        int i = 0;
        for (double v : logs.values()) {
          stats[i == 0 ? 0 : i + 1] += v * b.size();
          i++;
        }
        stats[1] += b.size();
      }
      float[] state = r.layout.read(m.optimizer());
      stats[2 + metrics] = (System.nanoTime() - t0) / 1e9;
      return ExactSum.of(state, stats);
    } finally {
      release(r);
    }
  }

  /** A model of the spec with its layout. */
  private record Replica(String id, Model model, StateLayout layout) {}

  /** Idle replicas of recent runs; old runs' replicas are dropped. */
  private static final Map<String, Deque<Replica>> POOL = new LinkedHashMap<>(16, 0.75f, true);
  private static final int RUNS_KEPT = 4;

  private Replica borrow() {
    synchronized (POOL) {
      Deque<Replica> idle = POOL.get(id);
      if (idle != null && !idle.isEmpty()) {
        return idle.pop();
      }
    }
    Model m = spec.create();
    return new Replica(id, m, StateLayout.of(m));
  }

  private static void release(Replica r) {
    synchronized (POOL) {
      POOL.computeIfAbsent(r.id(), k -> new ArrayDeque<>()).push(r);
      while (POOL.size() > RUNS_KEPT) {
        String eldest = POOL.keySet().iterator().next();
        POOL.remove(eldest);
      }
    }
  }
}

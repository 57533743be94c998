package io.github.maxnorm.spark;

import io.github.maxnorm.model.Callback;
import java.nio.file.Path;
import java.util.List;

/**
 * How {@link DataParallelTrainer} trains.
 *
 * @param batchSize samples per local step on each replica; a synchronous step of {@code P}
 *     replicas sees {@code P * batchSize} samples
 * @param epochs the number of epochs training ends at; an epoch is {@code ceil(N / (P *
 *     batchSize))} global steps for {@code N} samples in {@code P} non-empty partitions. A model
 *     that has already taken steps (a resumed run) continues up to this many.
 * @param localSteps {@code k}, the averaging frequency: steps each replica takes between two
 *     averagings (a round); rounds do not cross epoch ends
 * @param seed seeds each shard's shuffling and each replica's dropout (and initialization, when
 *     the model is not built yet)
 * @param threadsPerTask kernel threads in each task (match {@code spark.task.cpus}); results are
 *     reproducible for a fixed value
 * @param treeDepth the depth of Spark's {@code treeAggregate}
 * @param checkpoint where the driver saves the model, atomically, after every round; null for
 *     nowhere
 * @param callbacks called on the driver: train begin and end, epoch begin and end (with the
 *     epoch's mean loss and metrics), and {@code onBatchEnd} after each round with the running
 *     epoch means
 * @param hook called on the executor before each replica trains
 */
public record DistributedOptions(
    int batchSize,
    int epochs,
    int localSteps,
    long seed,
    int threadsPerTask,
    int treeDepth,
    Path checkpoint,
    List<Callback> callbacks,
    TaskHook hook) {

  public DistributedOptions {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch_size must be >= 1, received " + batchSize);
    }
    if (epochs < 0) {
      throw new IllegalArgumentException("epochs must be >= 0, received " + epochs);
    }
    if (localSteps < 1) {
      throw new IllegalArgumentException("local steps must be >= 1, received " + localSteps);
    }
    if (threadsPerTask < 1) {
      throw new IllegalArgumentException(
          "threads per task must be >= 1, received " + threadsPerTask);
    }
    if (treeDepth < 1) {
      throw new IllegalArgumentException("tree depth must be >= 1, received " + treeDepth);
    }
    callbacks = List.copyOf(callbacks == null ? List.of() : callbacks);
    hook = hook == null ? TaskHook.none() : hook;
  }

  /** Batch 32, 1 epoch, averaging after every step, seed 0, 1 thread per task, depth 2. */
  public static DistributedOptions defaults() {
    return new DistributedOptions(32, 1, 1, 0L, 1, 2, null, List.of(), TaskHook.none());
  }

  public DistributedOptions batchSize(int v) {
    return new DistributedOptions(v, epochs, localSteps, seed, threadsPerTask, treeDepth,
        checkpoint, callbacks, hook);
  }

  public DistributedOptions epochs(int v) {
    return new DistributedOptions(batchSize, v, localSteps, seed, threadsPerTask, treeDepth,
        checkpoint, callbacks, hook);
  }

  public DistributedOptions localSteps(int v) {
    return new DistributedOptions(batchSize, epochs, v, seed, threadsPerTask, treeDepth,
        checkpoint, callbacks, hook);
  }

  public DistributedOptions seed(long v) {
    return new DistributedOptions(batchSize, epochs, localSteps, v, threadsPerTask, treeDepth,
        checkpoint, callbacks, hook);
  }

  public DistributedOptions threadsPerTask(int v) {
    return new DistributedOptions(batchSize, epochs, localSteps, seed, v, treeDepth,
        checkpoint, callbacks, hook);
  }

  public DistributedOptions treeDepth(int v) {
    return new DistributedOptions(batchSize, epochs, localSteps, seed, threadsPerTask, v,
        checkpoint, callbacks, hook);
  }

  public DistributedOptions checkpoint(Path v) {
    return new DistributedOptions(batchSize, epochs, localSteps, seed, threadsPerTask, treeDepth,
        v, callbacks, hook);
  }

  public DistributedOptions callbacks(Callback... v) {
    return callbacks(List.of(v));
  }

  public DistributedOptions callbacks(List<Callback> v) {
    return new DistributedOptions(batchSize, epochs, localSteps, seed, threadsPerTask, treeDepth,
        checkpoint, v, hook);
  }

  public DistributedOptions hook(TaskHook v) {
    return new DistributedOptions(batchSize, epochs, localSteps, seed, threadsPerTask, treeDepth,
        checkpoint, callbacks, v);
  }
}

package io.github.maxnorm.spark;

import io.github.maxnorm.model.Callback;
import io.github.maxnorm.model.History;
import io.github.maxnorm.model.ModelIO;
import io.github.maxnorm.model.Model;
import io.github.maxnorm.nn.Layer;
import io.github.maxnorm.nn.Parameter;
import io.github.maxnorm.tensor.Shape;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;

/**
 * Synchronous data-parallel training of a maxnorm model on Spark: the plain Java API.
 *
 * <p>Each partition of the input is one replica's shard. Training proceeds in rounds. In a round
 * the driver broadcasts the model's weights and optimizer state (slots, iteration count, learning
 * rate, momentum); every partition loads them into a replica, trains {@code k} local steps of
 * {@code batchSize} samples on its shard ({@code trainOnBatch}: forward with dropout, loss,
 * backward, optimizer update, constraint projection); and {@code treeAggregate} sums the replicas'
 * weights and slots exactly ({@link ExactSum}). The driver sets the model to the mean, projects
 * every constrained parameter again (so every unit is within its bound by the same projection a
 * single-process step applies, whatever the rounding of the mean), and saves the model if asked.
 *
 * <p>With {@code k = 1}, equal shards, no dropout and SGD (with or without momentum), a round is
 * the single-process step on the union of the replicas' batches, up to float rounding: the mean
 * of the replicas' updates is the update of the mean gradient. Adam's and RMSprop's updates are
 * not linear in the gradient, so there averaging replicas only approximates a large-batch step.
 *
 * <p>Every random choice is a pure function of the seed, the partition and the global step, and
 * the exact sum does not depend on the order in which tasks finish; so a retried task, an
 * executor lost mid-round, or a job restarted from the checkpoint gives the same model bit for
 * bit, for the same partitioning and thread count.
 */
public final class DataParallelTrainer {
  private DataParallelTrainer() {}

  /**
   * Trains {@code model} (compiled; built or not) on {@code data}, one replica per non-empty
   * partition, until its optimizer has taken {@code epochs} epochs of steps. A model that already
   * took steps (loaded from a checkpoint) continues where it stopped.
   *
   * @throws IllegalArgumentException when the model is not compiled, the data set is empty, or a
   *     sample does not fit the model
   */
  public static TrainingResult fit(JavaRDD<LabeledSample> data, Model model,
      DistributedOptions opt) {
    if (model == null || !model.compiled()) {
      throw new IllegalArgumentException("fit: the model is not compiled; call compile(...) first");
    }
    if (data == null || opt == null) {
      throw new IllegalArgumentException("fit: data and options are required");
    }
    if (!model.built()) {
      if (model instanceof io.github.maxnorm.model.Sequential s) {
        Layer first = s.layers().get(0);
        int[] declared = first.declaredInputShape();
        int[] shape = declared != null ? declared : new int[] {data.first().size()};
        s.build(Shape.of(shape), new SplittableRandom(opt.seed()));
      } else {
        model.build(new SplittableRandom(opt.seed()));
      }
    }
    ModelSpec spec = ModelSpec.of(model);
    int classes = classes(model);
    int[] shape = spec.inputShape();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(data.context());

    JavaRDD<Shard> shards = data
        .mapPartitionsWithIndex((i, it) -> Shard.of(i, it, shape, classes).iterator(), true)
        .persist(StorageLevel.MEMORY_ONLY());
    Broadcast<ReplicaTask> task = null;
    try {
      List<Integer> sizes = shards.map(Shard::size).collect();
      int replicas = sizes.size();
      long n = 0;
      for (int s : sizes) {
        n += s;
      }
      if (replicas == 0) {
        throw new IllegalArgumentException("fit: the data set is empty");
      }
      long perEpoch = (n + (long) replicas * opt.batchSize() - 1)
          / ((long) replicas * opt.batchSize());
      task = jsc.broadcast(new ReplicaTask(UUID.randomUUID().toString(), spec, opt.seed(),
          opt.batchSize(), opt.threadsPerTask(), opt.hook()));
      return rounds(jsc, shards, task, model, opt, replicas, perEpoch);
    } finally {
      shards.unpersist(false);
      if (task != null) {
        task.destroy();
      }
    }
  }

  private static TrainingResult rounds(JavaSparkContext jsc, JavaRDD<Shard> shards,
      Broadcast<ReplicaTask> task, Model model, DistributedOptions opt, int replicas,
      long perEpoch) {
    StateLayout layout = StateLayout.of(model);
    model.seed(opt.seed());
    List<String> names = new ArrayList<>();
    names.add("loss");
    for (var m : model.metrics()) {
      names.add(m.name());
    }
    long total = perEpoch * opt.epochs();
    long roundsPerEpoch = (perEpoch + opt.localSteps() - 1) / opt.localSteps();
    History history = new History();
    List<RoundLog> rounds = new ArrayList<>();
    List<Callback> cbs = opt.callbacks();
    for (Callback c : cbs) {
      c.onTrainBegin(model);
    }
    double[] epochSums = new double[names.size() + 1];
    boolean diverged = false;
    long t = model.optimizer().iterations();
    while (t < total && !diverged) {
      long t0 = System.nanoTime();
      int epoch = (int) (t / perEpoch);
      long offset = t % perEpoch;
      int steps = (int) Math.min(opt.localSteps(), perEpoch - offset);
      int round = (int) (epoch * roundsPerEpoch + offset / opt.localSteps());
      if (offset == 0 || rounds.isEmpty()) {
        java.util.Arrays.fill(epochSums, 0);
        for (Callback c : cbs) {
          c.onEpochBegin(model, epoch);
        }
      }
      double lr = model.optimizer().learningRate();
      double momentum = model.optimizer().momentum();
      Broadcast<RoundInput> input = jsc.broadcast(
          new RoundInput(round, layout.read(model.optimizer()), t, steps, lr, momentum));
      ExactSum sum;
      try {
        sum = shards.treeAggregate(
            ExactSum.empty(),
            (acc, shard) -> acc.plus(task.value().train(input.value(), shard)),
            ExactSum::plus,
            opt.treeDepth());
      } finally {
        input.destroy();
      }
      if (sum.count() != replicas) {
        throw new IllegalStateException(
            "round " + round + ": averaged " + sum.count() + " replicas, expected " + replicas);
      }
      layout.write(sum.mean(0, layout.length()), model.optimizer(), t + steps, lr, momentum);
      for (Parameter p : model.parameters()) {
        p.constrain();
      }
      t += steps;

      int at = layout.length();
      double samples = sum.sum(at + 1);
      Map<String, Double> logs = new LinkedHashMap<>();
      for (int i = 0; i < names.size(); i++) {
        double s = sum.sum(at + (i == 0 ? 0 : i + 1));
        logs.put(names.get(i), s / samples);
        epochSums[i] += s;
      }
      epochSums[names.size()] += samples;
      diverged = !Double.isFinite(logs.get("loss"));
      if (opt.checkpoint() != null && !diverged) {
        save(model, opt);
      }
      rounds.add(new RoundLog(round, epoch, t, steps, replicas, logs,
          (System.nanoTime() - t0) / 1e9, sum.sum(at + names.size() + 1) / replicas));
      Map<String, Double> running = epochLogs(names, epochSums);
      for (Callback c : cbs) {
        c.onBatchEnd(model, epoch, (int) (t - 1 - (long) epoch * perEpoch), running);
      }
      if (t % perEpoch == 0 || diverged) {
        running.put("lr", lr);
        history.add(epoch, running);
        for (Callback c : cbs) {
          c.onEpochEnd(model, epoch, running);
        }
      }
    }
    for (Callback c : cbs) {
      c.onTrainEnd(model, history);
    }
    return new TrainingResult(model, history, rounds, diverged, replicas, perEpoch);
  }

  private static Map<String, Double> epochLogs(List<String> names, double[] sums) {
    Map<String, Double> logs = new LinkedHashMap<>();
    double samples = sums[names.size()];
    for (int i = 0; i < names.size(); i++) {
      logs.put(names.get(i), sums[i] / samples);
    }
    return logs;
  }

  private static void save(Model model, DistributedOptions opt) {
    try {
      ModelIO.save(model, opt.checkpoint());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the checkpoint " + opt.checkpoint(), e);
    }
  }

  /** The number of classes the model's output distinguishes (2 for a single sigmoid unit). */
  static int classes(Model m) {
    Shape out = m.outputShape();
    if (out.rank() != 1) {
      throw new IllegalArgumentException(
          "fit: the model must output one score per class (shape [classes]), its output has shape "
              + out);
    }
    return Math.max(2, out.dim(0));
  }
}

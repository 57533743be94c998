package io.github.maxnorm.experiments;

import io.github.maxnorm.model.Model;
import io.github.maxnorm.data.Dataset;
import io.github.maxnorm.losses.Losses;
import io.github.maxnorm.model.Callback;
import io.github.maxnorm.model.FitOptions;
import io.github.maxnorm.model.History;
import io.github.maxnorm.model.Sequential;
import io.github.maxnorm.model.TerminateOnNaN;
import io.github.maxnorm.optim.OptimizerConfig;
import io.github.maxnorm.spark.Kernels;
import java.io.PrintStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/** Trains and scores one configuration for one seed, and records it in a {@link RunLog}. */
final class Trainer {
  static final int EVAL_BATCH = 1000;

  private final String experiment;
  private final RunLog log;
  private final PrintStream progress;

  Trainer(String experiment, RunLog log, PrintStream progress) {
    this.experiment = experiment;
    this.log = log;
    this.progress = progress;
  }

  /**
   * A finished run: its row, its per-epoch logs, and the largest unit norm after each epoch. Plain
   * data, so that a run made in a Spark task can come back to the driver.
   */
  record Outcome(RunResult result, List<Integer> epochs, List<Map<String, Double>> rows,
      List<Double> unitNorms) implements Serializable {
    Outcome {
      epochs = List.copyOf(epochs);
      List<Map<String, Double>> copy = new ArrayList<>();
      for (Map<String, Double> r : rows) {
        copy.add(new LinkedHashMap<>(r));
      }
      rows = copy;
      unitNorms = List.copyOf(unitNorms);
    }

    History history() {
      History h = new History();
      for (int i = 0; i < epochs.size(); i++) {
        h.add(epochs.get(i), rows.get(i));
      }
      return h;
    }
  }

  /**
   * One run: a fresh model from {@code model}, compiled with {@code optimizer} and sparse
   * categorical cross-entropy, trained on {@code train} for {@code epochs} epochs (stopping at the
   * first non-finite loss), then scored on {@code heldOut}, and recorded. The seed drives
   * initialization, shuffling and dropout.
   */
  RunResult run(
      String config,
      long seed,
      Supplier<Sequential> model,
      OptimizerConfig optimizer,
      Dataset train,
      Dataset heldOut,
      int epochs,
      int batchSize) {
    return record(train(experiment, config, seed, model.get(), optimizer, train, heldOut, epochs,
        batchSize));
  }

  /** Adds a finished run to the log and prints its progress line. */
  RunResult record(Outcome o) {
    RunResult r = o.result();
    log.add(r, o.history(), Map.of("max_unit_norm", o.unitNorms()));
    progress.printf(Locale.ROOT, "%s [%s] seed %d: epochs %d, loss %s%s, accuracy %.4f,"
            + " max unit norm %s, %.1f s%n",
        experiment, r.config(), r.seed(), r.epochs(), RunResult.num(r.finalLoss()),
        r.diverged() ? " (diverged at " + r.divergedAt() + ")" : "", r.accuracy(),
        RunResult.num(r.maxUnitNorm()), r.wallSeconds());
    return r;
  }

  /** The training and scoring of {@link #run}, without recording: what a Spark task runs. */
  static Outcome train(
      String experiment,
      String config,
      long seed,
      Sequential m,
      OptimizerConfig optimizer,
      Dataset train,
      Dataset heldOut,
      int epochs,
      int batchSize) {
    m.compile(optimizer, Losses.sparseCategoricalCrossentropy(false), "accuracy");
    List<Double> unitNorms = new ArrayList<>();
    Callback norms = new Callback() {
      @Override
      public void onEpochEnd(Model s, int epoch, Map<String, Double> logs) {
        unitNorms.add(Kernels.maxUnitNorm(s));
      }
    };
    long t0 = System.nanoTime();
    History h = m.fit(train, FitOptions.defaults()
        .epochs(epochs)
        .batchSize(batchSize)
        .seed(seed)
        .callbacks(new TerminateOnNaN(), norms));
    if (unitNorms.size() < h.rows().size()) {
      unitNorms.add(Kernels.maxUnitNorm(m));
    }
    double accuracy = m.evaluate(heldOut, EVAL_BATCH).get("accuracy");
    double seconds = (System.nanoTime() - t0) / 1e9;
    String divergedAt = h.diverged()
        ? (h.divergedEpoch() + 1) + ":" + (h.divergedStep() + 1)
        : "";
    RunResult r = new RunResult(experiment, config, seed, h.rows().size(), h.last("loss"),
        divergedAt, accuracy, Kernels.maxUnitNorm(m), seconds);
    return new Outcome(r, h.epochs(), h.rows(), unitNorms);
  }
}

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
import java.io.PrintStream;
import java.util.ArrayList;
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
   * One run: a fresh model from {@code model}, compiled with {@code optimizer} and sparse
   * categorical cross-entropy, trained on {@code train} for {@code epochs} epochs (stopping at the
   * first non-finite loss), then scored on {@code heldOut}. The seed drives initialization,
   * shuffling and dropout.
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
    Sequential m = model.get();
    m.compile(optimizer, Losses.sparseCategoricalCrossentropy(false), "accuracy");
    List<Double> unitNorms = new ArrayList<>();
    Callback norms = new Callback() {
      @Override
      public void onEpochEnd(Model s, int epoch, Map<String, Double> logs) {
        unitNorms.add(UnitNorms.maxUnitNorm(s));
      }
    };
    long t0 = System.nanoTime();
    History h = m.fit(train, FitOptions.defaults()
        .epochs(epochs)
        .batchSize(batchSize)
        .seed(seed)
        .callbacks(new TerminateOnNaN(), norms));
    if (unitNorms.size() < h.rows().size()) {
      unitNorms.add(UnitNorms.maxUnitNorm(m));
    }
    double accuracy = m.evaluate(heldOut, EVAL_BATCH).get("accuracy");
    double seconds = (System.nanoTime() - t0) / 1e9;
    String divergedAt = h.diverged()
        ? (h.divergedEpoch() + 1) + ":" + (h.divergedStep() + 1)
        : "";
    RunResult r = new RunResult(experiment, config, seed, h.rows().size(), h.last("loss"),
        divergedAt, accuracy, UnitNorms.maxUnitNorm(m), seconds);
    log.add(r, h, Map.of("max_unit_norm", unitNorms));
    progress.printf(Locale.ROOT, "%s [%s] seed %d: epochs %d, loss %s%s, accuracy %.4f,"
            + " max unit norm %s, %.1f s%n",
        experiment, config, seed, r.epochs(), RunResult.num(r.finalLoss()),
        r.diverged() ? " (diverged at " + divergedAt + ")" : "", accuracy,
        RunResult.num(r.maxUnitNorm()), seconds);
    return r;
  }
}

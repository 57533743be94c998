package io.github.maxnorm.experiments;

import io.github.maxnorm.data.Dataset;
import io.github.maxnorm.data.TrainTest;
import io.github.maxnorm.kernel.Parallel;
import io.github.maxnorm.optim.SGD;
import java.io.PrintStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The regularizer comparison (Table 9 of Srivastava et al., 2014) on a 784-1024-1024-10 ReLU MLP:
 * none, L2, max-norm, dropout + L2, dropout + max-norm. Each method's hyperparameters are chosen on
 * the first 50,000 training samples with the last 10,000 as validation (one seed), then the method
 * is trained on all training samples with several seeds and scored on the test set. Every run has
 * the same epoch budget; SGD with momentum 0.95, batch 100.
 */
final class RegularizerComparison {
  static final String NAME = "regularizers";
  static final double[] LEARNING_RATES = {0.01, 0.1};
  static final double[] L2 = {1e-4, 1e-3};
  static final double[] MAX_NORMS = {3, 4};
  static final int BATCH = 100;
  static final double MOMENTUM = 0.95;
  static final int DEFAULT_EPOCHS = 2;
  static final int VALIDATION = 10_000;

  /** One point of a method's grid. */
  record Candidate(String method, double lr, double l2, double maxNorm, boolean dropout)
      implements Serializable {
    String label() {
      StringBuilder b = new StringBuilder(method).append(" lr=").append(LrAblation.fmt(lr));
      if (l2 > 0) {
        b.append(" l2=").append(l2);
      }
      if (maxNorm > 0) {
        b.append(" c=").append(LrAblation.fmt(maxNorm));
      }
      return b.toString();
    }
  }

  private RegularizerComparison() {}

  /** Every method's grid, method by method. */
  static List<List<Candidate>> grids() {
    List<List<Candidate>> grids = new ArrayList<>();
    for (boolean dropout : new boolean[] {false, true}) {
      String d = dropout ? "dropout+" : "";
      if (!dropout) {
        List<Candidate> none = new ArrayList<>();
        for (double lr : LEARNING_RATES) {
          none.add(new Candidate("none", lr, 0, 0, false));
        }
        grids.add(none);
      }
      List<Candidate> l2 = new ArrayList<>();
      List<Candidate> mn = new ArrayList<>();
      for (double lr : LEARNING_RATES) {
        for (double k : L2) {
          l2.add(new Candidate(d + "l2", lr, k, 0, dropout));
        }
        for (double c : MAX_NORMS) {
          mn.add(new Candidate(d + "maxnorm", lr, 0, c, dropout));
        }
      }
      grids.add(l2);
      grids.add(mn);
    }
    return grids;
  }

  /**
   * One training of the comparison as data, so that a Spark task can run it: the candidate, the
   * seed, the network's hidden widths, the epochs and the kernel threads (0: leave them).
   */
  record Job(String experiment, Candidate candidate, long seed, int[] hidden, int epochs,
      int threads) implements Serializable {
    Job {
      hidden = hidden.clone();
    }

    Trainer.Outcome run(Dataset train, Dataset heldOut) {
      if (threads > 0) {
        Parallel.setThreads(threads);
      }
      return Trainer.train(experiment, candidate.label(), seed, model(hidden, candidate),
          SGD.of(candidate.lr()).withMomentum(MOMENTUM), train, heldOut, epochs, BATCH);
    }
  }

  /**
   * Runs jobs on a training and a held-out set and hands each outcome, in the jobs' order, to
   * {@code done} (in this process: as soon as it finishes, so the log holds every finished run).
   */
  interface Runner {
    void run(List<Job> jobs, Dataset train, Dataset heldOut, Consumer<Trainer.Outcome> done);
  }

  static List<RunResult> run(Settings s, PrintStream progress) {
    if (s.spark() == null) {
      return run(s, progress, (jobs, train, heldOut, done) -> {
        for (Job j : jobs) {
          done.accept(j.run(train, heldOut));
        }
      });
    }
    try (SparkJobs spark = new SparkJobs(s.spark(), s.threads())) {
      progress.println(NAME + ": each phase runs as one Spark job on " + s.spark());
      return run(s, progress, (jobs, train, heldOut, done) ->
          spark.run(jobs, train, heldOut).forEach(done));
    }
  }

  static List<RunResult> run(Settings s, PrintStream progress, Runner runner) {
    TrainTest data = Data.load(s, 1500, 500);
    int epochs = s.quick() ? s.epochsOr(1) : s.epochsOr(DEFAULT_EPOCHS);
    int seeds = s.seedsOr(s.quick() ? 2 : 3);
    int[] hidden = s.quick() ? new int[] {64, 64} : new int[] {1024, 1024};
    Dataset full = data.train();
    int val = full.size() >= 6 * VALIDATION ? VALIDATION : full.size() / 6;
    Dataset selTrain = Data.range(full, 0, full.size() - val);
    Dataset selVal = Data.range(full, full.size() - val, full.size());
    List<Candidate> chosen = new ArrayList<>();
    StringBuilder selectionSummary = new StringBuilder();
    List<RunResult> selectionRuns = new ArrayList<>();
    List<Job> selection = new ArrayList<>();
    for (List<Candidate> grid : grids()) {
      for (Candidate c : grid) {
        selection.add(new Job(NAME + "-selection", c, 1, hidden, epochs, s.threads()));
      }
    }
    try (RunLog log = new RunLog(s.out(), NAME + "-selection", "val_accuracy")) {
      Trainer t = new Trainer(NAME + "-selection", log, progress);
      runner.run(selection, selTrain, selVal, o -> selectionRuns.add(t.record(o)));
      int k = 0;
      for (List<Candidate> grid : grids()) {
        Candidate best = null;
        double bestAcc = Double.NEGATIVE_INFINITY;
        for (Candidate c : grid) {
          RunResult r = selectionRuns.get(k++);
          double acc = r.diverged() ? Double.NEGATIVE_INFINITY : r.accuracy();
          if (best == null || acc > bestAcc) {
            best = c;
            bestAcc = acc;
          }
        }
        chosen.add(best);
        selectionSummary.append(String.format(Locale.ROOT, "- %s: chose `%s` (validation accuracy %.4f)%n",
            best.method(), best.label(), bestAcc));
      }
    }
    List<Job> finals = new ArrayList<>();
    for (Candidate c : chosen) {
      for (int seed = 1; seed <= seeds; seed++) {
        finals.add(new Job(NAME, c, seed, hidden, epochs, s.threads()));
      }
    }
    List<RunResult> all = new ArrayList<>();
    try (RunLog log = new RunLog(s.out(), NAME, "test_accuracy")) {
      Trainer t = new Trainer(NAME, log, progress);
      runner.run(finals, full, data.test(), o -> all.add(t.record(o)));
    }
    Summary.write(s.out().resolve(NAME + "-summary.md"),
        "Selection (validation = last " + val + " training samples):\n\n"
            + Summary.markdown("validation accuracy", selectionRuns) + "\n"
            + selectionSummary + "\nFinal (all training samples, test set):\n\n"
            + Summary.markdown("test accuracy", all));
    return all;
  }

  static io.github.maxnorm.model.Sequential model(int[] hidden, Candidate c) {
    return Models.mlp(hidden, c.dropout() ? 0.2 : 0, c.dropout() ? 0.5 : 0, c.maxNorm(), c.l2());
  }
}

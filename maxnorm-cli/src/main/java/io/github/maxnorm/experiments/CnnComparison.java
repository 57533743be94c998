package io.github.maxnorm.experiments;

import io.github.maxnorm.data.TrainTest;
import io.github.maxnorm.optim.SGD;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * A small conv net (conv 3x3x16, pool, conv 3x3x32, pool, dense 128, dropout 0.5 before each dense
 * layer) with and without per-filter max-norm 3, SGD with momentum 0.95 at one learning rate.
 */
final class CnnComparison {
  static final String NAME = "cnn";
  static final double MAX_NORM = 3;
  static final double[] LEARNING_RATES = {0.05, 0.5};
  static final int BATCH = 100;
  static final int DEFAULT_EPOCHS = 3;

  private CnnComparison() {}

  static List<RunResult> run(Settings s, PrintStream progress) {
    TrainTest data = Data.load(s, 1000, 500);
    int epochs = s.quick() ? s.epochsOr(1) : s.epochsOr(DEFAULT_EPOCHS);
    int seeds = s.seedsOr(1);
    int f1 = s.quick() ? 4 : 16;
    int f2 = s.quick() ? 8 : 32;
    List<RunResult> all = new ArrayList<>();
    try (RunLog log = new RunLog(s.out(), NAME, "test_accuracy")) {
      Trainer t = new Trainer(NAME, log, progress);
      for (double lr : LEARNING_RATES) {
        for (double c : new double[] {0, MAX_NORM}) {
          String config = "cnn " + f1 + "-" + f2 + " lr=" + lr + " "
              + (c > 0 ? "maxnorm=3" : "unconstrained");
          for (int seed = 1; seed <= seeds; seed++) {
            all.add(t.run(config, seed, () -> Models.cnn(f1, f2, c),
                SGD.of(lr).withMomentum(0.95), data.train(), data.test(), epochs, BATCH));
          }
        }
      }
    }
    Summary.write(s.out().resolve(NAME + "-summary.md"), Summary.markdown("test accuracy", all));
    return all;
  }
}

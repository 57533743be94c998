package io.github.maxnorm.experiments;

import io.github.maxnorm.data.TrainTest;
import io.github.maxnorm.optim.SGD;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The learning-rate ablation: 784-512-512-10 ReLU with dropout 0.2 on the input and 0.5 on each
 * hidden layer, SGD with momentum 0.95 at a constant learning rate in {0.01, 0.1, 1, 5, 10}, batch
 * 100, each once without a constraint and once with max-norm 3 on every Dense kernel (per unit).
 */
final class LrAblation {
  static final String NAME = "lr-ablation";
  static final double[] LEARNING_RATES = {0.01, 0.1, 1, 5, 10};
  static final double MAX_NORM = 3;
  static final int BATCH = 100;
  static final double MOMENTUM = 0.95;
  static final int DEFAULT_EPOCHS = 5;

  private LrAblation() {}

  static List<RunResult> run(Settings s, PrintStream progress) {
    TrainTest data = Data.load(s, 2000, 1000);
    int epochs = s.quick() ? s.epochsOr(1) : s.epochsOr(DEFAULT_EPOCHS);
    int seeds = s.seedsOr(1);
    List<RunResult> all = new ArrayList<>();
    try (RunLog log = new RunLog(s.out(), NAME, "test_accuracy")) {
      Trainer t = new Trainer(NAME, log, progress);
      for (double lr : LEARNING_RATES) {
        for (double c : new double[] {0, MAX_NORM}) {
          String config = String.format(Locale.ROOT, "lr=%s %s", fmt(lr),
              c > 0 ? "maxnorm=" + fmt(c) : "unconstrained");
          for (int seed = 1; seed <= seeds; seed++) {
            all.add(t.run(config, seed,
                () -> Models.mlp(new int[] {512, 512}, 0.2, 0.5, c, 0),
                SGD.of(lr).withMomentum(MOMENTUM), data.train(), data.test(), epochs, BATCH));
          }
        }
      }
    }
    Summary.write(s.out().resolve(NAME + "-summary.md"), Summary.markdown("test accuracy", all));
    return all;
  }

  static String fmt(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }
}

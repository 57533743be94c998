package io.github.maxnorm.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.maxnorm.data.Datasets;
import io.github.maxnorm.data.TrainTest;
import io.github.maxnorm.losses.Losses;
import io.github.maxnorm.nn.Constraints;
import io.github.maxnorm.nn.layers.Dense;
import io.github.maxnorm.nn.layers.Dropout;
import io.github.maxnorm.nn.layers.Flatten;
import io.github.maxnorm.optim.SGD;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The mission's recipe on the bundled MNIST sample: 784-512-512-10 with dropout 0.2/0.5 and
 * max-norm 3, SGD with momentum, must reach 0.96 test accuracy within 10 epochs.
 */
class MnistSampleMlpTest {

  static Sequential mlp() {
    return new Sequential()
        .add(new Flatten().inputShape(28, 28, 1))
        .add(new Dropout(0.2))
        .add(new Dense(512).activation("relu").kernelConstraint(Constraints.maxNorm(3)))
        .add(new Dropout(0.5))
        .add(new Dense(512).activation("relu").kernelConstraint(Constraints.maxNorm(3)))
        .add(new Dropout(0.5))
        .add(new Dense(10).activation("softmax").kernelConstraint(Constraints.maxNorm(3)));
  }

  @Test
  void reachesNinetySixPercentWithinTenEpochs() throws Exception {
    TrainTest data = Datasets.mnistSample();
    Sequential m = mlp();
    m.compile(SGD.of(0.1).withMomentum(0.9), Losses.sparseCategoricalCrossentropy(false),
        "accuracy");
    long t0 = System.nanoTime();
    History h = m.fit(data.train(), FitOptions.defaults().epochs(10).batchSize(256).seed(1));
    double seconds = (System.nanoTime() - t0) / 1e9;
    Map<String, Double> test = m.evaluate(data.test(), 500);
    List<Double> loss = h.get("loss");
    assertTrue(loss.get(loss.size() - 1) < loss.get(0), "training loss falls: " + loss);
    assertTrue(test.get("accuracy") >= 0.96, "test accuracy " + test + " after " + seconds + " s");
    double maxNorm = h.last("dense/kernel:max_norm");
    assertTrue(Double.isFinite(maxNorm), "activity recorded: " + h.keys());
    System.out.printf("mnist-sample mlp: test %s, %.1f s of training%n", test, seconds);
  }
}

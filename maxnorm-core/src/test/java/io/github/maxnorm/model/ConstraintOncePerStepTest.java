package io.github.maxnorm.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.maxnorm.data.Dataset;
import io.github.maxnorm.losses.Losses;
import io.github.maxnorm.nn.Constraint;
import io.github.maxnorm.nn.layers.Dense;
import io.github.maxnorm.optim.SGD;
import io.github.maxnorm.tensor.Tensor;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A counting constraint shows projection runs exactly once per step and never in forward. */
class ConstraintOncePerStepTest {

  @Test
  void constraintRunsOncePerStepAndNotInForward() {
    AtomicInteger calls = new AtomicInteger();
    AtomicInteger stepsSeen = new AtomicInteger();
    Constraint counting = w -> {
      calls.incrementAndGet();
      return w;
    };
    Sequential m = new Sequential()
        .add(new Dense(4).inputShape(3).activation("relu").kernelConstraint(counting))
        .add(new Dense(2).activation("softmax"));
    m.compile(SGD.of(0.1), Losses.sparseCategoricalCrossentropy(false), "accuracy");
    Dataset data = TinyData.random(50, 3, 2, 1);
    m.fit(data, FitOptions.defaults().epochs(3).batchSize(10).seed(4).callbacks(new Callback() {
      @Override
      public void onBatchEnd(Model model, int epoch, int step, Map<String, Double> logs) {
        stepsSeen.incrementAndGet();
        assertEquals(stepsSeen.get(), calls.get(), "constraint calls after step");
      }
    }));
    assertEquals(15, stepsSeen.get());
    assertEquals(15, calls.get());
    m.predict(Tensor.zeros(5, 3));
    m.evaluate(data, 7);
    assertEquals(15, calls.get(), "forward, evaluate and predict never apply constraints");
  }
}

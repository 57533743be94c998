package io.github.maxnorm.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.maxnorm.data.Dataset;
import io.github.maxnorm.losses.Losses;
import io.github.maxnorm.nn.Constraints;
import io.github.maxnorm.nn.layers.Dense;
import io.github.maxnorm.nn.layers.Dropout;
import io.github.maxnorm.optim.SGD;
import io.github.maxnorm.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Misuse of the training API fails with a clear exception naming what was received. */
class ApiMisuseTest {

  private static Sequential small() {
    return new Sequential()
        .add(new Dense(8).inputShape(4).activation("relu").kernelConstraint(Constraints.maxNorm(3)))
        .add(new Dropout(0.5))
        .add(new Dense(3).activation("softmax"));
  }

  private static Sequential compiled() {
    Sequential m = small();
    m.compile(SGD.of(0.1), Losses.sparseCategoricalCrossentropy(false), "accuracy");
    return m;
  }

  private static void assertMessage(Exception e, String... parts) {
    for (String p : parts) {
      assertTrue(e.getMessage().contains(p), "message '" + e.getMessage() + "' lacks '" + p + "'");
    }
  }

  @Test
  void fitBeforeCompile() {
    Exception e = assertThrows(IllegalStateException.class,
        () -> small().fit(TinyData.random(10, 4, 3, 1), FitOptions.defaults()));
    assertMessage(e, "compile");
  }

  @Test
  void wrongInputShape() {
    Sequential m = compiled();
    Exception e = assertThrows(IllegalArgumentException.class,
        () -> m.fit(TinyData.random(10, 5, 3, 1), FitOptions.defaults()));
    assertMessage(e, "[5]", "[4]");
    Exception p = assertThrows(IllegalArgumentException.class, () -> m.predict(Tensor.zeros(2, 7)));
    assertMessage(p, "[2, 7]");
  }

  @Test
  void labelsOutOfRange() {
    Sequential m = compiled();
    Dataset five = TinyData.random(20, 4, 5, 1);
    Exception e = assertThrows(IllegalArgumentException.class,
        () -> m.fit(five, FitOptions.defaults()));
    assertMessage(e, "label");
  }

  @Test
  void emptyDataAndBadBatchSize() {
    Sequential m = compiled();
    assertThrows(IllegalArgumentException.class,
        () -> Dataset.ofFloats(new int[] {4}, new float[0], new int[0], 3));
    Exception b = assertThrows(IllegalArgumentException.class,
        () -> FitOptions.defaults().batchSize(0));
    assertMessage(b, "batch_size", "0");
    m.build(new SplittableRandom(0));
    Exception ev = assertThrows(IllegalArgumentException.class,
        () -> m.evaluate(TinyData.random(5, 4, 3, 1), 0));
    assertMessage(ev, "0");
  }

  @Test
  void nanInInputData() {
    float[] x = new float[8];
    x[5] = Float.NaN;
    Exception e = assertThrows(IllegalArgumentException.class,
        () -> Dataset.ofFloats(new int[] {4}, x, new int[] {0, 1}, 3));
    assertMessage(e, "NaN");
  }

  @Test
  void predictFromManyThreadsMatchesSingleThread() throws Exception {
    Sequential m = compiled();
    m.fit(TinyData.random(64, 4, 3, 2), FitOptions.defaults().epochs(1).batchSize(16));
    List<Tensor> inputs = new ArrayList<>();
    List<float[]> expected = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      Tensor x = Tensor.randomUniform(new SplittableRandom(i), -1, 1, 32, 4);
      inputs.add(x);
      expected.add(m.predict(x).toArray());
    }
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<float[]>> got = new ArrayList<>();
      for (int rep = 0; rep < 8; rep++) {
        for (Tensor x : inputs) {
          got.add(pool.submit(() -> m.predict(x).toArray()));
        }
      }
      for (int k = 0; k < got.size(); k++) {
        assertArrayEquals(expected.get(k % inputs.size()), got.get(k).get());
      }
    } finally {
      pool.shutdownNow();
    }
  }
}

package io.github.maxnorm.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.maxnorm.data.Batch;
import io.github.maxnorm.data.Dataset;
import io.github.maxnorm.losses.Losses;
import io.github.maxnorm.nn.Constraints;
import io.github.maxnorm.nn.Parameter;
import io.github.maxnorm.nn.layers.Dense;
import io.github.maxnorm.nn.layers.Dropout;
import io.github.maxnorm.optim.SGD;
import io.github.maxnorm.tensor.Tensor;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** trainOnBatch is the step fit takes. */
class TrainOnBatchTest {

  private static Sequential model() {
    Sequential m = new Sequential()
        .add(new Dropout(0.3).inputShape(8))
        .add(new Dense(16).activation("relu").kernelConstraint(Constraints.maxNorm(0.5)))
        .add(new Dropout(0.5))
        .add(new Dense(3).activation("softmax").kernelConstraint(Constraints.maxNorm(0.5)));
    m.build(new SplittableRandom(5));
    m.compile(SGD.of(0.1).withMomentum(0.9), Losses.sparseCategoricalCrossentropy(false),
        "accuracy");
    return m;
  }

  @Test
  void stepsMatchFitBitForBit() {
    Dataset data = TinyData.random(40, 8, 3, 81);
    Sequential fitted = model();
    fitted.fit(data, FitOptions.defaults().epochs(3).batchSize(40).shuffle(false).seed(0));

    Sequential stepped = model();
    int[] all = new int[40];
    for (int i = 0; i < 40; i++) {
      all[i] = i;
    }
    Batch b = data.batch(all);
    for (int e = 0; e < 3; e++) {
      Map<String, Double> logs = stepped.trainOnBatch(b.x(), b.y());
      assertEquals(List.of("loss", "accuracy"), List.copyOf(logs.keySet()));
    }
    List<Parameter> pf = fitted.parameters();
    List<Parameter> ps = stepped.parameters();
    for (int i = 0; i < pf.size(); i++) {
      assertArrayEquals(pf.get(i).variable().data(), ps.get(i).variable().data(),
          pf.get(i).path());
    }
    assertEquals(3, stepped.optimizer().iterations());
  }

  @Test
  void theSeedChoosesTheDropoutMasks() {
    Dataset data = TinyData.random(40, 8, 3, 81);
    Batch b = data.all();
    float[][] kernels = new float[3][];
    long[] seeds = {7, 7, 8};
    for (int i = 0; i < 3; i++) {
      Sequential m = model();
      m.seed(seeds[i]);
      assertEquals(seeds[i], m.seed());
      m.trainOnBatch(b.x(), b.y());
      kernels[i] = m.parameters().get(0).variable().data();
    }
    assertArrayEquals(kernels[0], kernels[1]);
    assertFalse(java.util.Arrays.equals(kernels[0], kernels[2]), "another seed, the same masks");
  }

  @Test
  void rejectsMisuse() {
    Sequential m = new Sequential().add(new Dense(2).inputShape(3));
    assertThrows(IllegalStateException.class,
        () -> m.trainOnBatch(Tensor.zeros(2, 3), new int[] {0, 1}));
    m.compile(SGD.of(0.1), Losses.sparseCategoricalCrossentropy(true));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> m.trainOnBatch(Tensor.zeros(2, 3), new int[] {0}));
    assertEquals("trainOnBatch: x of shape [2, 3] does not match 1 labels", e.getMessage());
  }
}

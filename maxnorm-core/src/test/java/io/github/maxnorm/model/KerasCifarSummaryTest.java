package io.github.maxnorm.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.maxnorm.nn.Constraints;
import io.github.maxnorm.nn.layers.Conv2D;
import io.github.maxnorm.nn.layers.Dense;
import io.github.maxnorm.nn.layers.Dropout;
import io.github.maxnorm.nn.layers.Flatten;
import io.github.maxnorm.nn.layers.MaxPooling2D;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class KerasCifarSummaryTest {

  /** The Keras CIFAR-10 example with max_norm(3) on every kernel. */
  static Sequential kerasCifar() {
    return new Sequential()
        .add(new Conv2D(32, 3, 3).inputShape(32, 32, 3).padding("same").activation("relu")
            .kernelConstraint(Constraints.maxNorm(3)))
        .add(new Dropout(0.2))
        .add(new Conv2D(32, 3, 3).padding("same").activation("relu")
            .kernelConstraint(Constraints.maxNorm(3)))
        .add(new MaxPooling2D(2, 2))
        .add(new Flatten())
        .add(new Dense(512).activation("relu").kernelConstraint(Constraints.maxNorm(3)))
        .add(new Dropout(0.5))
        .add(new Dense(10).activation("softmax"));
  }

  @Test
  void summaryCountsParametersAsKeras() {
    Sequential m = kerasCifar().build(new SplittableRandom(0));
    assertEquals(4_210_090L, m.countParams());
    String s = m.summary();
    assertTrue(s.contains("Total params: 4,210,090"), s);
    assertTrue(s.contains("conv2d_1 (Conv2D)"), s);
    assertTrue(s.contains("(None, 16, 16, 32)"), s);
    assertTrue(s.contains("MaxNorm"), s);
  }
}

package io.github.maxnorm.experiments;

import io.github.maxnorm.model.Sequential;
import io.github.maxnorm.nn.Constraint;
import io.github.maxnorm.nn.Constraints;
import io.github.maxnorm.nn.Regularizer;
import io.github.maxnorm.nn.Regularizers;
import io.github.maxnorm.nn.layers.Conv2D;
import io.github.maxnorm.nn.layers.Dense;
import io.github.maxnorm.nn.layers.Dropout;
import io.github.maxnorm.nn.layers.Flatten;
import io.github.maxnorm.nn.layers.MaxPooling2D;

/** The networks of the experiments. Kernels are glorot_uniform, biases zero (the defaults). */
final class Models {
  private Models() {}

  /**
   * A ReLU MLP on {@code [28, 28, 1]} images with a softmax output of 10.
   *
   * @param hidden the width of each hidden layer
   * @param inputRate the dropout rate on the input (0 for none)
   * @param hiddenRate the dropout rate on each hidden layer's output (0 for none)
   * @param maxNorm the per-unit max-norm bound on every Dense kernel, or 0 for none
   * @param l2 the L2 coefficient on every Dense kernel, or 0 for none
   */
  static Sequential mlp(int[] hidden, double inputRate, double hiddenRate, double maxNorm,
      double l2) {
    Sequential m = new Sequential().add(new Flatten().inputShape(28, 28, 1));
    if (inputRate > 0) {
      m.add(new Dropout(inputRate));
    }
    for (int units : hidden) {
      m.add(dense(new Dense(units).activation("relu"), maxNorm, l2));
      if (hiddenRate > 0) {
        m.add(new Dropout(hiddenRate));
      }
    }
    return m.add(dense(new Dense(10).activation("softmax"), maxNorm, l2));
  }

  private static Dense dense(Dense d, double maxNorm, double l2) {
    Constraint c = maxNorm > 0 ? Constraints.maxNorm(maxNorm) : null;
    Regularizer r = l2 > 0 ? Regularizers.l2(l2) : null;
    if (c != null) {
      d.kernelConstraint(c);
    }
    if (r != null) {
      d.kernelRegularizer(r);
    }
    return d;
  }

  /**
   * A small conv net: conv 3x3x{@code f1} ReLU, 2x2 max-pool, conv 3x3x{@code f2} ReLU, 2x2
   * max-pool, dropout 0.5, dense 128 ReLU, dropout 0.5, dense 10 softmax. With {@code maxNorm > 0}
   * every kernel (each conv filter, each dense unit) has its incoming norm bounded.
   */
  static Sequential cnn(int f1, int f2, double maxNorm) {
    Constraint c = maxNorm > 0 ? Constraints.maxNorm(maxNorm) : null;
    Conv2D conv1 = new Conv2D(f1, 3).activation("relu").inputShape(28, 28, 1);
    Conv2D conv2 = new Conv2D(f2, 3).activation("relu");
    Dense fc = new Dense(128).activation("relu");
    Dense out = new Dense(10).activation("softmax");
    if (c != null) {
      conv1.kernelConstraint(c);
      conv2.kernelConstraint(c);
      fc.kernelConstraint(c);
      out.kernelConstraint(c);
    }
    return new Sequential()
        .add(conv1)
        .add(new MaxPooling2D(2, 2))
        .add(conv2)
        .add(new MaxPooling2D(2, 2))
        .add(new Flatten())
        .add(new Dropout(0.5))
        .add(fc)
        .add(new Dropout(0.5))
        .add(out);
  }
}

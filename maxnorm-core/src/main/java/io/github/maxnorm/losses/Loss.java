package io.github.maxnorm.losses;

import io.github.maxnorm.nn.Config;
import io.github.maxnorm.tensor.Tensor;

/**
 * A training loss: the mean over the batch of a per-sample loss between the model's output and the
 * integer class labels. Built-ins: {@link Losses}.
 */
public interface Loss {
  /**
   * The batch-mean loss (a one-element tensor, differentiable).
   *
   * @param output the model's output, {@code [batch, classes]}
   * @param labels the class of each sample, in {@code [0, classes)}
   */
  Tensor compute(Tensor output, int[] labels);

  /** Keras form. */
  Config config();
}

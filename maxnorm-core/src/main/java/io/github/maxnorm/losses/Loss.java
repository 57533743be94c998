package io.github.maxnorm.losses;

import io.github.maxnorm.nn.Config;
import io.github.maxnorm.tensor.Tensor;

/**
 * A training loss: the mean over the batch of a per-sample loss between the model's output and the
 * targets. Targets are class labels ({@code [batch]} or {@code [batch, 1]} of whole numbers), or
 * a tensor of the output's shape (one-hot or probability rows, real values). Built-ins: {@link
 * Losses}.
 */
public interface Loss {
  /**
   * The batch-mean loss (a one-element tensor, differentiable).
   *
   * @param output the model's output, {@code [batch, ...]}
   * @param targets the targets, as above
   */
  Tensor compute(Tensor output, Tensor targets);

  /** {@link #compute(Tensor, Tensor)} with class labels. */
  default Tensor compute(Tensor output, int[] labels) {
    return compute(output, Targets.labelTensor(labels));
  }

  /** Keras form. */
  Config config();
}

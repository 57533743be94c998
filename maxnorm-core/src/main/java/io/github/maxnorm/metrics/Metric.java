package io.github.maxnorm.metrics;

import io.github.maxnorm.tensor.Tensor;

/**
 * A metric averaged over samples: each batch contributes a sum and a count, and the epoch value is
 * the total sum over the total count. Targets are as for losses: class labels or a tensor of the
 * output's shape. Built-ins: {@link Metrics}.
 */
public interface Metric {
  /** The name reported in History and logs, e.g. {@code accuracy}. */
  String name();

  /** The sum of the per-sample metric over the batch. */
  double batchSum(Tensor output, Tensor targets);

  /** {@link #batchSum(Tensor, Tensor)} with class labels. */
  default double batchSum(Tensor output, int[] labels) {
    return batchSum(output, io.github.maxnorm.losses.Targets.labelTensor(labels));
  }
}

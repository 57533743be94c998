package io.github.maxnorm.data;

import io.github.maxnorm.tensor.Tensor;

/**
 * One mini-batch: inputs and their integer class labels.
 *
 * @param x the inputs, shape {@code [b, ...sampleShape]}
 * @param y the class label of each of the {@code b} samples; copied in and out
 */
public record Batch(Tensor x, int[] y) {

  public Batch {
    if (x == null || y == null) {
      throw new IllegalArgumentException("Batch: x and y must not be null");
    }
    if (x.rank() < 1 || x.shape().dim(0) != y.length) {
      throw new IllegalArgumentException(
          "Batch: x of shape " + x.shape() + " does not match " + y.length + " labels");
    }
    y = y.clone();
  }

  /** The labels (a copy). */
  @Override
  public int[] y() {
    return y.clone();
  }

  /** The number of samples in this batch. */
  public int size() {
    return y.length;
  }
}

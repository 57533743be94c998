package io.github.maxnorm.data;

import io.github.maxnorm.tensor.Tensor;

/**
 * One mini-batch: inputs and their targets, as Keras's {@code (x, y)}. The targets are a tensor
 * whose first axis is the batch: class labels (shape {@code [b]}, whole numbers), one-hot or
 * probability rows ({@code [b, classes]}), or real values of any per-sample shape.
 *
 * @param x the inputs, shape {@code [b, ...sampleShape]}
 * @param targets the targets, shape {@code [b, ...targetShape]}
 */
public record Batch(Tensor x, Tensor targets) {

  public Batch {
    if (x == null || targets == null) {
      throw new IllegalArgumentException("Batch: x and targets must not be null");
    }
    if (x.rank() < 1 || targets.rank() < 1 || x.shape().dim(0) != targets.shape().dim(0)) {
      throw new IllegalArgumentException(
          "Batch: x of shape " + x.shape() + " does not match targets of shape "
              + targets.shape());
    }
  }

  /** A batch of class labels: the targets are the labels as a {@code [b]} tensor. */
  public Batch(Tensor x, int[] labels) {
    this(x, labelTensor(labels));
  }

  /** The labels as a {@code [b]} tensor of whole numbers. */
  public static Tensor labelTensor(int[] labels) {
    if (labels == null) {
      throw new IllegalArgumentException("Batch: labels must not be null");
    }
    float[] v = new float[labels.length];
    for (int i = 0; i < v.length; i++) {
      v[i] = labels[i];
    }
    return Tensor.of(v, labels.length);
  }

  /**
   * The class labels (a new array): the targets when they are whole numbers of shape {@code [b]}
   * or {@code [b, 1]}.
   *
   * @throws IllegalArgumentException when the targets are not class labels
   */
  public int[] y() {
    return labels(targets);
  }

  /** The class labels a targets tensor holds; see {@link #y()}. */
  public static int[] labels(Tensor targets) {
    boolean column = targets.rank() == 2 && targets.shape().dim(1) == 1;
    if (targets.rank() != 1 && !column) {
      throw new IllegalArgumentException(
          "targets of shape " + targets.shape() + " are not class labels ([batch] or [batch, 1])");
    }
    int[] y = new int[targets.shape().dim(0)];
    for (int i = 0; i < y.length; i++) {
      float v = targets.get(i);
      if (v != Math.rint(v) || v < 0 || v > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(
            "target " + v + " at index " + i + " is not a class label (a whole number >= 0)");
      }
      y[i] = (int) v;
    }
    return y;
  }

  /** The number of samples in this batch. */
  public int size() {
    return x.shape().dim(0);
  }
}

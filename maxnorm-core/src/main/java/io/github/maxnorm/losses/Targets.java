package io.github.maxnorm.losses;

import io.github.maxnorm.tensor.Tensor;

/**
 * How losses and metrics read targets: class labels ({@code [batch]}, or {@code [batch, 1]} when
 * the output has more than one column) or a tensor of the output's shape. Shared by the losses and
 * the metrics.
 */
public final class Targets {
  private Targets() {}

  /** Labels as a {@code [b]} tensor of whole numbers. */
  public static Tensor labelTensor(int[] labels) {
    if (labels == null) {
      throw new IllegalArgumentException("labels must not be null");
    }
    float[] v = new float[labels.length];
    for (int i = 0; i < v.length; i++) {
      v[i] = labels[i];
    }
    return Tensor.of(v, labels.length);
  }

  /** Whether {@code targets} are class labels for {@code output}. */
  public static boolean areLabels(Tensor output, Tensor targets) {
    if (targets.rank() == 1) {
      return true;
    }
    return targets.rank() == 2 && targets.shape().dim(1) == 1 && output.rank() == 2
        && output.shape().dim(1) > 1;
  }

  /**
   * The labels in {@code targets}, checked against an output {@code [batch, classes]} (a single
   * column takes labels 0 and 1).
   */
  public static int[] labels(String who, Tensor output, Tensor targets) {
    checkBatch(who, output, targets);
    if (output.rank() != 2) {
      throw new IllegalArgumentException(
          who + " expects output of shape [batch, classes] with class labels, received "
              + output.shape());
    }
    int classes = output.shape().dim(1);
    int limit = classes == 1 ? 2 : classes;
    int[] y = new int[targets.shape().dim(0)];
    for (int i = 0; i < y.length; i++) {
      float v = targets.get(i);
      if (v != Math.rint(v) || v < 0 || v >= limit) {
        throw new IllegalArgumentException(
            who + ": label " + (v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v))
                + " at index " + i + " is out of range [0, " + limit + ")");
      }
      y[i] = (int) v;
    }
    return y;
  }

  /**
   * The targets as a tensor of the output's shape: one-hot rows (or, for a single output column,
   * the 0/1 label itself) when they are labels, else the targets, which must have that shape.
   */
  public static Tensor dense(String who, Tensor output, Tensor targets) {
    if (!areLabels(output, targets) || output.rank() == 1) {
      checkBatch(who, output, targets);
      if (!targets.shape().equals(output.shape())) {
        throw new IllegalArgumentException(
            who + ": targets of shape " + targets.shape() + " do not match output of shape "
                + output.shape());
      }
      return targets;
    }
    return oneHot(labels(who, output, targets), output.shape().dim(1));
  }

  static void checkBatch(String who, Tensor output, Tensor targets) {
    if (output.rank() < 1 || targets.rank() < 1
        || targets.shape().dim(0) != output.shape().dim(0)) {
      throw new IllegalArgumentException(
          who + ": targets of shape " + targets.shape() + " for a batch of output shape "
              + output.shape());
    }
  }

  /** One-hot rows, or for a single output column the label itself as 0/1. */
  static Tensor oneHot(int[] labels, int classes) {
    float[] t = new float[labels.length * classes];
    for (int i = 0; i < labels.length; i++) {
      if (classes == 1) {
        t[i] = labels[i];
      } else {
        t[i * classes + labels[i]] = 1f;
      }
    }
    return Tensor.of(t, labels.length, classes);
  }
}

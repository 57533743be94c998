package io.github.maxnorm.losses;

import io.github.maxnorm.tensor.Tensor;

/** Conversions of integer labels into target tensors, with the checks every loss needs. */
final class Targets {
  private Targets() {}

  static void check(String loss, Tensor output, int[] labels) {
    if (output.rank() != 2) {
      throw new IllegalArgumentException(
          loss + " expects output of shape [batch, classes], received " + output.shape());
    }
    if (labels.length != output.shape().dim(0)) {
      throw new IllegalArgumentException(
          loss + ": " + labels.length + " labels for a batch of " + output.shape().dim(0));
    }
    int classes = output.shape().dim(1);
    int limit = classes == 1 ? 2 : classes;
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= limit) {
        throw new IllegalArgumentException(
            loss + ": label " + labels[i] + " at index " + i + " is out of range [0, " + limit
                + ")");
      }
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

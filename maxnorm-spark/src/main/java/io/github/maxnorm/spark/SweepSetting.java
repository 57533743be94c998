package io.github.maxnorm.spark;

import java.io.Serializable;

/**
 * One point of a hyperparameter sweep. What each value means is up to the {@link ModelFactory};
 * the usual reading is a max-norm bound on every kernel, dropout on the input and after each hidden
 * layer, an L2 penalty, and the SGD learning rate.
 *
 * @param label a name for the setting, unique within a sweep (no commas, quotes or line breaks,
 *     so that it fits a CSV cell)
 * @param maxNorm the max-norm bound {@code c}, or 0 for none
 * @param inputDropout the dropout rate on the input, or 0
 * @param dropout the dropout rate after each hidden layer, or 0
 * @param learningRate the learning rate
 * @param l2 the L2 coefficient on kernels, or 0
 * @param seed the seed of initialization, shuffling and dropout
 */
public record SweepSetting(String label, double maxNorm, double inputDropout, double dropout,
    double learningRate, double l2, long seed) implements Serializable {

  public SweepSetting {
    if (label == null || label.isBlank() || label.matches(".*[,\"\\r\\n].*")) {
      throw new IllegalArgumentException(
          "SweepSetting: the label must be non-blank without commas, quotes or line breaks,"
              + " received " + label);
    }
    if (!(maxNorm >= 0) || !(l2 >= 0) || !(learningRate > 0)) {
      throw new IllegalArgumentException("SweepSetting " + label + ": max-norm " + maxNorm
          + " and l2 " + l2 + " must be >= 0, the learning rate " + learningRate + " > 0");
    }
    if (!(inputDropout >= 0 && inputDropout < 1) || !(dropout >= 0 && dropout < 1)) {
      throw new IllegalArgumentException("SweepSetting " + label + ": dropout rates must be in"
          + " [0, 1), received " + inputDropout + " and " + dropout);
    }
  }
}

package io.github.maxnorm.model;

import io.github.maxnorm.data.Dataset;
import java.util.SplittableRandom;

/** Small synthetic data sets for model tests. */
final class TinyData {
  private TinyData() {}

  /**
   * {@code n} samples of {@code features} uniform values in [-1, 1); the label is the arg-max of
   * {@code classes} fixed random linear functions of the sample (a learnable rule).
   */
  static Dataset random(int n, int features, int classes, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[][] w = new float[classes][features];
    for (float[] row : w) {
      for (int j = 0; j < features; j++) {
        row[j] = (float) r.nextDouble(-1, 1);
      }
    }
    float[] x = new float[n * features];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < features; j++) {
        x[i * features + j] = (float) r.nextDouble(-1, 1);
      }
      double best = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < classes; c++) {
        double s = 0;
        for (int j = 0; j < features; j++) {
          s += w[c][j] * x[i * features + j];
        }
        if (s > best) {
          best = s;
          y[i] = c;
        }
      }
    }
    return Dataset.ofFloats(new int[] {features}, x, y, classes);
  }
}

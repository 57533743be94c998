package io.github.maxnorm.model;

import io.github.maxnorm.data.Dataset;
import java.util.SplittableRandom;

/** Small synthetic data sets for model tests. */
final class TinyData {
  private TinyData() {}

  /** {@code n} samples of {@code features} uniform values; labels a noisy linear rule. */
  static Dataset random(int n, int features, int classes, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] x = new float[n * features];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      double s = 0;
      for (int j = 0; j < features; j++) {
        float v = (float) r.nextDouble(-1, 1);
        x[i * features + j] = v;
        s += v * (j + 1);
      }
      y[i] = Math.floorMod((int) Math.floor(s * classes), classes);
    }
    return Dataset.ofFloats(new int[] {features}, x, y, classes);
  }
}

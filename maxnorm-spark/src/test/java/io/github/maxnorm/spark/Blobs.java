package io.github.maxnorm.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Synthetic classification data for the tests: Gaussian clusters, one centre per class. */
final class Blobs {
  private Blobs() {}

  /** {@code n} samples of {@code features} values; class {@code i % classes} for sample i. */
  static List<LabeledSample> samples(int n, int features, int classes, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[][] centre = new float[classes][features];
    for (float[] c : centre) {
      for (int j = 0; j < features; j++) {
        c[j] = (float) (r.nextDouble() * 4 - 2);
      }
    }
    List<LabeledSample> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int label = i % classes;
      float[] x = new float[features];
      for (int j = 0; j < features; j++) {
        x[j] = centre[label][j] + (float) gaussian(r);
      }
      out.add(new LabeledSample(x, label));
    }
    return out;
  }

  private static double gaussian(SplittableRandom r) {
    double u = 1 - r.nextDouble();
    double v = r.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}

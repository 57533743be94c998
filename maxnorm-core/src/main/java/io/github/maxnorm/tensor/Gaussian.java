package io.github.maxnorm.tensor;

import java.util.SplittableRandom;

/** Standard normal samples from a {@link SplittableRandom}, by the Box-Muller transform. */
public final class Gaussian {
  private Gaussian() {}

  public static double next(SplittableRandom rng) {
    double u1;
    do {
      u1 = rng.nextDouble();
    } while (u1 <= 0.0);
    double u2 = rng.nextDouble();
    return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
  }
}

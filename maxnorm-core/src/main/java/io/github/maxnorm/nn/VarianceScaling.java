package io.github.maxnorm.nn;

import io.github.maxnorm.tensor.Gaussian;
import io.github.maxnorm.tensor.Shape;
import io.github.maxnorm.tensor.Tensor;
import java.util.SplittableRandom;

/**
 * Samples with variance {@code scale / fan}: the Glorot, He and LeCun initializers. The normal
 * variant draws from a normal truncated at two standard deviations (rejected samples redrawn)
 * whose standard deviation is {@code sqrt(scale / fan) / 0.87962566103423978}, the factor that makes
 * the truncated distribution's variance {@code scale / fan}; the uniform variant draws from
 * {@code [-limit, limit)} with {@code limit = sqrt(3 * scale / fan)}.
 */
final class VarianceScaling implements Initializer {
  /** The standard deviation of a unit normal truncated to {@code [-2, 2]}. */
  static final double TRUNCATED_STDDEV = 0.87962566103423978;

  private final String className;
  private final Initializers.VarianceScalingConfig cfg;

  VarianceScaling(String className, Initializers.VarianceScalingConfig cfg) {
    this.className = className;
    this.cfg = cfg;
  }

  Config config() {
    return className.equals("VarianceScaling") ? cfg.toConfig() : Config.of(className);
  }

  /** Keras's fan-in and fan-out of a shape. */
  static double[] fans(Shape shape) {
    int r = shape.rank();
    if (r == 0) {
      return new double[] {1, 1};
    }
    if (r == 1) {
      return new double[] {shape.dim(0), shape.dim(0)};
    }
    double receptive = shape.sizeBetween(0, r - 2);
    return new double[] {receptive * shape.dim(r - 2), receptive * shape.dim(r - 1)};
  }

  @Override
  public Tensor initialize(Shape shape, SplittableRandom rng) {
    double[] f = fans(shape);
    double fan =
        switch (cfg.mode()) {
          case "fan_in" -> f[0];
          case "fan_out" -> f[1];
          default -> (f[0] + f[1]) / 2.0;
        };
    double variance = cfg.scale() / Math.max(1.0, fan);
    float[] d = new float[shape.size()];
    if (cfg.distribution().equals("uniform")) {
      double limit = Math.sqrt(3.0 * variance);
      for (int i = 0; i < d.length; i++) {
        d[i] = (float) (limit * (2.0 * rng.nextDouble() - 1.0));
      }
    } else if (cfg.distribution().equals("untruncated_normal")) {
      double std = Math.sqrt(variance);
      for (int i = 0; i < d.length; i++) {
        d[i] = (float) (std * Gaussian.next(rng));
      }
    } else {
      double std = Math.sqrt(variance) / TRUNCATED_STDDEV;
      for (int i = 0; i < d.length; i++) {
        double z;
        do {
          z = Gaussian.next(rng);
        } while (z < -2.0 || z > 2.0);
        d[i] = (float) (std * z);
      }
    }
    return Tensor.of(d, shape);
  }

  @Override
  public String toString() {
    return className;
  }
}

package io.github.maxnorm.nn;

import io.github.maxnorm.tensor.Shape;
import io.github.maxnorm.tensor.Tensor;

/**
 * Negative weights set to zero. Every weight is a slice; NaN weights stay NaN and are counted as
 * non-finite (as are infinities; {@code -Infinity} becomes 0).
 */
final class NonNeg implements BuiltinConstraint {
  static final NonNeg INSTANCE = new NonNeg();

  private NonNeg() {}

  static ConstraintActivity applyInPlace(float[] data) {
    int projected = 0;
    int nonFinite = 0;
    double max = 0.0;
    for (int i = 0; i < data.length; i++) {
      float x = data[i];
      if (!Float.isFinite(x)) {
        nonFinite++;
      } else {
        max = Math.max(max, Math.abs((double) x));
      }
      if (x < 0f) {
        data[i] = 0f;
        projected++;
      }
    }
    return new ConstraintActivity(data.length, projected, nonFinite, max);
  }

  @Override
  public Tensor apply(Tensor w) {
    if (w == null) {
      throw new IllegalArgumentException("NonNeg: tensor must not be null");
    }
    float[] d = w.toArray();
    applyInPlace(d);
    return Tensor.of(d, w.shape());
  }

  @Override
  public Bound bind(String path, Shape shape, int[] unitAxes) {
    return NonNeg::applyInPlace;
  }

  @Override
  public Config config() {
    return Config.of("NonNeg");
  }

  @Override
  public String toString() {
    return "NonNeg";
  }
}

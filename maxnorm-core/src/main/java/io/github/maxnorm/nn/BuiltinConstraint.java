package io.github.maxnorm.nn;

import io.github.maxnorm.kernel.Parallel;
import io.github.maxnorm.tensor.Shape;

/** A constraint made by {@link Constraints}: it has a config and applies in place once bound. */
interface BuiltinConstraint extends Constraint {
  /** This constraint's configuration (Keras form). */
  Config config();

  /**
   * Resolves the constraint for a parameter, validating its axes.
   *
   * @param path the parameter's path for messages, e.g. {@code dense_1/kernel}
   * @param unitAxes the parameter's unit axes, used when no axis was given
   * @throws IllegalArgumentException naming the path, the constraint, the shape and the bad axis
   */
  Bound bind(String path, Shape shape, int[] unitAxes);

  /** A constraint resolved for one parameter; owns its scratch space, so not thread-safe. */
  interface Bound {
    ConstraintActivity applyInPlace(float[] data);

    /**
     * Runs an optimizer's elementwise {@code update} over all of {@code data}, then {@link
     * #applyInPlace}; an implementation may interleave the two where the result is the same.
     */
    default ConstraintActivity updateThenApply(float[] data, Parallel.RangeBody update) {
      Parallel.forRange(data.length, 1, update);
      return applyInPlace(data);
    }
  }

  /** The unit axes assumed by {@link Constraint#apply} when none were given. */
  static int[] defaultUnitAxes(Shape shape) {
    int r = shape.rank();
    int n = r >= 2 ? r - 1 : r;
    int[] a = new int[n];
    for (int i = 0; i < n; i++) {
      a[i] = i;
    }
    return a;
  }
}

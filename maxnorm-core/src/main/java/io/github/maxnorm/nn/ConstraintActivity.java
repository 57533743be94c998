package io.github.maxnorm.nn;

/**
 * What one application of a constraint to a parameter did, for monitoring how often the
 * projection is active during training.
 *
 * <p>For the norm constraints a slice is one group of weights whose norm is constrained (one per
 * output unit by default); for {@code NonNeg} every weight is its own slice; a user function counts
 * the whole tensor as one slice.
 *
 * @param slices the number of slices looked at
 * @param projected how many of them the constraint changed
 * @param nonFinite how many had a NaN or infinite norm
 * @param maxNormBefore the largest finite slice norm before the constraint was applied (0 when
 *     there is none; for a user function the norm of the whole tensor, possibly non-finite)
 */
public record ConstraintActivity(int slices, int projected, int nonFinite, double maxNormBefore) {
  /** The activity of a parameter without a constraint. */
  public static final ConstraintActivity NONE = new ConstraintActivity(0, 0, 0, 0.0);

  public ConstraintActivity {
    if (slices < 0 || projected < 0 || nonFinite < 0 || projected > slices || nonFinite > slices) {
      throw new IllegalArgumentException(
          "ConstraintActivity: counts must be in [0, slices], received slices=" + slices
              + ", projected=" + projected + ", nonFinite=" + nonFinite);
    }
  }

  /** The fraction of slices changed, 0 when there are none. */
  public double projectedFraction() {
    return slices == 0 ? 0.0 : (double) projected / slices;
  }

  /**
   * The activity of two parameters together: counts added, the larger maximum norm (NaN wins, so a
   * non-finite user-function norm is not hidden).
   */
  public ConstraintActivity plus(ConstraintActivity other) {
    double m =
        Double.isNaN(maxNormBefore) || Double.isNaN(other.maxNormBefore)
            ? Double.NaN
            : Math.max(maxNormBefore, other.maxNormBefore);
    return new ConstraintActivity(
        slices + other.slices, projected + other.projected, nonFinite + other.nonFinite, m);
  }
}

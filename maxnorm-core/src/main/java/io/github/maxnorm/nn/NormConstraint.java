package io.github.maxnorm.nn;

/**
 * A constraint on the L2 norms of a tensor's slices ({@code MaxNorm}, {@code MinMaxNorm},
 * {@code UnitNorm}), made by {@link Constraints}. See {@code docs/constraints.md} for the
 * semantics.
 */
public interface NormConstraint extends Constraint {
  /** The reduced axes (Keras's {@code axis}). */
  ReducedAxes axis();

  /** Whether Keras's formula {@code w * desired / (1e-7 + n)} is used instead of exact projection. */
  boolean usesKerasFormula();

  /** The same constraint using Keras's formula for every slice. */
  NormConstraint kerasFormula();

  /** The same constraint reducing exactly the given axes (none: the whole tensor). */
  NormConstraint withAxis(int... axes);

  /** This constraint's configuration (Keras form). */
  Config config();
}

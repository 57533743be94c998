package io.github.maxnorm.nn;

import io.github.maxnorm.tensor.Tensor;

/**
 * A weight constraint: a map from a parameter's value to the value it is replaced with after every
 * optimizer update (projected gradient descent). Any function of one tensor that keeps its shape is
 * a constraint; the built-ins are made by {@link Constraints}.
 */
@FunctionalInterface
public interface Constraint {
  /** The constrained value of {@code w}; same shape. */
  Tensor apply(Tensor w);
}

package io.github.maxnorm.nn;

import io.github.maxnorm.tensor.Tensor;

/** A penalty on a parameter's value, added to the training loss. Built-ins: {@link Regularizers}. */
@FunctionalInterface
public interface Regularizer {
  /** The penalty (a one-element tensor) for {@code w}, differentiable through the tensor ops. */
  Tensor penalty(Tensor w);
}

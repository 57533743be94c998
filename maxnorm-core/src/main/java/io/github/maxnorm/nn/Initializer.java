package io.github.maxnorm.nn;

import io.github.maxnorm.tensor.Shape;
import io.github.maxnorm.tensor.Tensor;
import java.util.SplittableRandom;

/** Makes a parameter's initial value. The built-ins are made by {@link Initializers}. */
@FunctionalInterface
public interface Initializer {
  /**
   * An initial value of the given shape. Fan-in and fan-out follow Keras: for rank 2 {@code (in,
   * out)}; for higher ranks the receptive field (all axes but the last two) times the last two.
   */
  Tensor initialize(Shape shape, SplittableRandom rng);
}

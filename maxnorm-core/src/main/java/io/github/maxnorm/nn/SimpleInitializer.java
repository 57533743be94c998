package io.github.maxnorm.nn;

import io.github.maxnorm.tensor.Shape;
import io.github.maxnorm.tensor.Tensor;
import java.util.SplittableRandom;
import java.util.function.BiFunction;

/** An initializer defined by a sampling function and described by a config. */
final class SimpleInitializer implements Initializer {
  private final Config config;
  private final BiFunction<Shape, SplittableRandom, Tensor> fn;

  SimpleInitializer(Config config, BiFunction<Shape, SplittableRandom, Tensor> fn) {
    this.config = config;
    this.fn = fn;
  }

  Config config() {
    return config;
  }

  @Override
  public Tensor initialize(Shape shape, SplittableRandom rng) {
    if (shape == null) {
      throw new IllegalArgumentException(config.className() + ": shape must not be null");
    }
    return fn.apply(shape, rng);
  }

  @Override
  public String toString() {
    return config.className() + config.config();
  }
}

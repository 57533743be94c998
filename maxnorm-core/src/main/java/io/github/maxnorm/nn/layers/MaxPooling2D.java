package io.github.maxnorm.nn.layers;

/** 2-D max pooling; see {@link Pooling}. */
public final class MaxPooling2D extends Pooling<MaxPooling2D> {
  /** @param poolSize {@code (poolH, poolW)}, by default (2, 2) */
  public MaxPooling2D(int... poolSize) {
    super("MaxPooling2D", 2, true, poolSize);
  }
}

package io.github.maxnorm.nn.layers;

/** 2-D average pooling; see {@link Pooling}. */
public final class AveragePooling2D extends Pooling<AveragePooling2D> {
  /** @param poolSize {@code (poolH, poolW)}, by default (2, 2) */
  public AveragePooling2D(int... poolSize) {
    super("AveragePooling2D", 2, false, poolSize);
  }
}

package io.github.maxnorm.nn.layers;

/** 1-D average pooling; see {@link Pooling}. */
public final class AveragePooling1D extends Pooling<AveragePooling1D> {
  /** @param poolSize the window in steps, by default 2 */
  public AveragePooling1D(int... poolSize) {
    super("AveragePooling1D", 1, false, poolSize);
  }
}

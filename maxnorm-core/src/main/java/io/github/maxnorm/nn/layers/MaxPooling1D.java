package io.github.maxnorm.nn.layers;

/** 1-D max pooling; see {@link Pooling}. */
public final class MaxPooling1D extends Pooling<MaxPooling1D> {
  /** @param poolSize the window in steps, by default 2 */
  public MaxPooling1D(int... poolSize) {
    super("MaxPooling1D", 1, true, poolSize);
  }
}

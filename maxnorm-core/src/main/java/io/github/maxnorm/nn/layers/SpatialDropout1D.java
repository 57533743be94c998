package io.github.maxnorm.nn.layers;

/** Drops whole channels of a sequence; see {@link SpatialDropout}. */
public final class SpatialDropout1D extends SpatialDropout<SpatialDropout1D> {
  public SpatialDropout1D(double rate) {
    super(1, rate);
  }
}

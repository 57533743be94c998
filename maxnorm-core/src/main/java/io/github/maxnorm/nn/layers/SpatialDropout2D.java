package io.github.maxnorm.nn.layers;

/** Drops whole feature maps of an image; see {@link SpatialDropout}. */
public final class SpatialDropout2D extends SpatialDropout<SpatialDropout2D> {
  public SpatialDropout2D(double rate) {
    super(2, rate);
  }
}

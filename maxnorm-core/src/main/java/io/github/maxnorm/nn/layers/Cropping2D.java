package io.github.maxnorm.nn.layers;

/** Cuts rows and columns off the border of an image; see {@link Border2D}. */
public final class Cropping2D extends Border2D<Cropping2D> {
  public Cropping2D(int... cropping) {
    super("Cropping2D", false, cropping);
  }
}

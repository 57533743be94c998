package io.github.maxnorm.nn.layers;

/** Adds rows and columns of zeros around an image; see {@link Border2D}. */
public final class ZeroPadding2D extends Border2D<ZeroPadding2D> {
  public ZeroPadding2D(int... padding) {
    super("ZeroPadding2D", true, padding);
  }
}

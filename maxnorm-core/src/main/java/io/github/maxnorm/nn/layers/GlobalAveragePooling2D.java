package io.github.maxnorm.nn.layers;

/** The mean over all positions of a 2-D input, per channel; see {@link GlobalPooling}. */
public final class GlobalAveragePooling2D extends GlobalPooling<GlobalAveragePooling2D> {
  public GlobalAveragePooling2D() {
    super("GlobalAveragePooling2D", 2, false);
  }
}

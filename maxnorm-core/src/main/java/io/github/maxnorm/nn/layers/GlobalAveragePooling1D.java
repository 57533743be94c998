package io.github.maxnorm.nn.layers;

/** The mean over all positions of a 1-D input, per channel; see {@link GlobalPooling}. */
public final class GlobalAveragePooling1D extends GlobalPooling<GlobalAveragePooling1D> {
  public GlobalAveragePooling1D() {
    super("GlobalAveragePooling1D", 1, false);
  }
}

package io.github.maxnorm.nn.layers;

/** The maximum over all positions of a 1-D input, per channel; see {@link GlobalPooling}. */
public final class GlobalMaxPooling1D extends GlobalPooling<GlobalMaxPooling1D> {
  public GlobalMaxPooling1D() {
    super("GlobalMaxPooling1D", 1, true);
  }
}

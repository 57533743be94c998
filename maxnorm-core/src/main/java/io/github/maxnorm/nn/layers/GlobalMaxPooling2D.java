package io.github.maxnorm.nn.layers;

/** The maximum over all positions of a 2-D input, per channel; see {@link GlobalPooling}. */
public final class GlobalMaxPooling2D extends GlobalPooling<GlobalMaxPooling2D> {
  public GlobalMaxPooling2D() {
    super("GlobalMaxPooling2D", 2, true);
  }
}

package io.github.maxnorm.nn.layers;

/** The elementwise maximum of its inputs; see {@link Merge}. */
public final class Maximum extends Merge<Maximum> {
  public Maximum() {
    super("Maximum", Kind.MAXIMUM);
  }
}

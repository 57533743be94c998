package io.github.maxnorm.nn.layers;

/** The elementwise minimum of its inputs; see {@link Merge}. */
public final class Minimum extends Merge<Minimum> {
  public Minimum() {
    super("Minimum", Kind.MINIMUM);
  }
}

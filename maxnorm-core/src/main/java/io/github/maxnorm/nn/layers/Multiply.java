package io.github.maxnorm.nn.layers;

/** The elementwise product of its inputs; see {@link Merge}. */
public final class Multiply extends Merge<Multiply> {
  public Multiply() {
    super("Multiply", Kind.MULTIPLY);
  }
}

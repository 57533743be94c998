package io.github.maxnorm.nn.layers;

/** The elementwise difference of two inputs of its inputs; see {@link Merge}. */
public final class Subtract extends Merge<Subtract> {
  public Subtract() {
    super("Subtract", Kind.SUBTRACT);
  }
}

package io.github.maxnorm.nn.layers;

/** The elementwise mean of its inputs; see {@link Merge}. */
public final class Average extends Merge<Average> {
  public Average() {
    super("Average", Kind.AVERAGE);
  }
}

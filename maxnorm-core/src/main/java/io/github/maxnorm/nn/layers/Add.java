package io.github.maxnorm.nn.layers;

/** The elementwise sum of its inputs; see {@link Merge}. */
public final class Add extends Merge<Add> {
  public Add() {
    super("Add", Kind.ADD);
  }
}

package io.github.maxnorm.tensor;

import io.github.maxnorm.kernel.Parallel;

/**
 * Loops for the elementwise unary ops. Large arrays are split into contiguous chunks across the
 * kernel threads; every element is computed independently, so results do not depend on the split.
 */
final class Elementwise {
  private Elementwise() {}

  /** Runs {@code body} over {@code [0, n)}, in parallel chunks for large {@code n}. */
  static void forRange(int n, Parallel.RangeBody body) {
    Parallel.forRange(n, 1, body);
  }
}

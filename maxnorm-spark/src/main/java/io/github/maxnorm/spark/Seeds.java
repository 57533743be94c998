package io.github.maxnorm.spark;

import java.util.SplittableRandom;

/** Seeds derived from a base seed and indices, so that every random choice is a pure function. */
final class Seeds {
  private static final long GOLDEN = 0x9E3779B97F4A7C15L;

  private Seeds() {}

  /** A seed for item {@code index} of the stream {@code seed}; distinct indices give unrelated seeds. */
  static long derive(long seed, long index) {
    return new SplittableRandom(seed ^ Long.rotateLeft((index + 1) * GOLDEN, 29)).nextLong();
  }
}

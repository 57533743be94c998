package io.github.maxnorm.bench;

/** Parsing of benchmark size parameters such as {@code "128x784x1024"}. */
final class Shapes {
  private Shapes() {}

  /** The integers of an {@code x}-separated list. */
  static int[] parse(String spec) {
    String[] parts = spec.split("x");
    int[] v = new int[parts.length];
    for (int i = 0; i < parts.length; i++) {
      v[i] = Integer.parseInt(parts[i].trim());
    }
    return v;
  }

  /** Uniform values in [-1, 1) from a fixed seed. */
  static float[] random(int n, long seed) {
    java.util.SplittableRandom rng = new java.util.SplittableRandom(seed);
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) (rng.nextDouble() * 2 - 1);
    }
    return a;
  }
}

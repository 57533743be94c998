package io.github.maxnorm.model;

import io.github.maxnorm.tensor.Tensor;

/** Float values as their bit patterns, for bit-for-bit comparisons in tests. */
final class Bits {
  private Bits() {}

  static int[] of(Tensor t) {
    float[] v = t.toArray();
    int[] r = new int[v.length];
    for (int i = 0; i < v.length; i++) {
      r[i] = Float.floatToRawIntBits(v[i]);
    }
    return r;
  }
}

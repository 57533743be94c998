package io.github.maxnorm.tensor;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Inverted dropout: multiplies by a random mask whose elements are {@code 1 / (1 - rate)} with
 * probability {@code 1 - rate} and 0 otherwise, so the expected value is unchanged. The backward
 * pass multiplies by the same mask.
 *
 * <p>Two sources of the mask: a generator, one {@code nextDouble()} draw per element in row-major
 * order; or a seed, where element {@code i} uses the {@code i}-th draw of {@code new
 * SplittableRandom(seed)}, computed directly from {@code (seed, i)}. The seeded form gives the same
 * mask as the generator form with that generator, but any element can be computed on its own, so
 * the mask and the output are produced in one parallel pass. The mask is kept for the backward
 * pass.
 */
final class Dropout implements Op {
  /** {@code SplittableRandom}'s default gamma: the seed advances by it before each draw. */
  private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

  private final Tensor a;
  private final float[] mask;

  private Dropout(Tensor a, float[] mask) {
    this.a = a;
    this.mask = mask;
  }

  private static void checkRate(Tensor a, float rate) {
    if (!(rate >= 0f && rate < 1f)) {
      throw new IllegalArgumentException(
          "dropout: rate must be in [0, 1), received " + rate + " for shape " + a.shape);
    }
  }

  static Tensor apply(Tensor a, float rate, SplittableRandom rng) {
    checkRate(a, rate);
    if (rng == null) {
      throw new IllegalArgumentException("dropout: rng must not be null");
    }
    if (rate == 0f) {
      return a;
    }
    float scale = 1f / (1f - rate);
    long threshold = threshold(rate);
    int scaleBits = Float.floatToRawIntBits(scale);
    float[] x = a.data;
    float[] m = new float[x.length];
    for (int i = 0; i < m.length; i++) {
      // nextDouble() is (nextLong() >>> 11) * 2^-53; see threshold
      m[i] = maskValue(rng.nextLong(), threshold, scaleBits);
    }
    float[] o = new float[x.length];
    Elementwise.forRange(
        o.length,
        (from, to) -> {
          for (int i = from; i < to; i++) {
            o[i] = x[i] * m[i];
          }
        });
    return Tensor.result(o, a.shape, new Dropout(a, m));
  }

  static Tensor apply(Tensor a, float rate, long seed) {
    checkRate(a, rate);
    if (rate == 0f) {
      return a;
    }
    long threshold = threshold(rate);
    int scaleBits = Float.floatToRawIntBits(1f / (1f - rate));
    float[] x = a.data;
    float[] m = Workspace.uninitialized(x.length);
    float[] o = Workspace.uninitialized(x.length);
    Elementwise.forRange(
        o.length,
        (from, to) -> {
          long z = seed + (long) from * GOLDEN_GAMMA;
          for (int i = from; i < to; i++) {
            z += GOLDEN_GAMMA;
            float mi = maskValue(mix64(z), threshold, scaleBits);
            m[i] = mi;
            o[i] = x[i] * mi;
          }
        });
    return Tensor.result(o, a.shape, new Dropout(a, m));
  }

  /**
   * The integer form of {@code nextDouble() < rate}: a draw {@code u * 2^-53} is below {@code rate}
   * exactly when the integer {@code u} is below {@code ceil(rate * 2^53)} (the product is exact).
   */
  static long threshold(float rate) {
    return (long) Math.ceil((double) rate * 0x1.0p53);
  }

  /** SplittableRandom's output function (Stafford's variant 13 of the MurmurHash3 finalizer). */
  private static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  /**
   * The mask element for one 64-bit draw, without a branch (keep and drop are equally likely at
   * rate 0.5, which a branch would mispredict half the time): the scale when {@code draw >>> 11}
   * is at least {@code threshold}, else 0. Both are below 2^53, so their difference is negative
   * exactly when the element is dropped, and its sign bit spread over an int is the mask.
   */
  private static float maskValue(long draw, long threshold, int scaleBits) {
    int keep = (int) ~(((draw >>> 11) - threshold) >> 63);
    return Float.intBitsToFloat(scaleBits & keep);
  }

  @Override
  public String name() {
    return "dropout";
  }

  @Override
  public List<Tensor> inputs() {
    return List.of(a);
  }

  @Override
  public void backward(Tensor out, float[] g, GradSink sink) {
    float[] ga = Workspace.uninitialized(g.length);
    Elementwise.forRange(
        ga.length,
        (from, to) -> {
          for (int i = from; i < to; i++) {
            ga[i] = g[i] * mask[i];
          }
        });
    sink.accumulate(0, ga);
  }
}

package io.github.maxnorm.tensor;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Inverted dropout: multiplies by a random mask whose elements are {@code 1 / (1 - rate)} with
 * probability {@code 1 - rate} and 0 otherwise, so the expected value is unchanged. The mask is
 * drawn from the given generator, one draw per element in row-major order; the backward pass
 * multiplies by the same mask.
 */
final class Dropout implements Op {
  private final Tensor a;
  private final float[] mask;

  private Dropout(Tensor a, float[] mask) {
    this.a = a;
    this.mask = mask;
  }

  static Tensor apply(Tensor a, float rate, SplittableRandom rng) {
    if (!(rate >= 0f && rate < 1f)) {
      throw new IllegalArgumentException(
          "dropout: rate must be in [0, 1), received " + rate + " for shape " + a.shape);
    }
    if (rng == null) {
      throw new IllegalArgumentException("dropout: rng must not be null");
    }
    if (rate == 0f) {
      return a;
    }
    float scale = 1f / (1f - rate);
    float[] x = a.data;
    float[] m = new float[x.length];
    for (int i = 0; i < m.length; i++) {
      m[i] = rng.nextDouble() < rate ? 0f : scale;
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
    float[] ga = new float[g.length];
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

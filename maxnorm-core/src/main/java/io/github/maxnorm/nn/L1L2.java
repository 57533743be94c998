package io.github.maxnorm.nn;

import io.github.maxnorm.tensor.Tensor;

/**
 * The penalty {@code l1 * sum|w| + l2 * sum(w^2)}, built from tensor ops so it is differentiable.
 * The absolute value is {@code w * sign(w)} with {@code sign(w)} a constant tensor of the signs of
 * the current values (0 at 0, and for NaN): its gradient is {@code sign(w)}, the usual subgradient of
 * {@code |w|} with 0 chosen at 0.
 */
final class L1L2 implements Regularizer {
  private final String className;
  private final Regularizers.L1L2Config cfg;

  L1L2(String className, Regularizers.L1L2Config cfg) {
    this.className = className;
    this.cfg = cfg;
  }

  Config config() {
    return cfg.toConfig(className);
  }

  @Override
  public Tensor penalty(Tensor w) {
    if (w == null) {
      throw new IllegalArgumentException(className + ": tensor must not be null");
    }
    Tensor l1Term = null;
    if (cfg.l1() != 0.0) {
      float[] sign = new float[w.size()];
      for (int i = 0; i < sign.length; i++) {
        float x = w.get(i);
        sign[i] = x > 0f ? 1f : x < 0f ? -1f : 0f;
      }
      l1Term = w.mul(Tensor.of(sign, w.shape())).sum().mul(Tensor.scalar((float) cfg.l1()));
    }
    if (cfg.l2() == 0.0 && l1Term != null) {
      return l1Term;
    }
    Tensor l2Term = w.mul(w).sum().mul(Tensor.scalar((float) cfg.l2()));
    return l1Term == null ? l2Term : l1Term.add(l2Term);
  }

  @Override
  public String toString() {
    return className + config().config();
  }
}

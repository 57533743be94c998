package io.github.maxnorm.nn.layers;

import io.github.maxnorm.tensor.Tensor;

/** {@code x > 0 ? x : alpha (e^x - 1)}. */
public final class ELU extends ScalarActivation<ELU> {
  public ELU(double alpha) {
    super("ELU", "alpha", alpha);
  }

  @Override
  Tensor apply(Tensor x, float alpha) {
    return x.elu(alpha);
  }
}

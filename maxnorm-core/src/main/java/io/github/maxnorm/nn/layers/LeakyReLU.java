package io.github.maxnorm.nn.layers;

import io.github.maxnorm.tensor.Tensor;

/** {@code x > 0 ? x : alpha x} (Keras 3 calls alpha {@code negative_slope}; default 0.3). */
public final class LeakyReLU extends ScalarActivation<LeakyReLU> {
  public LeakyReLU(double alpha) {
    super("LeakyReLU", "alpha", alpha);
  }

  @Override
  Tensor apply(Tensor x, float alpha) {
    return x.relu(Float.NaN, alpha, 0f);
  }
}

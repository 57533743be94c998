package io.github.maxnorm.nn.layers;

import io.github.maxnorm.tensor.Tensor;

/** {@code x > theta ? x : 0} (default theta 1). */
public final class ThresholdedReLU extends ScalarActivation<ThresholdedReLU> {
  public ThresholdedReLU(double theta) {
    super("ThresholdedReLU", "theta", theta);
  }

  @Override
  Tensor apply(Tensor x, float theta) {
    return x.thresholdedRelu(theta);
  }
}

package io.github.maxnorm.nn.layers;

/** Multiplies by Gaussian noise of mean 1 and variance {@code rate / (1 - rate)} in training. */
public final class GaussianDropout extends Noise<GaussianDropout> {
  public GaussianDropout(double rate) {
    super("GaussianDropout", true, rate);
  }
}

package io.github.maxnorm.nn.layers;

/** Adds zero-mean Gaussian noise of standard deviation {@code stddev} in training. */
public final class GaussianNoise extends Noise<GaussianNoise> {
  public GaussianNoise(double stddev) {
    super("GaussianNoise", false, stddev);
  }
}

package io.github.maxnorm.nn.layers;

import io.github.maxnorm.nn.Config;

/**
 * A 1-D convolution over sequences {@code (steps, channels)} ({@code channels_last}) or {@code
 * (channels, steps)}. The kernel is {@code (k, in / groups, filters)}; a constraint's default axes
 * ({@code [0, 1]}) give one slice per filter. Padding {@code causal} pads only before the sequence,
 * so output step {@code t} sees inputs up to {@code t}.
 */
public final class Conv1D extends StandardConv<Conv1D> {
  public Conv1D(int filters, int kernelSize) {
    super("Conv1D", 1, filters, new int[] {kernelSize});
  }

  static Conv1D fromConfig(Config config) {
    LayerConfig c = new LayerConfig(config);
    int[] k = c.ints("kernel_size", 1, null);
    return read(c, new Conv1D(c.integer("filters"), k[0]));
  }
}

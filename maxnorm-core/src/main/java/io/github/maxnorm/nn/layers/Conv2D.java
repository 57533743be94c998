package io.github.maxnorm.nn.layers;

import io.github.maxnorm.nn.Config;

/**
 * A 2-D convolution. The kernel is {@code (kh, kw, in / groups, filters)} as Keras stores it,
 * whatever the data format, so a constraint's default axes ({@code [0, 1, 2]}) give one slice per
 * filter. Inputs are {@code (h, w, c)} per sample ({@code channels_last}, the default) or {@code
 * (c, h, w)} ({@code channels_first}).
 *
 * <pre>{@code
 * new Conv2D(32, 3, 3).inputShape(32, 32, 3).padding("same").activation("relu")
 *     .kernelConstraint(Constraints.maxNorm(3))
 * }</pre>
 */
public final class Conv2D extends StandardConv<Conv2D> {
  public Conv2D(int filters, int kernelH, int kernelW) {
    super("Conv2D", 2, filters, new int[] {kernelH, kernelW});
  }

  public Conv2D(int filters, int kernelSize) {
    this(filters, kernelSize, kernelSize);
  }

  static Conv2D fromConfig(Config config) {
    LayerConfig c = new LayerConfig(config);
    int[] k = c.ints("kernel_size", 2, null);
    return read(c, new Conv2D(c.integer("filters"), k[0], k[1]));
  }
}

package io.github.maxnorm.nn.layers;

import io.github.maxnorm.nn.Config;
import io.github.maxnorm.tensor.Tensor;
import java.util.Map;

/**
 * A transposed 2-D convolution (the gradient of a convolution with respect to its input), which
 * upsamples: with {@code 'same'} padding the output is {@code stride} times the input, with {@code
 * 'valid'} {@code (in - 1) * stride + (k - 1) * dilation + 1}. The kernel is {@code (kh, kw,
 * filters, in)} as Keras stores it, so a constraint's default axes ({@code [0, 1, 3]}) give one
 * slice per filter. Keras's {@code output_padding} is not supported.
 */
public final class Conv2DTranspose extends ConvLayer<Conv2DTranspose> {
  private final int filters;

  public Conv2DTranspose(int filters, int kernelH, int kernelW) {
    super("Conv2DTranspose", "kernel", 2, new int[] {kernelH, kernelW});
    this.filters = filters(className(), filters);
  }

  public Conv2DTranspose(int filters, int kernelSize) {
    this(filters, kernelSize, kernelSize);
  }

  @Override
  boolean causalAllowed() {
    return false;
  }

  @Override
  int outChannels(int inChannels) {
    return filters;
  }

  @Override
  int outSize(int in, int k, int stride, int dil) {
    return padding.equals("same") ? in * stride : (in - 1) * stride + (k - 1) * dil + 1;
  }

  @Override
  void createWeights(int inChannels, WeightSink sink) {
    declareKernelAndBias(sink, kernelShape(filters, inChannels), filters, new int[] {0, 1, 3});
  }

  @Override
  Tensor convolve(Tensor nhwc) {
    return nhwc.conv2dTranspose(value(kernelWeight), strides, mode(), dilation);
  }

  @Override
  protected void writeConfig(Map<String, Object> m) {
    m.put("filters", filters);
    writeConvConfig(m, null);
    m.put("output_padding", null);
  }

  static Conv2DTranspose fromConfig(Config config) {
    LayerConfig c = new LayerConfig(config);
    c.requireNull("output_padding", "is not supported");
    int[] k = c.ints("kernel_size", 2, null);
    return c.finish(new Conv2DTranspose(c.integer("filters"), k[0], k[1]).readConvConfig(c));
  }
}

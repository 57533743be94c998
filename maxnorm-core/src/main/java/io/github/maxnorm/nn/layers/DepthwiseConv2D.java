package io.github.maxnorm.nn.layers;

import io.github.maxnorm.nn.Config;
import io.github.maxnorm.nn.Constraint;
import io.github.maxnorm.tensor.Tensor;
import java.util.Map;

/**
 * A depthwise 2-D convolution: each input channel is convolved with its own {@code
 * depth_multiplier} filters, giving {@code in * depth_multiplier} outputs (output {@code c * M +
 * m} from input channel {@code c}). The kernel is {@code depthwise_kernel (kh, kw, in, M)}; a
 * constraint's default axes ({@code [0, 1]}) give one slice per output channel, the window of one
 * input channel.
 */
public final class DepthwiseConv2D extends ConvLayer<DepthwiseConv2D> {
  private int depthMultiplier = 1;

  public DepthwiseConv2D(int kernelH, int kernelW) {
    super("DepthwiseConv2D", "depthwise", 2, new int[] {kernelH, kernelW});
  }

  public DepthwiseConv2D(int kernelSize) {
    this(kernelSize, kernelSize);
  }

  public DepthwiseConv2D depthMultiplier(int m) {
    requireUnbuilt();
    depthMultiplier = Spatial.positive(className(), "depth_multiplier", new int[] {m}, 1)[0];
    return self();
  }

  /** The constraint of the depthwise kernel (Keras's {@code depthwise_constraint}). */
  public DepthwiseConv2D depthwiseConstraint(Constraint c) {
    return kernelConstraint(c);
  }

  @Override
  boolean causalAllowed() {
    return false;
  }

  @Override
  int outChannels(int inChannels) {
    return inChannels * depthMultiplier;
  }

  @Override
  void createWeights(int inChannels, WeightSink sink) {
    declareKernelAndBias(sink, kernelShape(inChannels, depthMultiplier),
        inChannels * depthMultiplier, new int[] {0, 1});
  }

  @Override
  Tensor convolve(Tensor nhwc) {
    return depthwise(nhwc, value(kernelWeight), strides, mode(), dilation);
  }

  /** The depthwise convolution: the kernel {@code (kh, kw, C, M)} as C groups of M filters. */
  static Tensor depthwise(Tensor nhwc, Tensor k, int[] strides,
      io.github.maxnorm.tensor.Padding mode, int[] dilation) {
    int[] d = k.shape().dims();
    return nhwc.conv2d(k.reshape(d[0], d[1], 1, d[2] * d[3]), strides, mode, dilation, d[2]);
  }

  @Override
  protected void writeConfig(Map<String, Object> m) {
    writeConvConfig(m, null);
    m.put("depth_multiplier", depthMultiplier);
  }

  static DepthwiseConv2D fromConfig(Config config) {
    LayerConfig c = new LayerConfig(config);
    int[] k = c.ints("kernel_size", 2, null);
    ConvLayer.acceptUnusedKerasKeys(c);
    return c.finish(new DepthwiseConv2D(k[0], k[1])
        .depthMultiplier(c.integer("depth_multiplier", 1)).readConvConfig(c));
  }
}

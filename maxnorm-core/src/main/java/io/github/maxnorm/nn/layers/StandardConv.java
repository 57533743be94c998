package io.github.maxnorm.nn.layers;

import io.github.maxnorm.nn.ForwardContext;
import io.github.maxnorm.tensor.Tensor;
import java.util.Map;

/**
 * A plain convolution of rank 1 or 2 ({@link Conv1D}, {@link Conv2D}): {@code filters} outputs,
 * optionally split into channel {@code groups}. The kernel is {@code kernel_size + (in / groups,
 * filters)} as Keras stores it, so a constraint's default axes (all but the last) give one slice
 * per filter.
 *
 * @param <L> the concrete layer type
 */
public abstract class StandardConv<L extends StandardConv<L>> extends ConvLayer<L> {
  final int filters;
  int groups = 1;

  StandardConv(String className, int rank, int filters, int[] kernelSize) {
    super(className, "kernel", rank, kernelSize);
    this.filters = filters(className, filters);
  }

  public int filters() {
    return filters;
  }

  /**
   * Splits input and output channels into {@code g} groups, each convolved with its own part of
   * the kernel; {@code g} divides the filters and the input channels.
   */
  public L groups(int g) {
    requireUnbuilt();
    if (g < 1 || filters % g != 0) {
      throw new IllegalArgumentException(
          className() + ": groups must be >= 1 and divide filters " + filters + ", received " + g);
    }
    groups = g;
    return self();
  }

  @Override
  int outChannels(int inChannels) {
    return filters;
  }

  @Override
  void checkChannels(int c) {
    if (c % groups != 0) {
      throw new IllegalArgumentException(
          name() + ": input channels " + c + " are not divisible by groups " + groups);
    }
  }

  @Override
  void createWeights(int inChannels, WeightSink sink) {
    declareKernelAndBias(sink, kernelShape(inChannels / groups, filters), filters, unitAxes(0));
  }

  @Override
  Tensor convolve(Tensor nhwc) {
    return nhwc.conv2d(kernel4d(value(kernelWeight)), Spatial.hw(strides, rank), mode(),
        Spatial.hw(dilation, rank), groups);
  }

  @Override
  Tensor convolveBiasActivation(Tensor nhwc, ForwardContext ctx) {
    // convolution, bias and ReLU in one op, the convolution in the layer's precision
    return afterFused(nhwc.conv2d(kernel4d(value(kernelWeight)), biasValue(),
        Spatial.hw(strides, rank), mode(), Spatial.hw(dilation, rank), groups, reluActivation(),
        precision(ctx)));
  }

  @Override
  protected void writeConfig(Map<String, Object> m) {
    m.put("filters", filters);
    writeConvConfig(m, groups);
  }

  /** Reads the config of {@code layer}, made from the config's filters and kernel size. */
  static <L extends StandardConv<L>> L read(LayerConfig c, L layer) {
    layer.groups(c.integer("groups", 1));
    return c.finish(layer.readConvConfig(c));
  }
}

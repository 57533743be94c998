package io.github.maxnorm.nn.layers;

import io.github.maxnorm.nn.Config;
import io.github.maxnorm.nn.Constraint;
import io.github.maxnorm.nn.Initializers;
import io.github.maxnorm.nn.Parameter;
import io.github.maxnorm.tensor.Padding;
import io.github.maxnorm.tensor.Tensor;
import java.util.Map;

/**
 * A depthwise-separable 2-D convolution: a {@link DepthwiseConv2D} ({@code depthwise_kernel (kh,
 * kw, in, M)}) followed by a 1x1 convolution ({@code pointwise_kernel (1, 1, in * M, filters)}),
 * then the bias and activation. A constraint's default axes give one slice per output channel:
 * {@code [0, 1]} for the depthwise kernel, {@code [0, 1, 2]} for the pointwise kernel.
 */
public final class SeparableConv2D extends ConvLayer<SeparableConv2D> {
  private final int filters;
  private int depthMultiplier = 1;
  private final WeightOptions pointwise =
      new WeightOptions("pointwise", Initializers.glorotUniform());
  private Parameter pointwiseWeight;

  public SeparableConv2D(int filters, int kernelH, int kernelW) {
    super("SeparableConv2D", "depthwise", 2, new int[] {kernelH, kernelW});
    this.filters = filters(className(), filters);
  }

  public SeparableConv2D(int filters, int kernelSize) {
    this(filters, kernelSize, kernelSize);
  }

  public SeparableConv2D depthMultiplier(int m) {
    requireUnbuilt();
    depthMultiplier = Spatial.positive(className(), "depth_multiplier", new int[] {m}, 1)[0];
    return self();
  }

  /** The constraint of the depthwise kernel (Keras's {@code depthwise_constraint}). */
  public SeparableConv2D depthwiseConstraint(Constraint c) {
    return kernelConstraint(c);
  }

  /** The constraint of the pointwise kernel (Keras's {@code pointwise_constraint}). */
  public SeparableConv2D pointwiseConstraint(Constraint c) {
    requireUnbuilt();
    pointwise.constraint = c;
    return this;
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
  void createWeights(int inChannels, WeightSink sink) {
    declareKernel(sink, kernelShape(inChannels, depthMultiplier), new int[] {0, 1});
    pointwiseWeight = pointwise.declare(sink, "pointwise_kernel",
        io.github.maxnorm.tensor.Shape.of(1, 1, inChannels * depthMultiplier, filters),
        new int[] {0, 1, 2});
    declareBias(sink, filters);
  }

  @Override
  Tensor convolve(Tensor nhwc) {
    Tensor d = DepthwiseConv2D.depthwise(nhwc, value(kernelWeight), strides, mode(), dilation);
    return d.conv2d(value(pointwiseWeight), 1, 1, Padding.VALID);
  }

  @Override
  void writeKernelConfig(Map<String, Object> m) {
    super.writeKernelConfig(m);
    pointwise.write(m);
  }

  @Override
  SeparableConv2D readKernelConfig(LayerConfig c) {
    pointwise.read(c);
    return super.readKernelConfig(c);
  }

  @Override
  protected void writeConfig(Map<String, Object> m) {
    m.put("filters", filters);
    writeConvConfig(m, null);
    m.put("depth_multiplier", depthMultiplier);
  }

  static SeparableConv2D fromConfig(Config config) {
    LayerConfig c = new LayerConfig(config);
    int[] k = c.ints("kernel_size", 2, null);
    ConvLayer.acceptUnusedKerasKeys(c);
    return c.finish(new SeparableConv2D(c.integer("filters"), k[0], k[1])
        .depthMultiplier(c.integer("depth_multiplier", 1)).readConvConfig(c));
  }
}

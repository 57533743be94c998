package io.github.maxnorm.nn.layers;

import io.github.maxnorm.nn.Config;
import io.github.maxnorm.nn.Constraint;
import io.github.maxnorm.nn.ForwardContext;
import io.github.maxnorm.nn.Initializer;
import io.github.maxnorm.nn.Layer;
import io.github.maxnorm.nn.Parameter;
import io.github.maxnorm.nn.Regularizer;
import io.github.maxnorm.tensor.Padding;
import io.github.maxnorm.tensor.Shape;
import io.github.maxnorm.tensor.Tensor;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A 2-D convolution. The kernel is {@code (kh, kw, in, filters)} as Keras stores it, whatever the
 * data format, so a constraint's default axes ({@code [0, 1, 2]}) give one slice per filter. Inputs
 * are {@code (h, w, c)} per sample ({@code channels_last}, the default) or {@code (c, h, w)}
 * ({@code channels_first}).
 *
 * <pre>{@code
 * new Conv2D(32, 3, 3).inputShape(32, 32, 3).padding("same").activation("relu")
 *     .kernelConstraint(Constraints.maxNorm(3))
 * }</pre>
 */
public final class Conv2D implements Layer {
  private final LayerSupport s = new LayerSupport("conv2d");
  private final int filters;
  private final int kernelH;
  private final int kernelW;
  private int strideH = 1;
  private int strideW = 1;
  private Padding padding = Padding.VALID;
  private String dataFormat = "channels_last";
  private String activation = "linear";
  private final KernelBias w = new KernelBias();
  private int[] inputShape;

  public Conv2D(int filters, int kernelH, int kernelW) {
    this.filters = Layers.positive("Conv2D", "filters", filters);
    this.kernelH = Layers.positive("Conv2D", "kernel height", kernelH);
    this.kernelW = Layers.positive("Conv2D", "kernel width", kernelW);
  }

  public Conv2D(int filters, int kernelSize) {
    this(filters, kernelSize, kernelSize);
  }

  public Conv2D name(String name) {
    s.requireUnbuilt();
    s.name(name);
    return this;
  }

  public Conv2D strides(int sh, int sw) {
    s.requireUnbuilt();
    strideH = Layers.positive("Conv2D", "stride", sh);
    strideW = Layers.positive("Conv2D", "stride", sw);
    return this;
  }

  /** {@code "valid"} (default) or {@code "same"}. */
  public Conv2D padding(String p) {
    s.requireUnbuilt();
    padding = Layers.padding("Conv2D", p);
    return this;
  }

  /** {@code "channels_last"} (default) or {@code "channels_first"}. */
  public Conv2D dataFormat(String f) {
    s.requireUnbuilt();
    dataFormat = Layers.dataFormat("Conv2D", f);
    return this;
  }

  public Conv2D activation(String name) {
    s.requireUnbuilt();
    activation = Activations.canonical(name);
    return this;
  }

  public Conv2D useBias(boolean use) {
    s.requireUnbuilt();
    w.useBias = use;
    return this;
  }

  public Conv2D inputShape(int... shape) {
    s.requireUnbuilt();
    inputShape = Layers.checkInputShape("Conv2D", shape);
    return this;
  }

  public Conv2D kernelInitializer(Initializer i) {
    s.requireUnbuilt();
    w.kernelInitializer = Layers.required("kernel_initializer", i);
    return this;
  }

  public Conv2D biasInitializer(Initializer i) {
    s.requireUnbuilt();
    w.biasInitializer = Layers.required("bias_initializer", i);
    return this;
  }

  public Conv2D kernelRegularizer(Regularizer r) {
    s.requireUnbuilt();
    w.kernelRegularizer = r;
    return this;
  }

  public Conv2D biasRegularizer(Regularizer r) {
    s.requireUnbuilt();
    w.biasRegularizer = r;
    return this;
  }

  public Conv2D kernelConstraint(Constraint c) {
    s.requireUnbuilt();
    w.kernelConstraint = c;
    return this;
  }

  public Conv2D biasConstraint(Constraint c) {
    s.requireUnbuilt();
    w.biasConstraint = c;
    return this;
  }

  public int[] declaredInputShape() {
    return inputShape == null ? null : inputShape.clone();
  }

  public String activation() {
    return activation;
  }

  @Override
  public String name() {
    return s.name();
  }

  @Override
  public boolean built() {
    return s.built();
  }

  private boolean channelsFirst() {
    return dataFormat.equals("channels_first");
  }

  @Override
  public Shape outputShape(Shape in) {
    if (in.rank() != 3) {
      throw new IllegalArgumentException(
          "Conv2D expects rank 4 input, received shape [batch, " + LayerSupport.join(in.dims())
              + "]");
    }
    int h = channelsFirst() ? in.dim(1) : in.dim(0);
    int width = channelsFirst() ? in.dim(2) : in.dim(1);
    int oh = Layers.outSize(s.name(), h, kernelH, strideH, padding);
    int ow = Layers.outSize(s.name(), width, kernelW, strideW, padding);
    return channelsFirst() ? Shape.of(filters, oh, ow) : Shape.of(oh, ow, filters);
  }

  private Shape kernelShape(Shape in) {
    return Shape.of(kernelH, kernelW, channelsFirst() ? in.dim(0) : in.dim(2), filters);
  }

  @Override
  public Map<String, Shape> parameterShapes(Shape in) {
    outputShape(in);
    return w.shapes(kernelShape(in), filters);
  }

  @Override
  public Shape build(Shape in, SplittableRandom rng) {
    s.requireUnbuilt();
    Shape out = outputShape(in);
    w.build(s, kernelShape(in), filters, new int[] {0, 1, 2}, rng);
    s.built(in, out);
    return out;
  }

  @Override
  public Tensor forward(Tensor x, ForwardContext ctx) {
    s.requireBuilt();
    s.checkInput(x);
    Tensor nhwc = channelsFirst() ? x.permute(0, 2, 3, 1) : x;
    Tensor y = Activations.apply(activation, w.addBias(nhwc.conv2d(w.kernel(), strideH, strideW, padding)));
    return channelsFirst() ? y.permute(0, 3, 1, 2) : y;
  }

  /** The kernel, bias and their options (package use: configs). */
  KernelBias weights() {
    return w;
  }

  @Override
  public List<Parameter> parameters() {
    return s.parameters();
  }

  @Override
  public Config config() {
    return LayerConfigs.conv2d(this, filters, kernelH, kernelW, strideH, strideW, padding,
        dataFormat, activation, w, inputShape);
  }

}

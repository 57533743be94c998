package io.github.maxnorm.nn.layers;

import io.github.maxnorm.nn.ForwardContext;
import io.github.maxnorm.tensor.Padding;
import io.github.maxnorm.tensor.Shape;
import io.github.maxnorm.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The window arguments every convolution layer shares ({@code kernel_size}, {@code strides},
 * {@code padding}, {@code data_format}, {@code dilation_rate}) on top of the activation, kernel
 * and bias of {@link KernelLayer}; rank 1 (sequences) or 2 (images). The arithmetic runs on
 * channels-last batches; a {@code channels_first} layer transposes its input and output.
 *
 * @param <L> the concrete layer type
 */
public abstract class ConvLayer<L extends ConvLayer<L>> extends KernelLayer<L> {
  final int rank;
  final int[] kernelSize;
  int[] strides;
  int[] dilation;
  String padding = "valid";
  String dataFormat = "channels_last";

  ConvLayer(String className, String kernelKey, int rank, int[] kernelSize) {
    super(className, kernelKey);
    this.rank = rank;
    this.kernelSize = Spatial.positive(className, "kernel_size", kernelSize, rank);
    this.strides = ones(rank);
    this.dilation = ones(rank);
  }

  /** Checks a filter count, naming the layer. */
  static int filters(String className, int filters) {
    return Spatial.positive(className, "filters", new int[] {filters}, 1)[0];
  }

  private static int[] ones(int n) {
    int[] r = new int[n];
    Arrays.fill(r, 1);
    return r;
  }

  /** The step between windows along each spatial axis (default 1). */
  public L strides(int... s) {
    requireUnbuilt();
    strides = Spatial.positive(className(), "strides", s.length == 1 ? repeat(s[0]) : s, rank);
    return self();
  }

  /** {@code "valid"} (default) or {@code "same"}; 1-D convolutions also take {@code "causal"}. */
  public L padding(String p) {
    requireUnbuilt();
    padding = Spatial.padding(className(), p, rank == 1 && causalAllowed());
    return self();
  }

  /** {@code "channels_last"} (default) or {@code "channels_first"}. */
  public L dataFormat(String f) {
    requireUnbuilt();
    dataFormat = Spatial.dataFormat(className(), f);
    return self();
  }

  /** The spacing of the window's cells along each spatial axis (default 1: contiguous). */
  public L dilationRate(int... d) {
    requireUnbuilt();
    dilation = Spatial.positive(className(), "dilation_rate", d.length == 1 ? repeat(d[0]) : d,
        rank);
    return self();
  }

  boolean causalAllowed() {
    return true;
  }

  private int[] repeat(int v) {
    int[] r = new int[rank];
    Arrays.fill(r, v);
    return r;
  }

  final boolean channelsFirst() {
    return dataFormat.equals("channels_first");
  }

  /** The output channels for {@code inChannels} input channels. */
  abstract int outChannels(int inChannels);

  /** Checks the channel count; the default accepts any. */
  void checkChannels(int inChannels) {}

  @Override
  protected Shape computeOutputShape(Shape in) {
    Spatial.checkRank(className(), in, rank);
    int c = Spatial.channels(in, channelsFirst());
    checkChannels(c);
    int[] hw = Spatial.sizes(in, rank, channelsFirst());
    int[] k = Spatial.hw(kernelSize, rank);
    int[] s = Spatial.hw(strides, rank);
    int[] d = Spatial.hw(dilation, rank);
    int[] out = new int[2];
    for (int i = 0; i < 2; i++) {
      out[i] = outSize(hw[i], k[i], s[i], d[i]);
    }
    return Spatial.shape(out, outChannels(c), rank, channelsFirst());
  }

  /** The output size along one axis (Keras's rule for a forward convolution). */
  int outSize(int in, int k, int stride, int dil) {
    return Spatial.outSize(name(), in, k, stride, dil, padding);
  }

  @Override
  protected final void createWeights(List<Shape> in, WeightSink sink) {
    createWeights(Spatial.channels(in.get(0), channelsFirst()), sink);
  }

  /** Declares the weights for {@code inChannels} input channels. */
  abstract void createWeights(int inChannels, WeightSink sink);

  @Override
  protected final Tensor call(Tensor x, ForwardContext ctx) {
    Tensor nhwc = Spatial.toNhwc(x, rank, channelsFirst());
    if (padding.equals("causal")) {
      nhwc = nhwc.pad(2, (kernelSize[0] - 1) * dilation[0], 0);
    }
    Tensor y = convolveBiasActivation(nhwc, ctx);
    return Spatial.fromNhwc(y, rank, channelsFirst());
  }

  /** The convolution of a channels-last 4-D batch, without bias and activation. */
  abstract Tensor convolve(Tensor nhwc);

  /**
   * The convolution of a channels-last 4-D batch with bias and activation; layers whose
   * convolution can fuse them (and run in the layer's precision) override it.
   */
  Tensor convolveBiasActivation(Tensor nhwc, ForwardContext ctx) {
    return biasAndActivation(convolve(nhwc));
  }

  /** The padding the 4-D convolution uses ({@code causal} has padded already). */
  final Padding mode() {
    return Spatial.mode(padding);
  }

  /** The kernel as 4-D {@code [kh, kw, ...]}: a 1-D kernel gets a leading axis of 1. */
  final Tensor kernel4d(Tensor k) {
    if (rank == 2) {
      return k;
    }
    int[] d = k.shape().dims();
    return k.reshape(1, d[0], d[1], d[2]);
  }

  /** The kernel shape {@code kernel_size + tail}. */
  final Shape kernelShape(int... tail) {
    int[] d = Arrays.copyOf(kernelSize, rank + tail.length);
    System.arraycopy(tail, 0, d, rank, tail.length);
    return Shape.of(d);
  }

  /** The axes of a kernel {@code kernel_size + (a, b)} reduced to get one slice per unit. */
  final int[] unitAxes(int... extra) {
    int[] r = new int[rank + extra.length];
    for (int i = 0; i < rank; i++) {
      r[i] = i;
    }
    for (int i = 0; i < extra.length; i++) {
      r[rank + i] = rank + extra[i];
    }
    return r;
  }

  /**
   * Writes the window keys in Keras's order ({@code groups} after {@code dilation_rate} when not
   * null), then the kernel and bias options.
   */
  final void writeConvConfig(Map<String, Object> m, Integer groups) {
    m.put("kernel_size", list(kernelSize));
    m.put("strides", list(strides));
    m.put("padding", padding);
    m.put("data_format", dataFormat);
    m.put("dilation_rate", list(dilation));
    if (groups != null) {
      m.put("groups", groups);
    }
    writeKernelConfig(m);
  }

  /** Reads what {@link #writeConvConfig} writes. */
  final L readConvConfig(LayerConfig c) {
    strides(c.ints("strides", rank, strides));
    padding(c.string("padding", "valid"));
    dataFormat(c.string("data_format", "channels_last"));
    dilationRate(c.ints("dilation_rate", rank, dilation));
    return readKernelConfig(c);
  }

  /**
   * Keys that tf.keras writes into the configs of DepthwiseConv2D and SeparableConv2D from their
   * Conv base class although the layers never use them: {@code groups} (always 1),
   * {@code kernel_initializer} (ignored), and {@code kernel_regularizer} and {@code
   * kernel_constraint}, accepted only when null so that nothing given is silently dropped (the
   * layers' own keys are {@code depthwise_...} and {@code pointwise_...}).
   */
  static void acceptUnusedKerasKeys(LayerConfig c) {
    if (c.integer("groups", 1) != 1) {
      throw new IllegalArgumentException(
          c.className() + ": groups must be 1, received " + c.raw("groups"));
    }
    c.raw("kernel_initializer");
    c.requireNull("kernel_regularizer", "is not used by " + c.className()
        + " (give depthwise_regularizer or pointwise_regularizer)");
    c.requireNull("kernel_constraint", "is not used by " + c.className()
        + " (give depthwise_constraint or pointwise_constraint)");
  }

  static List<Integer> list(int[] v) {
    return Arrays.stream(v).boxed().toList();
  }
}

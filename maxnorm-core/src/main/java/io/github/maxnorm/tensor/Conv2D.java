package io.github.maxnorm.tensor;

import io.github.maxnorm.kernel.BiasRelu;
import io.github.maxnorm.kernel.Conv2d;
import io.github.maxnorm.kernel.GeneralConv;
import io.github.maxnorm.kernel.Precision;
import java.util.List;

/**
 * Two-dimensional convolution (cross-correlation, as in Keras) of channels-last input {@code [N, H,
 * W, C]} with kernel {@code [kh, kw, C / groups, out]}, giving {@code [N, outH, outW, out]}, with
 * optional dilation and channel groups ({@link GeneralConv}), an optional bias {@code [out]} and
 * ReLU, and the precision of the products ({@link Precision}).
 *
 * <p>A plain convolution (no dilation, one group) runs through {@link Conv2d}, which adds the bias
 * and applies the ReLU inside oneDNN's forward primitive; the backward pass takes the ReLU's mask
 * and the bias gradient in one pass over the output gradient and then both gradients of the
 * convolution, the kernel gradient reading the input as the forward pass staged it. Dilated and
 * grouped convolutions run in float32 Java loops whatever the precision, the bias and ReLU in a
 * pass of their own.
 */
final class Conv2D implements Op {
  private final Tensor input;
  private final Tensor kernel;
  private final Tensor bias;
  private final boolean relu;
  private final Precision precision;
  private final GeneralConv.Geometry geometry;
  /** What {@link Conv2d#forward} returned: lets the kernel gradient reuse the staged input. */
  private final long stamp;

  private Conv2D(Tensor input, Tensor kernel, Tensor bias, boolean relu, Precision precision,
      GeneralConv.Geometry geometry, long stamp) {
    this.input = input;
    this.kernel = kernel;
    this.bias = bias;
    this.relu = relu;
    this.precision = precision;
    this.geometry = geometry;
    this.stamp = stamp;
  }

  static Tensor apply(Tensor input, Tensor kernel, int strideH, int strideW, Padding padding) {
    return apply(input, kernel, new int[] {strideH, strideW}, padding, new int[] {1, 1}, 1);
  }

  static Tensor apply(
      Tensor input, Tensor kernel, int[] strides, Padding padding, int[] dilation, int groups) {
    return apply(input, kernel, null, strides, padding, dilation, groups, false,
        Precision.FLOAT32);
  }

  static Tensor apply(Tensor input, Tensor kernel, Tensor bias, int[] strides, Padding padding,
      int[] dilation, int groups, boolean relu, Precision precision) {
    if (precision == null) {
      throw new IllegalArgumentException("conv2d: precision must not be null");
    }
    GeneralConv.Geometry g = geometry("conv2d", input.shape, kernel.shape, strides, padding,
        dilation, groups, false);
    Conv2d.Geometry b = g.base();
    if (bias != null && (bias.shape.rank() != 1 || bias.shape.dim(0) != b.outC())) {
      throw new IllegalArgumentException("conv2d: bias " + bias.shape + " does not match "
          + b.outC() + " filters (expected [" + b.outC() + "])");
    }
    float[] biasData = bias == null ? null : bias.data;
    // the kernels overwrite their whole output (and clear a gradient before adding to it)
    float[] out = Workspace.uninitialized(g.outputSize());
    long stamp = 0;
    if (g.plain()) {
      stamp = Conv2d.forward(b, precision, input.data, kernel.data, biasData, relu, out);
    } else {
      GeneralConv.forward(g, input.data, kernel.data, out);
      BiasRelu.apply(out, 0, out.length / b.outC(), b.outC(), b.outC(), biasData, relu);
    }
    return Tensor.result(out, Shape.of(b.batch(), b.outH(), b.outW(), b.outC()),
        new Conv2D(input, kernel, bias, relu, precision, g, stamp));
  }

  /**
   * The geometry of a convolution of {@code si} by {@code sk}; with {@code transposed}, of the
   * convolution whose input gradient is the transposed convolution of {@code si} by {@code sk}
   * (kernel {@code [kh, kw, out, in]}), that is, whose output has the shape {@code si}.
   */
  static GeneralConv.Geometry geometry(String op, Shape si, Shape sk, int[] strides,
      Padding padding, int[] dilation, int groups, boolean transposed) {
    String what = op + ": input " + si + " and kernel " + sk;
    if (padding == null || strides == null || dilation == null
        || strides.length != 2 || dilation.length != 2) {
      throw new IllegalArgumentException(what + ": padding, 2 strides and 2 dilations are required");
    }
    if (si.rank() != 4 || sk.rank() != 4) {
      throw new IllegalArgumentException(
          what + ": expected input [batch, height, width, channels] and kernel [kernelH, kernelW,"
              + (transposed ? " filters, inChannels]" : " inChannels / groups, filters]")
              + ", both of rank 4");
    }
    int n = si.dim(0);
    int h = si.dim(1);
    int w = si.dim(2);
    int c = si.dim(3);
    int kh = sk.dim(0);
    int kw = sk.dim(1);
    int kc = transposed ? sk.dim(3) : sk.dim(2);
    int f = transposed ? sk.dim(2) : sk.dim(3);
    if (groups < 1 || c % groups != 0 || f % groups != 0 || c / groups != kc) {
      throw new IllegalArgumentException(groups == 1
          ? what + ": input channels " + c + " and " + kc + " differ"
          : what + ": input channels " + c + " do not make " + groups + " groups of the kernel's "
              + kc + " channels and " + f + " filters");
    }
    if (strides[0] < 1 || strides[1] < 1 || dilation[0] < 1 || dilation[1] < 1) {
      throw new IllegalArgumentException(what + ": strides and dilation must be >= 1");
    }
    if (h < 1 || w < 1 || c < 1 || kh < 1 || kw < 1 || f < 1) {
      throw new IllegalArgumentException(what + ": all dimensions but the batch must be >= 1");
    }
    // the effective window spans (k - 1) * dilation + 1 cells
    int ekh = (kh - 1) * dilation[0] + 1;
    int ekw = (kw - 1) * dilation[1] + 1;
    Conv2d.Geometry base;
    if (!transposed) {
      int outH = padding.outputSize(h, ekh, strides[0]);
      int outW = padding.outputSize(w, ekw, strides[1]);
      if (outH < 1 || outW < 1) {
        throw new IllegalArgumentException(
            what + " with padding " + padding + ", strides (" + strides[0] + ", " + strides[1]
                + ") and dilation (" + dilation[0] + ", " + dilation[1]
                + "): the window does not fit, output would be " + outH + " x " + outW);
      }
      base = new Conv2d.Geometry(n, h, w, c, kh, kw, f, strides[0], strides[1],
          padding.padBefore(h, ekh, strides[0]), padding.padBefore(w, ekw, strides[1]), outH,
          outW);
    } else {
      // Keras: 'same' gives in * stride, 'valid' (in - 1) * stride + window (no output padding)
      int outH = padding == Padding.SAME ? h * strides[0] : (h - 1) * strides[0] + ekh;
      int outW = padding == Padding.SAME ? w * strides[1] : (w - 1) * strides[1] + ekw;
      int padTop = Math.max((h - 1) * strides[0] + ekh - outH, 0) / 2;
      int padLeft = Math.max((w - 1) * strides[1] + ekw - outW, 0) / 2;
      base = new Conv2d.Geometry(n, outH, outW, f, kh, kw, c, strides[0], strides[1], padTop,
          padLeft, h, w);
    }
    return new GeneralConv.Geometry(base, dilation[0], dilation[1], groups);
  }

  @Override
  public String name() {
    return "conv2d";
  }

  @Override
  public List<Tensor> inputs() {
    return bias == null ? List.of(input, kernel) : List.of(input, kernel, bias);
  }

  @Override
  public void backward(Tensor out, float[] g, GradSink sink) {
    float[] biasGrad = bias != null && sink.needs(2) ? Workspace.uninitialized(bias.size()) : null;
    float[] gi = sink.needs(0) ? Workspace.uninitialized(geometry.inputSize()) : null;
    float[] gk = sink.needs(1) ? Workspace.uninitialized(geometry.kernelSize()) : null;
    int channels = geometry.base().outC();
    if (geometry.plain()) {
      // the epilogue's backward runs inside, where the gradients go through oneDNN
      Conv2d.backward(geometry.base(), precision, g, out.data, relu, kernel.data, input.data,
          stamp, gi, gk, biasGrad, relu ? Workspace.uninitialized(g.length) : null);
    } else {
      float[] gz = relu ? Workspace.uninitialized(g.length) : g;
      BiasRelu.backward(out.data, g, channels, relu, gz, biasGrad);
      if (gi != null) {
        GeneralConv.backwardData(geometry, gz, kernel.data, gi);
      }
      if (gk != null) {
        GeneralConv.backwardWeights(geometry, input.data, gz, gk);
      }
    }
    if (gi != null) {
      sink.accumulate(0, gi);
    }
    if (gk != null) {
      sink.accumulate(1, gk);
    }
    if (biasGrad != null) {
      sink.accumulate(2, biasGrad);
    }
  }
}

package io.github.maxnorm.tensor;

import io.github.maxnorm.kernel.Conv2d;
import java.util.List;

/**
 * Two-dimensional convolution (cross-correlation, as in Keras) of channels-last input {@code [N, H,
 * W, C]} with kernel {@code [kh, kw, C, out]}, giving {@code [N, outH, outW, out]}.
 */
final class Conv2D implements Op {
  private final Tensor input;
  private final Tensor kernel;
  private final Conv2d.Geometry geometry;

  private Conv2D(Tensor input, Tensor kernel, Conv2d.Geometry geometry) {
    this.input = input;
    this.kernel = kernel;
    this.geometry = geometry;
  }

  static Tensor apply(Tensor input, Tensor kernel, int strideH, int strideW, Padding padding) {
    Shape si = input.shape;
    Shape sk = kernel.shape;
    String what = "conv2d: input " + si + " and kernel " + sk;
    if (padding == null) {
      throw new IllegalArgumentException(what + ": padding must not be null");
    }
    if (si.rank() != 4 || sk.rank() != 4) {
      throw new IllegalArgumentException(
          what + ": expected input [batch, height, width, channels] and kernel [kernelH, kernelW,"
              + " inChannels, filters], both of rank 4");
    }
    if (si.dim(3) != sk.dim(2)) {
      throw new IllegalArgumentException(
          what + ": input channels " + si.dim(3) + " and " + sk.dim(2) + " differ");
    }
    if (strideH < 1 || strideW < 1) {
      throw new IllegalArgumentException(
          what + ": strides must be >= 1, received (" + strideH + ", " + strideW + ")");
    }
    int n = si.dim(0);
    int h = si.dim(1);
    int w = si.dim(2);
    int c = si.dim(3);
    int kh = sk.dim(0);
    int kw = sk.dim(1);
    int f = sk.dim(3);
    if (h < 1 || w < 1 || c < 1 || kh < 1 || kw < 1 || f < 1) {
      throw new IllegalArgumentException(what + ": all dimensions but the batch must be >= 1");
    }
    int outH = padding.outputSize(h, kh, strideH);
    int outW = padding.outputSize(w, kw, strideW);
    if (outH < 1 || outW < 1) {
      throw new IllegalArgumentException(
          what + " with padding " + padding + " and strides (" + strideH + ", " + strideW
              + "): the window does not fit, output would be " + outH + " x " + outW);
    }
    Conv2d.Geometry g = new Conv2d.Geometry(n, h, w, c, kh, kw, f, strideH, strideW,
        padding.padBefore(h, kh, strideH), padding.padBefore(w, kw, strideW), outH, outW);
    // Conv2d's kernels overwrite their whole output (and clear a gradient before adding to it)
    float[] out = Workspace.uninitialized(g.outputSize());
    Conv2d.forward(g, input.data, kernel.data, out);
    return Tensor.result(out, Shape.of(n, outH, outW, f), new Conv2D(input, kernel, g));
  }

  @Override
  public String name() {
    return "conv2d";
  }

  @Override
  public List<Tensor> inputs() {
    return List.of(input, kernel);
  }

  @Override
  public void backward(Tensor out, float[] g, GradSink sink) {
    if (sink.needs(0)) {
      float[] gi = Workspace.uninitialized(geometry.inputSize());
      Conv2d.backwardData(geometry, g, kernel.data, gi);
      sink.accumulate(0, gi);
    }
    if (sink.needs(1)) {
      float[] gk = Workspace.uninitialized(geometry.kernelSize());
      Conv2d.backwardWeights(geometry, input.data, g, gk);
      sink.accumulate(1, gk);
    }
  }
}

package io.github.maxnorm.tensor;

import io.github.maxnorm.kernel.Pool2d;
import java.util.List;

/**
 * Two-dimensional max pooling of channels-last input {@code [N, H, W, C]}. The gradient of each
 * output goes to the input cell that won its window (the first one on ties).
 */
final class MaxPooling2D implements Op {
  private final Tensor input;
  private final Pool2d.Geometry geometry;
  private final int[] argMax;

  private MaxPooling2D(Tensor input, Pool2d.Geometry geometry, int[] argMax) {
    this.input = input;
    this.geometry = geometry;
    this.argMax = argMax;
  }

  static Tensor apply(
      Tensor input, int poolH, int poolW, int strideH, int strideW, Padding padding) {
    Pool2d.Geometry g = geometry("maxPool2d", input.shape, poolH, poolW, strideH, strideW,
        padding);
    // Pool2d.forward writes every output and arg-max element
    float[] out = Workspace.uninitialized(g.outputSize());
    int[] arg = Workspace.uninitializedInts(g.outputSize());
    Pool2d.forward(g, input.data, out, arg);
    return Tensor.result(out, Shape.of(g.batch(), g.outH(), g.outW(), g.channels()),
        new MaxPooling2D(input, g, arg));
  }

  /** The geometry of a pooling of {@code si}, or an exception naming {@code op} and the sizes. */
  static Pool2d.Geometry geometry(String op, Shape si, int poolH, int poolW, int strideH,
      int strideW, Padding padding) {
    String what = op + ": input " + si + " with pool (" + poolH + ", " + poolW
        + ") and strides (" + strideH + ", " + strideW + ")";
    if (padding == null) {
      throw new IllegalArgumentException(what + ": padding must not be null");
    }
    if (si.rank() != 4) {
      throw new IllegalArgumentException(
          what + ": expected input [batch, height, width, channels] of rank 4");
    }
    if (poolH < 1 || poolW < 1 || strideH < 1 || strideW < 1) {
      throw new IllegalArgumentException(what + ": pool sizes and strides must be >= 1");
    }
    int n = si.dim(0);
    int h = si.dim(1);
    int w = si.dim(2);
    int c = si.dim(3);
    if (h < 1 || w < 1 || c < 1) {
      throw new IllegalArgumentException(what + ": all dimensions but the batch must be >= 1");
    }
    int outH = padding.outputSize(h, poolH, strideH);
    int outW = padding.outputSize(w, poolW, strideW);
    if (outH < 1 || outW < 1) {
      throw new IllegalArgumentException(
          what + " and padding " + padding + ": the window does not fit, output would be " + outH
              + " x " + outW);
    }
    return new Pool2d.Geometry(n, h, w, c, poolH, poolW, strideH, strideW,
        padding.padBefore(h, poolH, strideH), padding.padBefore(w, poolW, strideW), outH, outW);
  }

  @Override
  public String name() {
    return "maxPool2d";
  }

  @Override
  public List<Tensor> inputs() {
    return List.of(input);
  }

  @Override
  public void backward(Tensor out, float[] g, GradSink sink) {
    // Pool2d.backward clears the whole input gradient before it scatters
    float[] gi = Workspace.uninitialized(geometry.inputSize());
    Pool2d.backward(geometry, g, argMax, gi);
    sink.accumulate(0, gi);
  }
}

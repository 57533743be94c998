package io.github.maxnorm.tensor;

import io.github.maxnorm.kernel.Conv2d;
import io.github.maxnorm.kernel.GeneralConv;
import java.util.List;

/**
 * Transposed two-dimensional convolution of channels-last input {@code [N, H, W, C]} with kernel
 * {@code [kh, kw, filters, C]} (Keras's Conv2DTranspose layout): the input gradient of the
 * convolution that maps {@code [N, outH, outW, filters]} to {@code [N, H, W, C]} with the same
 * kernel, strides, padding and dilation. With {@code 'same'} padding the output is {@code H *
 * stride} high, with {@code 'valid'} {@code (H - 1) * stride + (kh - 1) * dilation + 1}.
 */
final class ConvTranspose2D implements Op {
  private final Tensor input;
  private final Tensor kernel;
  /** The geometry of the convolution this op transposes: its output is this op's input. */
  private final GeneralConv.Geometry geometry;

  private ConvTranspose2D(Tensor input, Tensor kernel, GeneralConv.Geometry geometry) {
    this.input = input;
    this.kernel = kernel;
    this.geometry = geometry;
  }

  static Tensor apply(
      Tensor input, Tensor kernel, int[] strides, Padding padding, int[] dilation) {
    GeneralConv.Geometry g = Conv2D.geometry("conv2dTranspose", input.shape, kernel.shape,
        strides, padding, dilation, 1, true);
    float[] out = Workspace.uninitialized(g.inputSize());
    GeneralConv.backwardData(g, input.data, kernel.data, out);
    Conv2d.Geometry b = g.base();
    return Tensor.result(out, Shape.of(b.batch(), b.inH(), b.inW(), b.inC()),
        new ConvTranspose2D(input, kernel, g));
  }

  @Override
  public String name() {
    return "conv2dTranspose";
  }

  @Override
  public List<Tensor> inputs() {
    return List.of(input, kernel);
  }

  @Override
  public void backward(Tensor out, float[] g, GradSink sink) {
    if (sink.needs(0)) {
      // the transpose of a transposed convolution is the convolution itself
      float[] gi = Workspace.uninitialized(geometry.outputSize());
      GeneralConv.forward(geometry, g, kernel.data, gi);
      sink.accumulate(0, gi);
    }
    if (sink.needs(1)) {
      float[] gk = Workspace.uninitialized(geometry.kernelSize());
      GeneralConv.backwardWeights(geometry, g, input.data, gk);
      sink.accumulate(1, gk);
    }
  }
}

package io.github.maxnorm.tensor;

import io.github.maxnorm.kernel.Pool2d;
import java.util.List;

/**
 * Two-dimensional average pooling of channels-last input {@code [N, H, W, C]}; padding cells do
 * not count towards a window's mean. The gradient of each output is shared evenly by its window's
 * input cells.
 */
final class AveragePooling2D implements Op {
  private final Tensor input;
  private final Pool2d.Geometry geometry;

  private AveragePooling2D(Tensor input, Pool2d.Geometry geometry) {
    this.input = input;
    this.geometry = geometry;
  }

  static Tensor apply(
      Tensor input, int poolH, int poolW, int strideH, int strideW, Padding padding) {
    Pool2d.Geometry g = MaxPooling2D.geometry("avgPool2d", input.shape, poolH, poolW, strideH,
        strideW, padding);
    float[] out = Workspace.uninitialized(g.outputSize());
    Pool2d.averageForward(g, input.data, out);
    return Tensor.result(out, Shape.of(g.batch(), g.outH(), g.outW(), g.channels()),
        new AveragePooling2D(input, g));
  }

  @Override
  public String name() {
    return "avgPool2d";
  }

  @Override
  public List<Tensor> inputs() {
    return List.of(input);
  }

  @Override
  public void backward(Tensor out, float[] g, GradSink sink) {
    float[] gi = Workspace.uninitialized(geometry.inputSize());
    Pool2d.averageBackward(geometry, g, gi);
    sink.accumulate(0, gi);
  }
}

package io.github.maxnorm.tensor;

import java.util.List;

/** Swaps the last two axes (a matrix transpose, batched over any leading axes). */
final class Transpose implements Op {
  private final Tensor a;
  private final int[] axes;

  private Transpose(Tensor a, int[] axes) {
    this.a = a;
    this.axes = axes;
  }

  static Tensor apply(Tensor a) {
    int r = a.rank();
    if (r < 2) {
      throw new IllegalArgumentException(
          "transpose: requires rank >= 2, received shape " + a.shape);
    }
    int[] axes = new int[r];
    for (int i = 0; i < r; i++) {
      axes[i] = i;
    }
    axes[r - 2] = r - 1;
    axes[r - 1] = r - 2;
    return Tensor.result(
        Permute.permuteData(a.data, a.shape, axes),
        Permute.permutedShape(a.shape, axes),
        new Transpose(a, axes));
  }

  @Override
  public String name() {
    return "transpose";
  }

  @Override
  public List<Tensor> inputs() {
    return List.of(a);
  }

  @Override
  public void backward(Tensor out, float[] g, GradSink sink) {
    // Swapping two axes is its own inverse.
    sink.accumulate(0, Permute.permuteData(g, out.shape, axes));
  }
}

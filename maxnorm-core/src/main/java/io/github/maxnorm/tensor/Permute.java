package io.github.maxnorm.tensor;

import io.github.maxnorm.kernel.Parallel;
import java.util.Arrays;
import java.util.List;

/** Reorders the axes: output axis {@code i} is input axis {@code axes[i]}. */
final class Permute implements Op {
  private final Tensor a;
  private final int[] axes;

  private Permute(Tensor a, int[] axes) {
    this.a = a;
    this.axes = axes;
  }

  static Tensor apply(Tensor a, int[] axes) {
    int r = a.rank();
    if (axes == null || axes.length != r) {
      throw new IllegalArgumentException(
          "permute: axes " + Arrays.toString(axes) + " do not list the " + r
              + " axes of shape " + a.shape);
    }
    int[] norm = new int[r];
    boolean[] seen = new boolean[r];
    for (int i = 0; i < r; i++) {
      int ax;
      try {
        ax = a.shape.normalizeAxis(axes[i]);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("permute: " + e.getMessage(), e);
      }
      if (seen[ax]) {
        throw new IllegalArgumentException(
            "permute: axes " + Arrays.toString(axes) + " name axis " + axes[i]
                + " twice for shape " + a.shape);
      }
      seen[ax] = true;
      norm[i] = ax;
    }
    Shape out = permutedShape(a.shape, norm);
    return Tensor.result(permuteData(a.data, a.shape, norm), out, new Permute(a, norm));
  }

  static Shape permutedShape(Shape s, int[] axes) {
    int[] d = new int[axes.length];
    for (int i = 0; i < axes.length; i++) {
      d[i] = s.raw()[axes[i]];
    }
    return new Shape(d);
  }

  /** The values of {@code x} (laid out as {@code in}) with axes reordered by {@code axes}. */
  static float[] permuteData(float[] x, Shape in, int[] axes) {
    int r = axes.length;
    float[] o = new float[x.length];
    if (r == 0 || x.length == 0) {
      System.arraycopy(x, 0, o, 0, x.length);
      return o;
    }
    int[] inStrides = in.strides();
    int[] od = new int[r];
    int[] st = new int[r];
    for (int i = 0; i < r; i++) {
      od[i] = in.raw()[axes[i]];
      st[i] = inStrides[axes[i]];
    }
    int last = od[r - 1];
    int lastStride = st[r - 1];
    Parallel.forRange(
        x.length / last,
        last,
        (from, to) -> {
          for (int row = from; row < to; row++) {
            int base = 0;
            int q = row;
            for (int d = r - 2; d >= 0; d--) {
              base += (q % od[d]) * st[d];
              q /= od[d];
            }
            int pos = row * last;
            for (int j = 0; j < last; j++) {
              o[pos + j] = x[base + j * lastStride];
            }
          }
        });
    return o;
  }

  static int[] inverse(int[] axes) {
    int[] inv = new int[axes.length];
    for (int i = 0; i < axes.length; i++) {
      inv[axes[i]] = i;
    }
    return inv;
  }

  @Override
  public String name() {
    return "permute";
  }

  @Override
  public List<Tensor> inputs() {
    return List.of(a);
  }

  @Override
  public void backward(Tensor out, float[] g, GradSink sink) {
    sink.accumulate(0, permuteData(g, out.shape, inverse(axes)));
  }
}

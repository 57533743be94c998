package io.github.maxnorm.tensor;

import java.util.List;

/** Sum over a set of axes, removing them or keeping them with size 1. */
final class Sum implements Op {
  private final Tensor a;
  private final boolean[] reduced;

  private Sum(Tensor a, boolean[] reduced) {
    this.a = a;
    this.reduced = reduced;
  }

  /** Which axes of {@code s} the given list names (all of them when it is empty). */
  static boolean[] axesMask(String op, Shape s, int[] axes) {
    boolean[] mask = new boolean[s.rank()];
    if (axes == null || axes.length == 0) {
      java.util.Arrays.fill(mask, true);
      return mask;
    }
    for (int ax : axes) {
      int n;
      try {
        n = s.normalizeAxis(ax);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(op + ": " + e.getMessage(), e);
      }
      if (mask[n]) {
        throw new IllegalArgumentException(
            op + ": axis " + ax + " listed twice for shape " + s);
      }
      mask[n] = true;
    }
    return mask;
  }

  /** The shape after reducing the masked axes. */
  static Shape reducedShape(Shape s, boolean[] mask, boolean keepDims) {
    int[] d = s.raw();
    int count = 0;
    for (int i = 0; i < d.length; i++) {
      if (!mask[i] || keepDims) {
        count++;
      }
    }
    int[] out = new int[count];
    int j = 0;
    for (int i = 0; i < d.length; i++) {
      if (!mask[i]) {
        out[j++] = d[i];
      } else if (keepDims) {
        out[j++] = 1;
      }
    }
    return new Shape(out);
  }

  static Tensor apply(Tensor a, int[] axes, boolean keepDims) {
    boolean[] mask = axesMask("sum", a.shape, axes);
    Shape kept = reducedShape(a.shape, mask, true);
    float[] o = Broadcast.reduceTo(a.data, a.shape, kept);
    if (o == a.data) {
      o = o.clone();
    }
    return Tensor.result(o, reducedShape(a.shape, mask, keepDims), new Sum(a, mask));
  }

  @Override
  public String name() {
    return "sum";
  }

  @Override
  public List<Tensor> inputs() {
    return List.of(a);
  }

  @Override
  public void backward(Tensor out, float[] g, GradSink sink) {
    Shape kept = reducedShape(a.shape, reduced, true);
    Tensor gk = Tensor.wrap(g, kept);
    sink.accumulate(0, Broadcast.apply(Broadcast.Kind.ADD, gk, Tensor.zeros(a.shape.dims()), a.shape));
  }
}

package io.github.maxnorm.tensor;

import java.util.List;

/**
 * The positions {@code [from, to)} along one axis, e.g. a mini-batch of a data set (axis 0), a
 * group of channels, or a cropped image.
 */
final class Slice implements Op {
  private final Tensor a;
  private final int axis;
  private final int from;

  private Slice(Tensor a, int axis, int from) {
    this.a = a;
    this.axis = axis;
    this.from = from;
  }

  static Tensor apply(Tensor a, int axis, int from, int to) {
    if (a.rank() < 1) {
      throw new IllegalArgumentException("slice: requires rank >= 1, received shape " + a.shape);
    }
    int ax = Softmax.axis("slice", a.shape, axis);
    int n = a.shape.raw()[ax];
    if (from < 0 || to > n || from > to) {
      throw new IllegalArgumentException(
          "slice: " + (ax == 0 ? "rows" : "positions") + " [" + from + ", " + to + ") "
              + (ax == 0 ? "" : "of axis " + axis + " ") + "are not within [0, " + n
              + "] of shape " + a.shape);
    }
    Shape out = a.shape.withDim(ax, to - from);
    float[] o = new float[out.size()];
    copyBlocks(a.shape, ax, from, to - from, a.data, o, true);
    return Tensor.result(o, out, new Slice(a, ax, from));
  }

  /**
   * Copies between the whole tensor {@code whole} (of shape {@code s}) and the part that holds
   * {@code count} positions from {@code from} along {@code axis}: into {@code part} when {@code
   * toPart}, else back into {@code whole}.
   */
  private static void copyBlocks(
      Shape s, int axis, int from, int count, float[] whole, float[] part, boolean toPart) {
    int outer = s.sizeBetween(0, axis);
    int inner = s.sizeBetween(axis + 1, s.rank());
    int wholeRow = s.raw()[axis] * inner;
    int partRow = count * inner;
    for (int i = 0; i < outer; i++) {
      int w = i * wholeRow + from * inner;
      if (toPart) {
        System.arraycopy(whole, w, part, i * partRow, partRow);
      } else {
        System.arraycopy(part, i * partRow, whole, w, partRow);
      }
    }
  }

  @Override
  public String name() {
    return "slice";
  }

  @Override
  public List<Tensor> inputs() {
    return List.of(a);
  }

  @Override
  public void backward(Tensor out, float[] g, GradSink sink) {
    float[] ga = new float[a.data.length];
    copyBlocks(a.shape, axis, from, out.shape.raw()[axis], ga, g, false);
    sink.accumulate(0, ga);
  }
}

package io.github.maxnorm.tensor;

import java.util.List;

/** Rows {@code [from, to)} along the first axis, e.g. a mini-batch of a data set. */
final class Slice implements Op {
  private final Tensor a;
  private final int offset;

  private Slice(Tensor a, int offset) {
    this.a = a;
    this.offset = offset;
  }

  static Tensor apply(Tensor a, int from, int to) {
    if (a.rank() < 1) {
      throw new IllegalArgumentException("slice: requires rank >= 1, received shape " + a.shape);
    }
    int rows = a.shape.raw()[0];
    if (from < 0 || to > rows || from > to) {
      throw new IllegalArgumentException(
          "slice: rows [" + from + ", " + to + ") are not within [0, " + rows + "] of shape "
              + a.shape);
    }
    int row = a.shape.sizeBetween(1, a.rank());
    float[] o = new float[(to - from) * row];
    System.arraycopy(a.data, from * row, o, 0, o.length);
    return Tensor.result(o, a.shape.withDim(0, to - from), new Slice(a, from * row));
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
    System.arraycopy(g, 0, ga, offset, g.length);
    sink.accumulate(0, ga);
  }
}

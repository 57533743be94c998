package io.github.maxnorm.tensor;

import java.util.List;

/** Joins tensors along one axis; all other axes must agree. */
final class Concat implements Op {
  private final List<Tensor> parts;
  private final int axis;

  private Concat(List<Tensor> parts, int axis) {
    this.parts = parts;
    this.axis = axis;
  }

  static Tensor apply(List<Tensor> parts, int axis) {
    if (parts == null || parts.isEmpty()) {
      throw new IllegalArgumentException("concat: needs at least one tensor, received none");
    }
    for (int k = 0; k < parts.size(); k++) {
      if (parts.get(k) == null) {
        throw new IllegalArgumentException("concat: part " + k + " is null");
      }
    }
    List<Tensor> list = List.copyOf(parts);
    Shape first = list.get(0).shape;
    int ax = Softmax.axis("concat", first, axis);
    int total = 0;
    for (int k = 0; k < list.size(); k++) {
      Shape s = list.get(k).shape;
      boolean ok = s.rank() == first.rank();
      for (int d = 0; ok && d < s.rank(); d++) {
        ok = d == ax || s.raw()[d] == first.raw()[d];
      }
      if (!ok) {
        throw new IllegalArgumentException(
            "concat: part " + k + " has shape " + s + ", which does not match part 0's shape "
                + first + " outside axis " + axis);
      }
      total += s.raw()[ax];
    }
    Shape out = first.withDim(ax, total);
    int outer = first.sizeBetween(0, ax);
    int inner = first.sizeBetween(ax + 1, first.rank());
    int outRow = total * inner;
    float[] o = new float[out.size()];
    int at = 0;
    for (Tensor t : list) {
      int block = t.shape.raw()[ax] * inner;
      for (int i = 0; i < outer; i++) {
        System.arraycopy(t.data, i * block, o, i * outRow + at, block);
      }
      at += block;
    }
    return Tensor.result(o, out, new Concat(list, ax));
  }

  @Override
  public String name() {
    return "concat";
  }

  @Override
  public List<Tensor> inputs() {
    return parts;
  }

  @Override
  public void backward(Tensor out, float[] g, GradSink sink) {
    Shape s = out.shape;
    int outer = s.sizeBetween(0, axis);
    int inner = s.sizeBetween(axis + 1, s.rank());
    int outRow = s.raw()[axis] * inner;
    int at = 0;
    for (int k = 0; k < parts.size(); k++) {
      Tensor t = parts.get(k);
      int block = t.shape.raw()[axis] * inner;
      if (sink.needs(k)) {
        float[] gk = new float[t.data.length];
        for (int i = 0; i < outer; i++) {
          System.arraycopy(g, i * outRow + at, gk, i * block, block);
        }
        sink.accumulate(k, gk);
      }
      at += block;
    }
  }
}

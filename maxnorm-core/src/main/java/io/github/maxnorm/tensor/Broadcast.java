package io.github.maxnorm.tensor;

/**
 * NumPy-style broadcasting for the elementwise binary ops: the forward loops and the reduction of a
 * gradient back to an operand's shape. Iterates the output row-major with an odometer over the
 * outer axes and a strided inner loop over the last axis, so a bias add ({@code [n, c] + [c]}) and a
 * scalar operand run without index tables.
 */
final class Broadcast {
  enum Kind {
    ADD,
    SUB,
    MUL,
    DIV
  }

  private Broadcast() {}

  /** Strides of {@code in} aligned to {@code out}'s axes, 0 where {@code in} is broadcast. */
  static int[] alignedStrides(Shape in, Shape out) {
    int r = out.rank();
    int[] s = new int[r];
    int[] inStrides = in.strides();
    int shift = r - in.rank();
    for (int i = 0; i < in.rank(); i++) {
      s[i + shift] = in.raw()[i] == 1 && out.raw()[i + shift] != 1 ? 0 : inStrides[i];
    }
    return s;
  }

  static float[] apply(Kind kind, Tensor a, Tensor b, Shape out) {
    float[] o = new float[out.size()];
    float[] x = a.data;
    float[] y = b.data;
    if (a.shape.equals(out) && b.shape.equals(out)) {
      inner(kind, x, 0, 1, y, 0, 1, o, 0, o.length);
      return o;
    }
    if (out.size() == 0) {
      return o;
    }
    int r = out.rank();
    int[] sa = alignedStrides(a.shape, out);
    int[] sb = alignedStrides(b.shape, out);
    int[] dims = out.raw();
    int last = r == 0 ? 1 : dims[r - 1];
    int lastA = r == 0 ? 0 : sa[r - 1];
    int lastB = r == 0 ? 0 : sb[r - 1];
    int[] idx = new int[Math.max(r - 1, 0)];
    int offA = 0;
    int offB = 0;
    for (int pos = 0; pos < o.length; pos += last) {
      inner(kind, x, offA, lastA, y, offB, lastB, o, pos, last);
      for (int d = r - 2; d >= 0; d--) {
        idx[d]++;
        offA += sa[d];
        offB += sb[d];
        if (idx[d] < dims[d]) {
          break;
        }
        offA -= sa[d] * dims[d];
        offB -= sb[d] * dims[d];
        idx[d] = 0;
      }
    }
    return o;
  }

  private static void inner(
      Kind kind, float[] x, int ox, int sx, float[] y, int oy, int sy, float[] o, int oo, int n) {
    switch (kind) {
      case ADD -> {
        for (int j = 0; j < n; j++) {
          o[oo + j] = x[ox + j * sx] + y[oy + j * sy];
        }
      }
      case SUB -> {
        for (int j = 0; j < n; j++) {
          o[oo + j] = x[ox + j * sx] - y[oy + j * sy];
        }
      }
      case MUL -> {
        for (int j = 0; j < n; j++) {
          o[oo + j] = x[ox + j * sx] * y[oy + j * sy];
        }
      }
      case DIV -> {
        for (int j = 0; j < n; j++) {
          o[oo + j] = x[ox + j * sx] / y[oy + j * sy];
        }
      }
    }
  }

  /**
   * Sums {@code grad} (laid out as {@code out}) over the axes along which {@code in} was broadcast,
   * giving an array laid out as {@code in}. Returns {@code grad} itself when no axis was broadcast.
   */
  static float[] reduceTo(float[] grad, Shape out, Shape in) {
    if (in.equals(out)) {
      return grad;
    }
    float[] g = new float[in.size()];
    if (grad.length == 0) {
      return g;
    }
    int r = out.rank();
    int[] si = alignedStrides(in, out);
    int[] dims = out.raw();
    int last = r == 0 ? 1 : dims[r - 1];
    int lastS = r == 0 ? 0 : si[r - 1];
    int[] idx = new int[Math.max(r - 1, 0)];
    int off = 0;
    for (int pos = 0; pos < grad.length; pos += last) {
      if (lastS == 0) {
        float s = 0f;
        for (int j = 0; j < last; j++) {
          s += grad[pos + j];
        }
        g[off] += s;
      } else {
        for (int j = 0; j < last; j++) {
          g[off + j] += grad[pos + j];
        }
      }
      for (int d = r - 2; d >= 0; d--) {
        idx[d]++;
        off += si[d];
        if (idx[d] < dims[d]) {
          break;
        }
        off -= si[d] * dims[d];
        idx[d] = 0;
      }
    }
    return g;
  }
}

package io.github.maxnorm.tensor;

import io.github.maxnorm.kernel.Parallel;

/**
 * NumPy-style broadcasting for the elementwise binary ops: the forward loops and the reduction of a
 * gradient back to an operand's shape. Iterates the output row-major with an odometer over the
 * outer axes and a strided inner loop over the last axis, so a bias add ({@code [n, c] + [c]}) and a
 * scalar operand run without index tables.
 */
final class Broadcast {
  enum Kind {
    ADD("add"),
    SUB("sub"),
    MUL("mul"),
    DIV("div"),
    MAX("maximum"),
    MIN("minimum");

    private final String opName;

    Kind(String opName) {
      this.opName = opName;
    }

    String opName() {
      return opName;
    }
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

  /**
   * Whether {@code in}, without its leading axes of size 1, is a nonempty trailing part of {@code
   * out}'s axes, so that broadcasting repeats it as a contiguous block.
   */
  static boolean isSuffix(Shape in, Shape out) {
    int[] d = in.raw();
    int[] od = out.raw();
    int lead = 0;
    while (lead < d.length && d[lead] == 1) {
      lead++;
    }
    int k = d.length - lead;
    if (k == 0 || k > od.length) {
      return false;
    }
    for (int i = 0; i < k; i++) {
      if (d[lead + i] != od[od.length - k + i]) {
        return false;
      }
    }
    return true;
  }

  static float[] apply(Kind kind, Tensor a, Tensor b, Shape out) {
    float[] x = a.data;
    float[] y = b.data;
    if (a.shape.equals(out) && b.shape.equals(out)) {
      // every element is written below
      float[] o = Workspace.uninitialized(out.size());
      Parallel.forRange(o.length, 1, (from, to) -> inner(kind, x, from, 1, y, from, 1, o, from,
          to - from));
      return o;
    }
    if (out.size() == 0) {
      return new float[0];
    }
    if (a.shape.equals(out) && isSuffix(b.shape, out) && b.shape.size() > 0) {
      // [..., tail] op [tail] (a bias add): rows of the tail's size, b read contiguously; every
      // element is written
      float[] o = Workspace.uninitialized(out.size());
      int tail = b.shape.size();
      Parallel.forRange(
          o.length / tail,
          tail,
          (from, to) -> {
            for (int row = from; row < to; row++) {
              inner(kind, x, row * tail, 1, y, 0, 1, o, row * tail, tail);
            }
          });
      return o;
    }
    float[] o = Workspace.zeros(out.size());
    int r = out.rank();
    int[] sa = alignedStrides(a.shape, out);
    int[] sb = alignedStrides(b.shape, out);
    int[] dims = out.raw();
    int last = r == 0 ? 1 : dims[r - 1];
    int lastA = r == 0 ? 0 : sa[r - 1];
    int lastB = r == 0 ? 0 : sb[r - 1];
    int rows = o.length / last;
    Parallel.forRange(
        rows,
        last,
        (from, to) -> {
          // odometer state of row `from`
          int[] idx = new int[Math.max(r - 1, 0)];
          int offA = 0;
          int offB = 0;
          int rem = from;
          for (int d = r - 2; d >= 0; d--) {
            idx[d] = rem % dims[d];
            rem /= dims[d];
            offA += idx[d] * sa[d];
            offB += idx[d] * sb[d];
          }
          for (int row = from; row < to; row++) {
            inner(kind, x, offA, lastA, y, offB, lastB, o, row * last, last);
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
        });
    return o;
  }

  private static void inner(
      Kind kind, float[] x, int ox, int sx, float[] y, int oy, int sy, float[] o, int oo, int n) {
    if (sx == 1 && sy == 1) {
      // both operands contiguous along the last axis (a bias add): loops the compiler vectorizes
      switch (kind) {
        case ADD -> {
          for (int j = 0; j < n; j++) {
            o[oo + j] = x[ox + j] + y[oy + j];
          }
        }
        case SUB -> {
          for (int j = 0; j < n; j++) {
            o[oo + j] = x[ox + j] - y[oy + j];
          }
        }
        case MUL -> {
          for (int j = 0; j < n; j++) {
            o[oo + j] = x[ox + j] * y[oy + j];
          }
        }
        case DIV -> {
          for (int j = 0; j < n; j++) {
            o[oo + j] = x[ox + j] / y[oy + j];
          }
        }
        default -> {
          for (int j = 0; j < n; j++) {
            o[oo + j] = extreme(kind, x[ox + j], y[oy + j]);
          }
        }
      }
      return;
    }
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
      default -> {
        for (int j = 0; j < n; j++) {
          o[oo + j] = extreme(kind, x[ox + j * sx], y[oy + j * sy]);
        }
      }
    }
  }

  /** {@code max(u, v)} or {@code min(u, v)}; NaN in either operand gives NaN. */
  private static float extreme(Kind kind, float u, float v) {
    return kind == Kind.MAX ? Math.max(u, v) : Math.min(u, v);
  }

  /**
   * Sums {@code grad} (laid out as {@code out}) over the axes along which {@code in} was broadcast,
   * giving an array laid out as {@code in}. Returns {@code grad} itself when no axis was broadcast.
   */
  static float[] reduceTo(float[] grad, Shape out, Shape in) {
    if (in.equals(out)) {
      return grad;
    }
    float[] g = Workspace.zeros(in.size());
    if (grad.length == 0) {
      return g;
    }
    if (isSuffix(in, out) && in.size() > 0) {
      // summing rows of the tail's size: split the tail into column ranges, each summed over the
      // rows in order, so every result element sees the additions of a serial loop in its order
      int tail = in.size();
      int rows = grad.length / tail;
      Parallel.forRange(
          tail,
          rows,
          (j0, j1) -> {
            for (int row = 0, pos = 0; row < rows; row++, pos += tail) {
              for (int j = j0; j < j1; j++) {
                g[j] += grad[pos + j];
              }
            }
          });
      return g;
    }
    int r = out.rank();
    int[] si = alignedStrides(in, out);
    int[] dims = out.raw();
    int last = r == 0 ? 1 : dims[r - 1];
    int lastS = r == 0 ? 0 : si[r - 1];
    if (lastS != 0) {
      // the last axis is kept: split it into column ranges, each summed over all rows in order,
      // so every result element sees the same additions in the same order as a serial loop
      Parallel.forRange(
          last,
          grad.length / last,
          (j0, j1) -> {
            int[] idx = new int[Math.max(r - 1, 0)];
            int off = 0;
            for (int pos = 0; pos < grad.length; pos += last) {
              for (int j = j0; j < j1; j++) {
                g[off + j] += grad[pos + j];
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
          });
      return g;
    }
    int[] idx = new int[Math.max(r - 1, 0)];
    int off = 0;
    for (int pos = 0; pos < grad.length; pos += last) {
      float s = 0f;
      for (int j = 0; j < last; j++) {
        s += grad[pos + j];
      }
      g[off] += s;
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

package io.github.maxnorm.tensor;

import java.util.Arrays;

/**
 * The dimensions of a row-major tensor. A rank-0 shape ({@code []}) holds one element.
 *
 * @param dims the size of each axis, outermost first; copied in and out
 */
public record Shape(int[] dims) {

  public Shape {
    if (dims == null) {
      throw new IllegalArgumentException("Shape: dims must not be null");
    }
    dims = dims.clone();
    long size = 1;
    for (int d : dims) {
      if (d < 0) {
        throw new IllegalArgumentException(
            "Shape: dimensions must be >= 0, received " + Arrays.toString(dims));
      }
      size *= d;
      if (size > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(
            "Shape: more than " + Integer.MAX_VALUE + " elements in " + Arrays.toString(dims));
      }
    }
  }

  public static Shape of(int... dims) {
    return new Shape(dims);
  }

  /** The size of each axis (a copy). */
  @Override
  public int[] dims() {
    return dims.clone();
  }

  public int rank() {
    return dims.length;
  }

  /** The size of axis {@code axis}; negative values count from the end. */
  public int dim(int axis) {
    return dims[normalizeAxis(axis)];
  }

  /** The number of elements. */
  public int size() {
    int s = 1;
    for (int d : dims) {
      s *= d;
    }
    return s;
  }

  /** Maps a possibly negative axis to {@code [0, rank)}, or throws naming the shape. */
  public int normalizeAxis(int axis) {
    int a = axis < 0 ? axis + dims.length : axis;
    if (a < 0 || a >= dims.length) {
      throw new IllegalArgumentException(
          "axis " + axis + " is out of range for shape " + this + " of rank " + dims.length);
    }
    return a;
  }

  /** Row-major strides in elements. */
  public int[] strides() {
    int[] s = new int[dims.length];
    int acc = 1;
    for (int i = dims.length - 1; i >= 0; i--) {
      s[i] = acc;
      acc *= dims[i];
    }
    return s;
  }

  /** The product of the sizes of axes {@code [from, to)}. */
  public int sizeBetween(int from, int to) {
    int s = 1;
    for (int i = from; i < to; i++) {
      s *= dims[i];
    }
    return s;
  }

  /** This shape with axis {@code axis} replaced by {@code size}. */
  public Shape withDim(int axis, int size) {
    int[] d = dims.clone();
    d[normalizeAxis(axis)] = size;
    return new Shape(d);
  }

  /** The broadcast of two shapes under NumPy rules, or an exception naming both and the op. */
  public static Shape broadcast(String op, Shape a, Shape b) {
    int r = Math.max(a.rank(), b.rank());
    int[] out = new int[r];
    for (int i = 0; i < r; i++) {
      int da = i - (r - a.rank()) >= 0 ? a.dims[i - (r - a.rank())] : 1;
      int db = i - (r - b.rank()) >= 0 ? b.dims[i - (r - b.rank())] : 1;
      if (da != db && da != 1 && db != 1) {
        throw new IllegalArgumentException(
            op + ": shapes " + a + " and " + b + " cannot be broadcast (axis " + i + ": " + da
                + " vs " + db + ")");
      }
      out[i] = da == 1 ? db : da;
    }
    return new Shape(out);
  }

  int[] raw() {
    return dims;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Shape s && Arrays.equals(dims, s.dims);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(dims);
  }

  @Override
  public String toString() {
    return Arrays.toString(dims);
  }
}

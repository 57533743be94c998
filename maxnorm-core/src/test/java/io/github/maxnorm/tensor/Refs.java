package io.github.maxnorm.tensor;

import java.util.function.DoubleUnaryOperator;

/** Plain-loop double-precision references for the op tests. */
final class Refs {
  private Refs() {}

  static int[] coords(int flat, int[] dims) {
    int[] c = new int[dims.length];
    for (int d = dims.length - 1; d >= 0; d--) {
      c[d] = flat % dims[d];
      flat /= dims[d];
    }
    return c;
  }

  static int flat(int[] coords, int[] dims) {
    int f = 0;
    for (int d = 0; d < dims.length; d++) {
      f = f * dims[d] + coords[d];
    }
    return f;
  }

  static double[] map(double[] x, DoubleUnaryOperator f) {
    double[] o = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      o[i] = f.applyAsDouble(x[i]);
    }
    return o;
  }

  static boolean[] mask(int rank, int... axes) {
    boolean[] m = new boolean[rank];
    if (axes.length == 0) {
      java.util.Arrays.fill(m, true);
    }
    for (int a : axes) {
      m[a < 0 ? a + rank : a] = true;
    }
    return m;
  }

  /** The output dims (reduced axes dropped) of reducing {@code dims} over {@code mask}. */
  static int[] keptDims(int[] dims, boolean[] mask) {
    return java.util.stream.IntStream.range(0, dims.length)
        .filter(i -> !mask[i])
        .map(i -> dims[i])
        .toArray();
  }

  /** The output index of input element {@code i} under a reduction over {@code mask}. */
  static int outIndex(int i, int[] dims, boolean[] mask) {
    int[] c = coords(i, dims);
    int[] kd = keptDims(dims, mask);
    int[] kc = new int[kd.length];
    int k = 0;
    for (int d = 0; d < dims.length; d++) {
      if (!mask[d]) {
        kc[k++] = c[d];
      }
    }
    return flat(kc, kd);
  }

  static double[] mean(double[] x, int[] dims, boolean[] mask) {
    int[] kd = keptDims(dims, mask);
    int outSize = java.util.Arrays.stream(kd).reduce(1, (p, q) -> p * q);
    double[] s = new double[outSize];
    int[] n = new int[outSize];
    for (int i = 0; i < x.length; i++) {
      int o = outIndex(i, dims, mask);
      s[o] += x[i];
      n[o]++;
    }
    for (int o = 0; o < outSize; o++) {
      s[o] /= n[o];
    }
    return s;
  }

  static double[] max(double[] x, int[] dims, boolean[] mask) {
    int[] kd = keptDims(dims, mask);
    int outSize = java.util.Arrays.stream(kd).reduce(1, (p, q) -> p * q);
    double[] m = new double[outSize];
    java.util.Arrays.fill(m, Double.NEGATIVE_INFINITY);
    for (int i = 0; i < x.length; i++) {
      int o = outIndex(i, dims, mask);
      m[o] = Math.max(m[o], x[i]);
    }
    return m;
  }

  /** Softmax (or log-softmax) along {@code axis} by the textbook formula, in double. */
  static double[] softmax(double[] x, int[] dims, int axis, boolean log) {
    double[] o = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      int[] c = coords(i, dims);
      double denom = 0;
      double max = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < dims[axis]; j++) {
        c[axis] = j;
        max = Math.max(max, x[flat(c, dims)]);
      }
      for (int j = 0; j < dims[axis]; j++) {
        c[axis] = j;
        denom += Math.exp(x[flat(c, dims)] - max);
      }
      o[i] = log ? x[i] - max - Math.log(denom) : Math.exp(x[i] - max) / denom;
    }
    return o;
  }

  static double[] permute(double[] x, int[] dims, int[] axes) {
    int[] od = new int[dims.length];
    for (int i = 0; i < axes.length; i++) {
      od[i] = dims[axes[i]];
    }
    double[] o = new double[x.length];
    for (int p = 0; p < o.length; p++) {
      int[] oc = coords(p, od);
      int[] ic = new int[dims.length];
      for (int i = 0; i < axes.length; i++) {
        ic[axes[i]] = oc[i];
      }
      o[p] = x[flat(ic, dims)];
    }
    return o;
  }
}

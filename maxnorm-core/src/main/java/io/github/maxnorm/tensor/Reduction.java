package io.github.maxnorm.tensor;

/**
 * The index plan of a reduction over a set of axes: for output element {@code o} (row-major over
 * the kept axes), its input elements are {@code base(o) + offsets[r]} for {@code r} in row-major
 * order over the reduced axes. Each output is computed on its own, in a fixed order, so splitting
 * the outputs across threads does not change any result.
 */
final class Reduction {
  final Shape in;
  final boolean[] mask;
  final int outSize;
  /** Offsets of the reduced elements relative to an output's base, row-major. */
  final int[] offsets;
  private final int[] keptDims;
  private final int[] keptStrides;

  Reduction(String op, Shape in, int[] axes) {
    this.in = in;
    this.mask = Sum.axesMask(op, in, axes);
    int[] d = in.raw();
    int[] strides = in.strides();
    int kept = 0;
    for (boolean m : mask) {
      if (!m) {
        kept++;
      }
    }
    keptDims = new int[kept];
    keptStrides = new int[kept];
    int[] redDims = new int[d.length - kept];
    int[] redStrides = new int[d.length - kept];
    int k = 0;
    int r = 0;
    int out = 1;
    int red = 1;
    for (int i = 0; i < d.length; i++) {
      if (mask[i]) {
        redDims[r] = d[i];
        redStrides[r++] = strides[i];
        red *= d[i];
      } else {
        keptDims[k] = d[i];
        keptStrides[k++] = strides[i];
        out *= d[i];
      }
    }
    outSize = out;
    offsets = new int[red];
    int[] idx = new int[redDims.length];
    int off = 0;
    for (int p = 0; p < red; p++) {
      offsets[p] = off;
      for (int q = redDims.length - 1; q >= 0; q--) {
        idx[q]++;
        off += redStrides[q];
        if (idx[q] < redDims[q]) {
          break;
        }
        off -= redStrides[q] * redDims[q];
        idx[q] = 0;
      }
    }
  }

  /** The number of input elements reduced into each output. */
  int count() {
    return offsets.length;
  }

  Shape outShape(boolean keepDims) {
    return Sum.reducedShape(in, mask, keepDims);
  }

  /** The input offset of the first element reduced into output {@code o}. */
  int base(int o) {
    int off = 0;
    for (int q = keptDims.length - 1; q >= 0; q--) {
      off += (o % keptDims[q]) * keptStrides[q];
      o /= keptDims[q];
    }
    return off;
  }
}

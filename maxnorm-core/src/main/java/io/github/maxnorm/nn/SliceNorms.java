package io.github.maxnorm.nn;

import io.github.maxnorm.kernel.Parallel;
import io.github.maxnorm.tensor.Shape;
import java.util.Arrays;

/**
 * The in-place engine behind the norm constraints, bound to one shape and one set of reduced axes.
 *
 * <p>Adjacent axes of the same kind (reduced or kept) are merged and axes of size 1 dropped, so a
 * Dense kernel {@code [in, out]} reduced over axis 0 and a Conv2D kernel {@code [kh, kw, in, out]}
 * reduced over axes 0, 1, 2 are both a {@code [rows, columns]} walk. The data are read in row-major
 * order twice: the first pass adds each element's square to its slice's sum (in double; for a
 * {@code [rows, slices]} walk in float over blocks of {@value #ROW_BLOCK} rows first), the second
 * multiplies each element of a changed slice by that slice's factor (in float). The scratch arrays
 * are allocated once, at binding, so applying allocates nothing; an instance is therefore not
 * thread-safe.
 */
final class SliceNorms {
  /** Turns a slice norm into the factor its elements are multiplied by. */
  interface Rule {
    /** The factor for a finite, nonzero norm under exact projection; exactly 1.0 means unchanged. */
    double exactFactor(double norm);

    /** Keras's factor {@code desired / (1e-7 + norm)} for any norm. */
    double kerasFactor(double norm);
  }

  /** Keras's epsilon in the constraint formula. */
  static final double KERAS_EPSILON = 1e-7;

  private final int[] dims;
  private final int[] sliceStride;
  private final int[] odometer;
  private final int size;
  private final int slices;
  private final double[] sums;
  private final float[] factors;
  /** The indices of the slices whose factor is not 1, in increasing order (scratch). */
  private final int[] changed;
  /** Float partial sums of a block of rows, one per column (scratch of {@link #addRowBlock}). */
  private final float[] partial;

  SliceNorms(Shape shape, boolean[] reduced) {
    int[] d = shape.dims();
    int[] md = new int[d.length + 1];
    boolean[] mr = new boolean[d.length + 1];
    int m = 0;
    int nSlices = 1;
    for (int i = 0; i < d.length; i++) {
      if (!reduced[i]) {
        nSlices *= d[i];
      }
      if (d[i] == 1) {
        continue;
      }
      if (m > 0 && mr[m - 1] == reduced[i]) {
        md[m - 1] *= d[i];
      } else {
        md[m] = d[i];
        mr[m] = reduced[i];
        m++;
      }
    }
    if (m == 0) {
      md[0] = 1;
      mr[0] = true;
      m = 1;
    }
    this.dims = Arrays.copyOf(md, m);
    this.sliceStride = new int[m];
    int stride = 1;
    for (int i = m - 1; i >= 0; i--) {
      if (!mr[i]) {
        sliceStride[i] = stride;
        stride *= md[i];
      }
    }
    this.odometer = new int[m];
    this.size = shape.size();
    this.slices = size == 0 ? 0 : nSlices;
    this.sums = new double[slices];
    this.factors = new float[slices];
    this.changed = new int[slices];
    this.partial = new float[isColumnWalk() ? dims[1] : 0];
  }

  int slices() {
    return slices;
  }

  /** Applies {@code rule} to {@code data} in place and reports what changed. */
  ConstraintActivity apply(float[] data, Rule rule, boolean keras) {
    checkLength(data);
    if (slices == 0) {
      return ConstraintActivity.NONE;
    }
    Arrays.fill(sums, 0.0);
    sumSquares(data);
    return finish(data, rule, keras);
  }

  /**
   * Runs the elementwise {@code update} over {@code data}, then applies {@code rule}: the result of
   * {@link #apply} after a full update, bit for bit. When the slices are the columns of a {@code
   * [rows, slices]} walk, the update runs one row segment at a time and the segment's squares are
   * added while it is still in cache, so the weights are read from memory once instead of twice;
   * each slice still sums its rows in row order.
   */
  ConstraintActivity applyAfter(float[] data, Parallel.RangeBody update, Rule rule, boolean keras) {
    checkLength(data);
    if (slices == 0 || !isColumnWalk()) {
      Parallel.forRange(data.length, 1, update);
      return apply(data, rule, keras);
    }
    Arrays.fill(sums, 0.0);
    int rows = dims[0];
    int cols = dims[1];
    // columns in blocks of 16 (one cache line of floats), so that two threads rarely write to the
    // same line of the weights or the optimizer's slots
    int blocks = (cols + COLUMN_BLOCK - 1) / COLUMN_BLOCK;
    Parallel.forRange(
        blocks,
        rows * Math.min(cols, COLUMN_BLOCK),
        (b0, b1) -> addColumns(data, b0 * COLUMN_BLOCK, Math.min(cols, b1 * COLUMN_BLOCK), update));
    return finish(data, rule, keras);
  }

  private static final int COLUMN_BLOCK = 16;

  /** Rows whose squares are summed in float before they are added to a column's double sum. */
  static final int ROW_BLOCK = 8;

  /**
   * Adds the squares of rows {@code [r0, r1)} (at most {@link #ROW_BLOCK} of them), columns {@code
   * [j0, j1)}, of a {@code [rows, cols]} column walk to the column sums: summed in float over the
   * rows in order (a loop the JIT vectorizes), then added to the double sums. Each block adds a
   * relative error of at most {@code ROW_BLOCK} float roundings, below the rounding of the scaled
   * weights themselves. When {@code update} is given it is first run over each row segment, so the
   * squares are read while the new values are still in cache. Concurrent callers must work on
   * disjoint column ranges (the float partial sums are indexed by column).
   */
  private void addRowBlock(
      float[] data, int cols, int r0, int r1, int j0, int j1, Parallel.RangeBody update) {
    float[] part = partial;
    int pos = r0 * cols;
    if (update != null) {
      update.run(pos + j0, pos + j1);
    }
    for (int j = j0; j < j1; j++) {
      float x = data[pos + j];
      part[j] = x * x;
    }
    for (int o = r0 + 1; o < r1; o++) {
      pos += cols;
      if (update != null) {
        update.run(pos + j0, pos + j1);
      }
      for (int j = j0; j < j1; j++) {
        float x = data[pos + j];
        part[j] += x * x;
      }
    }
    double[] sm = sums;
    for (int j = j0; j < j1; j++) {
      sm[j] += part[j];
    }
  }

  /** {@link #addRowBlock} over all rows, columns {@code [j0, j1)}. */
  private void addColumns(float[] data, int j0, int j1, Parallel.RangeBody update) {
    int rows = dims[0];
    int cols = dims[1];
    for (int r = 0; r < rows; r += ROW_BLOCK) {
      addRowBlock(data, cols, r, Math.min(rows, r + ROW_BLOCK), j0, j1, update);
    }
  }

  private void checkLength(float[] data) {
    if (data.length != size) {
      throw new IllegalStateException(
          "constraint bound to " + size + " elements applied to " + data.length);
    }
  }

  /** Whether the merged walk is {@code [rows, slices]}: one slice per column. */
  private boolean isColumnWalk() {
    return dims.length == 2 && !isReducedInner();
  }

  /** Turns the summed squares into factors, scales the changed slices and reports. */
  private ConstraintActivity finish(float[] data, Rule rule, boolean keras) {
    int projected = 0;
    int nonFinite = 0;
    double maxBefore = 0.0;
    for (int s = 0; s < slices; s++) {
      double n = Math.sqrt(sums[s]);
      double f;
      if (!Double.isFinite(n)) {
        nonFinite++;
        f = keras ? rule.kerasFactor(n) : 1.0;
      } else {
        maxBefore = Math.max(maxBefore, n);
        f = n == 0.0 ? 1.0 : keras ? rule.kerasFactor(n) : rule.exactFactor(n);
      }
      float ff = (float) f;
      factors[s] = ff;
      if (ff != 1f) {
        changed[projected] = s;
        projected++;
      }
    }
    if (projected > 0) {
      scale(data, projected);
    }
    return new ConstraintActivity(slices, projected, nonFinite, maxBefore);
  }

  private void sumSquares(float[] data) {
    int m = dims.length;
    int inner = dims[m - 1];
    boolean innerKept = !isReducedInner();
    if (m == 2 && innerKept) {
      // [rows, slices]: split the slices into ranges, each summed over all rows in order, so
      // every sum sees the same additions in the same order as the serial walk
      Parallel.forRange(inner, dims[0], (j0, j1) -> addColumns(data, j0, j1, null));
      return;
    }
    Arrays.fill(odometer, 0);
    int base = 0;
    int outer = size / inner;
    int pos = 0;
    double[] sm = sums;
    for (int o = 0; o < outer; o++) {
      if (innerKept) {
        for (int j = 0; j < inner; j++) {
          double x = data[pos + j];
          sm[base + j] += x * x;
        }
      } else {
        // four independent sums break the add chain; combined in a fixed order
        double a0 = 0.0;
        double a1 = 0.0;
        double a2 = 0.0;
        double a3 = 0.0;
        int j = 0;
        for (; j + 3 < inner; j += 4) {
          double x0 = data[pos + j];
          double x1 = data[pos + j + 1];
          double x2 = data[pos + j + 2];
          double x3 = data[pos + j + 3];
          a0 += x0 * x0;
          a1 += x1 * x1;
          a2 += x2 * x2;
          a3 += x3 * x3;
        }
        for (; j < inner; j++) {
          double x = data[pos + j];
          a0 += x * x;
        }
        sm[base] += (a0 + a1) + (a2 + a3);
      }
      pos += inner;
      base = advance(base);
    }
  }

  private void scale(float[] data, int nChanged) {
    int m = dims.length;
    int inner = dims[m - 1];
    boolean innerKept = !isReducedInner();
    if (m == 2 && innerKept && nChanged * 8 < inner) {
      // few changed columns: touch only them (multiplying the others by 1 would change nothing)
      float[] fs = factors;
      int[] idx = changed;
      Parallel.forRange(
          dims[0],
          nChanged,
          (r0, r1) -> {
            for (int o = r0, pos = r0 * inner; o < r1; o++, pos += inner) {
              for (int k = 0; k < nChanged; k++) {
                int j = idx[k];
                data[pos + j] *= fs[j];
              }
            }
          });
      return;
    }
    if (m == 2 && innerKept) {
      float[] fs = factors;
      Parallel.forRange(
          dims[0],
          inner,
          (r0, r1) -> {
            for (int o = r0, pos = r0 * inner; o < r1; o++, pos += inner) {
              for (int j = 0; j < inner; j++) {
                data[pos + j] *= fs[j];
              }
            }
          });
      return;
    }
    Arrays.fill(odometer, 0);
    int base = 0;
    int outer = size / inner;
    int pos = 0;
    float[] fs = factors;
    for (int o = 0; o < outer; o++) {
      if (innerKept) {
        for (int j = 0; j < inner; j++) {
          data[pos + j] *= fs[base + j];
        }
      } else {
        float f = fs[base];
        if (f != 1f) {
          for (int j = 0; j < inner; j++) {
            data[pos + j] *= f;
          }
        }
      }
      pos += inner;
      base = advance(base);
    }
  }

  private boolean isReducedInner() {
    return sliceStride[dims.length - 1] == 0;
  }

  /** Steps the odometer over the outer blocks and returns the new slice base index. */
  private int advance(int base) {
    for (int k = dims.length - 2; k >= 0; k--) {
      odometer[k]++;
      base += sliceStride[k];
      if (odometer[k] < dims[k]) {
        return base;
      }
      base -= sliceStride[k] * dims[k];
      odometer[k] = 0;
    }
    return base;
  }
}

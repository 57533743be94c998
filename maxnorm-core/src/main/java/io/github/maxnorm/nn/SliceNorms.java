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
 * order twice: the first pass adds each element's square (in double) to its slice's sum (for a
 * {@code [rows, columns]} walk, within blocks of {@link #BLOCK_ROWS} rows whose sums are then added
 * in block order), the second multiplies each element of a changed slice by that slice's factor (in
 * float). The scratch arrays
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
  /**
   * For a {@code [rows, slices]} walk: each block of {@link #BLOCK_ROWS} rows' own column sums,
   * block after block (scratch); empty for other walks.
   */
  private final double[] blockSums;

  /**
   * The rows of a {@code [rows, slices]} walk are summed in blocks of this many: each block's
   * squares are added in row order into sums of its own, and the block sums are then added in
   * block order. The blocks are what lets the optimizer's update and the norm pass share one walk
   * over the kernel, split across threads by block, with results that do not depend on the split.
   */
  static final int BLOCK_ROWS = 64;

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
    this.blockSums =
        isColumnWalk() && size > 0 ? new double[blocks(dims[0]) * dims[1]] : new double[0];
  }

  private static int blocks(int rows) {
    return (rows + BLOCK_ROWS - 1) / BLOCK_ROWS;
  }

  int slices() {
    return slices;
  }

  /** Applies {@code rule} to {@code data} in place and reports what changed. */
  ConstraintActivity apply(float[] data, Rule rule, boolean keras) {
    if (data.length != size) {
      throw new IllegalStateException(
          "constraint bound to " + size + " elements applied to " + data.length);
    }
    if (slices == 0) {
      return ConstraintActivity.NONE;
    }
    Arrays.fill(sums, 0.0);
    if (isColumnWalk()) {
      int rows = dims[0];
      int cols = dims[1];
      Parallel.forRange(
          blocks(rows), BLOCK_ROWS * cols, (b0, b1) -> sumBlocks(data, rows, cols, b0, b1));
      addBlockSums(rows, cols);
    } else {
      sumSquares(data);
    }
    return finish(data, rule, keras);
  }

  /**
   * Runs {@code update} over all of {@code data} (an optimizer's elementwise update, see {@code
   * OptimizerConfig.updater}) and then applies {@code rule}: the same result, bit for bit, as
   * running the update over {@code [0, data.length)} and then {@link #apply}. For a {@code [rows,
   * slices]} walk (every Dense and Conv2D kernel under a per-unit constraint) the two share one walk
   * over the kernel: each block of rows is updated and then summed while it is still in cache,
   * instead of a second pass reading the whole kernel back from memory.
   */
  ConstraintActivity applyAfter(float[] data, Parallel.RangeBody update, Rule rule, boolean keras) {
    if (data.length != size) {
      throw new IllegalStateException(
          "constraint bound to " + size + " elements applied to " + data.length);
    }
    if (slices == 0 || !isColumnWalk()) {
      Parallel.forRange(data.length, 1, update);
      return apply(data, rule, keras);
    }
    int rows = dims[0];
    int cols = dims[1];
    Parallel.forRange(
        blocks(rows),
        BLOCK_ROWS * cols,
        (b0, b1) -> {
          for (int b = b0; b < b1; b++) {
            int r0 = b * BLOCK_ROWS;
            update.run(r0 * cols, Math.min(rows, r0 + BLOCK_ROWS) * cols);
            sumBlocks(data, rows, cols, b, b + 1);
          }
        });
    Arrays.fill(sums, 0.0);
    addBlockSums(rows, cols);
    return finish(data, rule, keras);
  }

  /** Whether the walk is {@code [rows, slices]}: slices along the inner axis, rows reduced. */
  private boolean isColumnWalk() {
    return dims.length == 2 && !isReducedInner();
  }

  /** Each block's column sums, for blocks {@code [b0, b1)}, each in row order from zero. */
  private void sumBlocks(float[] data, int rows, int cols, int b0, int b1) {
    double[] bs = blockSums;
    for (int b = b0; b < b1; b++) {
      int off = b * cols;
      Arrays.fill(bs, off, off + cols, 0.0);
      int r0 = b * BLOCK_ROWS;
      sumColumns(data, r0, Math.min(rows, r0 + BLOCK_ROWS), cols, off, bs);
    }
  }

  /** Adds the block sums into {@link #sums} in block order. */
  private void addBlockSums(int rows, int cols) {
    double[] sm = sums;
    double[] bs = blockSums;
    for (int b = 0, nb = blocks(rows); b < nb; b++) {
      int off = b * cols;
      for (int j = 0; j < cols; j++) {
        sm[j] += bs[off + j];
      }
    }
  }

  /** From the sums of squares: the factors, the scaling of the changed slices, and the report. */
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

  /**
   * Adds the squares of rows {@code [r0, r1)} of a row-major {@code [rows, cols]} matrix to {@code
   * sums[off + j]}, column j, row by row. The column loop runs over an index range given as
   * parameters on purpose: on JDK 17 the same loop written from the constant 0 ran three times
   * slower (0.96 against 0.32 ns per element over a 1024 x 1024 kernel in a standalone timing; on
   * JDK 25 both forms run at 0.10 ns; docs/performance.md).
   */
  private static void sumColumns(float[] data, int r0, int r1, int cols, int off, double[] sums) {
    for (int o = r0, pos = r0 * cols; o < r1; o++, pos += cols) {
      addSquares(data, pos, sums, off, off + cols);
    }
  }

  /** {@code sums[k] += data[pos + k - k0]^2} for k in {@code [k0, k1)}, in double. */
  private static void addSquares(float[] data, int pos, double[] sums, int k0, int k1) {
    int shift = pos - k0;
    for (int k = k0; k < k1; k++) {
      double x = data[shift + k];
      sums[k] += x * x;
    }
  }

  private void scale(float[] data, int nChanged) {
    int inner = dims[dims.length - 1];
    boolean innerKept = !isReducedInner();
    if (isColumnWalk() && nChanged * 8 < inner) {
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
    if (isColumnWalk()) {
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

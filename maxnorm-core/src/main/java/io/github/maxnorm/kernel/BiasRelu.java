package io.github.maxnorm.kernel;

/**
 * The epilogue of a product or convolution computed in float32 by Java loops: a bias added to each
 * row and an optional ReLU, in place. (In bfloat16, oneDNN applies the same epilogue inside its
 * primitives: one rounding of the sum, then the ReLU.)
 */
public final class BiasRelu {
  private BiasRelu() {}

  /**
   * {@code c[i][j] = relu?(c[i][j] + bias[j])} for {@code rows} rows of {@code cols} values from
   * {@code offset}, {@code ld} apart; {@code bias} may be null. Rows are split across the kernel
   * threads; every element is computed on its own.
   */
  public static void apply(float[] c, int offset, int rows, int cols, int ld, float[] bias,
      boolean relu) {
    if (bias == null && !relu) {
      return;
    }
    Parallel.forRange(rows, cols, (from, to) -> {
      for (int i = from; i < to; i++) {
        int row = offset + i * ld;
        for (int j = 0; j < cols; j++) {
          float v = bias == null ? c[row + j] : c[row + j] + bias[j];
          c[row + j] = relu ? relu(v) : v;
        }
      }
    });
  }

  /**
   * {@code v < 0f ? 0f : v} without a branch (the sign of an activation is a coin flip, which a
   * branch mispredicts half the time). {@code v < 0f} holds exactly for the bit patterns {@code
   * 0x80000001 .. 0xff800000} (negative, nonzero, not NaN), a range tested as one unsigned
   * comparison done in long arithmetic.
   */
  public static float relu(float v) {
    int b = Float.floatToRawIntBits(v);
    long d = (b & 0xffffffffL) - 0x80000001L;
    int negative = (int) ((~d & (d - 0x7f800000L)) >> 63);
    return Float.intBitsToFloat(b & ~negative);
  }

  /**
   * {@code x > 0f ? g : 0f} without a branch: {@code x > 0f} holds exactly for the bit patterns
   * {@code 0x00000001 .. 0x7f800000} (positive, nonzero, not NaN).
   */
  public static float passIfPositive(float x, float g) {
    long d = (Float.floatToRawIntBits(x) - 1) & 0xffffffffL;
    int positive = (int) ((d - 0x7f800000L) >> 63);
    return Float.intBitsToFloat(Float.floatToRawIntBits(g) & positive);
  }

  /** Rows per block of the bias gradient's partial sums. */
  public static final int BLOCK_ROWS = 256;

  private static final ThreadLocal<float[][]> PARTIAL = ThreadLocal.withInitial(() ->
      new float[][] {new float[0]});

  /**
   * The backward pass of {@link #apply}: given the epilogue's output {@code out} and the gradient
   * {@code g} of it (rows of {@code columns} values), writes the gradient before the ReLU to {@code
   * gz} ({@code g} where the output is positive, else 0; a ReLU output is positive exactly where
   * its input is) when {@code relu}, and the bias gradient, the column sums of that gradient, to
   * {@code biasGrad} unless it is null.
   *
   * <p>The column sums are taken in blocks of {@link #BLOCK_ROWS} rows (rows in order within a
   * block, then the block sums in block order), so the order of the additions does not depend on
   * how the rows are split across threads, and each thread writes whole rows. Up to {@link
   * #BLOCK_ROWS} rows this is the plain sum over the rows in order.
   *
   * @param gz where the gradient before the ReLU goes when {@code relu}; ignored otherwise
   */
  public static void backward(float[] out, float[] g, int columns, boolean relu, float[] gz,
      float[] biasGrad) {
    if (!relu && biasGrad == null) {
      return;
    }
    float[] pre = relu ? gz : g;
    int rows = columns == 0 ? 0 : g.length / columns;
    int blocks = (rows + BLOCK_ROWS - 1) / BLOCK_ROWS;
    float[] partial = null;
    if (biasGrad != null) {
      float[][] holder = PARTIAL.get();
      if (holder[0].length < blocks * columns) {
        holder[0] = new float[blocks * columns];
      }
      partial = holder[0];
    }
    float[] sums = partial;
    Parallel.forRange(blocks, BLOCK_ROWS * columns, (b0, b1) -> {
      for (int b = b0; b < b1; b++) {
        int r0 = b * BLOCK_ROWS;
        int r1 = Math.min(rows, r0 + BLOCK_ROWS);
        if (relu) {
          for (int i = r0 * columns, end = r1 * columns; i < end; i++) {
            gz[i] = passIfPositive(out[i], g[i]);
          }
        }
        if (sums != null) {
          int p = b * columns;
          System.arraycopy(pre, r0 * columns, sums, p, columns);
          for (int r = r0 + 1, pos = (r0 + 1) * columns; r < r1; r++, pos += columns) {
            for (int j = 0; j < columns; j++) {
              sums[p + j] += pre[pos + j];
            }
          }
        }
      }
    });
    if (biasGrad != null) {
      java.util.Arrays.fill(biasGrad, 0, columns, 0f);
      for (int b = 0; b < blocks; b++) {
        for (int j = 0, p = b * columns; j < columns; j++) {
          biasGrad[j] += sums[p + j];
        }
      }
    }
  }
}

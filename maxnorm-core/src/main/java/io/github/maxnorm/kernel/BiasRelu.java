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
}

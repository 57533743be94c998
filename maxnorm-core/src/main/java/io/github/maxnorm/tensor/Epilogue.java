package io.github.maxnorm.tensor;

import io.github.maxnorm.kernel.Parallel;

/**
 * The backward pass of a bias add followed by an optional ReLU, for the ops that fuse both into
 * their product ({@link Linear}, {@link Conv2D}): the gradient before the ReLU and the bias
 * gradient, in one pass over the output gradient. Rows are the output's last axis; the bias has
 * one value per column.
 */
final class Epilogue {
  private Epilogue() {}

  /** Rows per block of the bias gradient's partial sums. */
  static final int BLOCK_ROWS = 256;

  /**
   * The gradient with respect to the pre-activation values, given the op's output {@code out} and
   * the gradient {@code g} of its output: {@code g} itself without ReLU, else {@code g} where the
   * output is positive and 0 elsewhere (a ReLU output is positive exactly where its input is). When
   * {@code biasGrad} is not null, the gradient's column sums (rows of {@code columns} values) are
   * written there.
   *
   * <p>The column sums are taken in blocks of {@link #BLOCK_ROWS} rows (rows in order within a
   * block, then the block sums in block order), so the order of the additions does not depend on
   * how the rows are split across threads, and each thread writes whole rows.
   */
  static float[] backward(float[] out, float[] g, int columns, boolean relu, float[] biasGrad) {
    if (!relu && biasGrad == null) {
      return g;
    }
    float[] gz = relu ? Workspace.uninitialized(g.length) : g;
    int rows = columns == 0 ? 0 : g.length / columns;
    int blocks = (rows + BLOCK_ROWS - 1) / BLOCK_ROWS;
    float[] partial = biasGrad == null ? null : Workspace.uninitialized(blocks * columns);
    Parallel.forRange(blocks, BLOCK_ROWS * columns, (b0, b1) -> {
      for (int b = b0; b < b1; b++) {
        int r0 = b * BLOCK_ROWS;
        int r1 = Math.min(rows, r0 + BLOCK_ROWS);
        if (relu) {
          for (int i = r0 * columns, end = r1 * columns; i < end; i++) {
            gz[i] = Relu.passIfPositive(out[i], g[i]);
          }
        }
        if (partial != null) {
          int p = b * columns;
          System.arraycopy(gz, r0 * columns, partial, p, columns);
          for (int r = r0 + 1, pos = (r0 + 1) * columns; r < r1; r++, pos += columns) {
            for (int j = 0; j < columns; j++) {
              partial[p + j] += gz[pos + j];
            }
          }
        }
      }
    });
    if (biasGrad != null) {
      java.util.Arrays.fill(biasGrad, 0f);
      for (int b = 0; b < blocks; b++) {
        for (int j = 0, p = b * columns; j < columns; j++) {
          biasGrad[j] += partial[p + j];
        }
      }
    }
    return gz;
  }
}

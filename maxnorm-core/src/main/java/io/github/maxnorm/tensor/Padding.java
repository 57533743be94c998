package io.github.maxnorm.tensor;

/**
 * How a sliding window (convolution or pooling) treats the border of its input, with Keras's
 * meaning of {@code "same"} and {@code "valid"}.
 *
 * <p>Along one axis of size {@code in}, with window {@code k} and stride {@code s}:
 *
 * <ul>
 *   <li>{@link #VALID}: no padding; the output has {@code floor((in - k) / s) + 1} positions, which
 *       is less than 1 when the window does not fit.
 *   <li>{@link #SAME}: the output has {@code ceil(in / s)} positions; the input is padded by
 *       {@code max((out - 1) * s + k - in, 0)} cells in total, half of them (rounded down) before
 *       and the rest after.
 * </ul>
 */
public enum Padding {
  /** Pad so that the output has {@code ceil(in / stride)} positions. */
  SAME,
  /** No padding: only windows that lie entirely inside the input. */
  VALID;

  /**
   * The number of output positions along one axis; may be less than 1 for {@link #VALID} when the
   * window is larger than the input.
   */
  public int outputSize(int in, int window, int stride) {
    checkArgs(in, window, stride);
    return switch (this) {
      case SAME -> (in + stride - 1) / stride;
      case VALID -> Math.floorDiv(in - window, stride) + 1;
    };
  }

  /** The number of padding cells before the first input cell along one axis. */
  public int padBefore(int in, int window, int stride) {
    return totalPad(in, window, stride) / 2;
  }

  /** The number of padding cells after the last input cell along one axis. */
  public int padAfter(int in, int window, int stride) {
    int total = totalPad(in, window, stride);
    return total - total / 2;
  }

  private int totalPad(int in, int window, int stride) {
    checkArgs(in, window, stride);
    if (this == VALID) {
      return 0;
    }
    int out = outputSize(in, window, stride);
    return Math.max((out - 1) * stride + window - in, 0);
  }

  private static void checkArgs(int in, int window, int stride) {
    if (in < 0 || window < 1 || stride < 1) {
      throw new IllegalArgumentException(
          "padding: need input size >= 0, window >= 1 and stride >= 1, received input " + in
              + ", window " + window + ", stride " + stride);
    }
  }
}

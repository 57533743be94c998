package io.github.maxnorm.nn.layers;

import java.util.Arrays;

/** Argument checks shared by the layers. */
final class Layers {
  private Layers() {}

  static int[] checkInputShape(String layer, int[] shape) {
    if (shape == null || shape.length == 0) {
      throw new IllegalArgumentException(layer + ": input shape must have at least one axis");
    }
    for (int d : shape) {
      if (d < 1) {
        throw new IllegalArgumentException(
            layer + ": input shape sizes must be >= 1, received " + Arrays.toString(shape));
      }
    }
    return shape.clone();
  }

  static <T> T required(String what, T value) {
    if (value == null) {
      throw new IllegalArgumentException(what + " must not be null");
    }
    return value;
  }

  static int positive(String layer, String what, int v) {
    if (v < 1) {
      throw new IllegalArgumentException(layer + ": " + what + " must be >= 1, received " + v);
    }
    return v;
  }

  static String dataFormat(String layer, String f) {
    if ("channels_last".equals(f) || "channels_first".equals(f)) {
      return f;
    }
    throw new IllegalArgumentException(
        layer + ": data_format must be channels_last or channels_first, received '" + f + "'");
  }

  static io.github.maxnorm.tensor.Padding padding(String layer, String p) {
    if ("same".equalsIgnoreCase(p)) {
      return io.github.maxnorm.tensor.Padding.SAME;
    }
    if ("valid".equalsIgnoreCase(p)) {
      return io.github.maxnorm.tensor.Padding.VALID;
    }
    throw new IllegalArgumentException(
        layer + ": padding must be 'same' or 'valid', received '" + p + "'");
  }

  /** Keras's output size along one spatial axis. */
  static int outSize(String layer, int in, int k, int stride, io.github.maxnorm.tensor.Padding p) {
    int out =
        p == io.github.maxnorm.tensor.Padding.SAME
            ? (in + stride - 1) / stride
            : in < k ? 0 : (in - k) / stride + 1;
    if (out < 1) {
      throw new IllegalArgumentException(
          layer + ": window " + k + " does not fit input size " + in + " with 'valid' padding");
    }
    return out;
  }
}

package io.github.maxnorm.nn.layers;

import io.github.maxnorm.tensor.Padding;
import io.github.maxnorm.tensor.Shape;
import io.github.maxnorm.tensor.Tensor;

/**
 * The layout rules shared by the convolution and pooling layers of rank 1 and 2: per-sample
 * inputs are {@code (steps, channels)} or {@code (height, width, channels)} with {@code
 * channels_last}, channels first with {@code channels_first}; the arithmetic runs on
 * channels-last 4-D batches, a 1-D sequence being an image one row high.
 */
final class Spatial {
  private Spatial() {}

  static String dataFormat(String layer, String f) {
    if ("channels_last".equals(f) || "channels_first".equals(f)) {
      return f;
    }
    throw new IllegalArgumentException(
        layer + ": data_format must be channels_last or channels_first, received '" + f + "'");
  }

  /** Checks that a per-sample input has {@code rank} spatial axes and one channel axis. */
  static void checkRank(String layer, Shape in, int rank) {
    if (in.rank() != rank + 1) {
      throw new IllegalArgumentException(
          layer + " expects rank " + (rank + 2) + " input, received shape " + batchShape(in));
    }
  }

  /** {@code [batch, d0, d1, ...]} for a per-sample shape, for messages. */
  static String batchShape(Shape in) {
    StringBuilder b = new StringBuilder("[batch");
    for (int d : in.dims()) {
      b.append(", ").append(d);
    }
    return b.append(']').toString();
  }

  /** The spatial sizes of a per-sample input, as (height, width); a sequence is 1 high. */
  static int[] sizes(Shape in, int rank, boolean channelsFirst) {
    int[] d = in.dims();
    int from = channelsFirst ? 1 : 0;
    return rank == 1 ? new int[] {1, d[from]} : new int[] {d[from], d[from + 1]};
  }

  static int channels(Shape in, boolean channelsFirst) {
    return channelsFirst ? in.dim(0) : in.dim(-1);
  }

  /** The per-sample shape of {@code rank} spatial sizes (given as height, width) and channels. */
  static Shape shape(int[] hw, int channels, int rank, boolean channelsFirst) {
    int[] s = rank == 1 ? new int[] {hw[1]} : hw;
    int[] d = new int[rank + 1];
    System.arraycopy(s, 0, d, channelsFirst ? 1 : 0, rank);
    d[channelsFirst ? 0 : rank] = channels;
    return Shape.of(d);
  }

  /** A batch as channels-last 4-D: {@code [N, H, W, C]}. */
  static Tensor toNhwc(Tensor x, int rank, boolean channelsFirst) {
    Tensor t = !channelsFirst ? x : rank == 1 ? x.permute(0, 2, 1) : x.permute(0, 2, 3, 1);
    if (rank == 1) {
      int[] d = t.shape().dims();
      return t.reshape(d[0], 1, d[1], d[2]);
    }
    return t;
  }

  /** The inverse of {@link #toNhwc}. */
  static Tensor fromNhwc(Tensor y, int rank, boolean channelsFirst) {
    Tensor t = y;
    if (rank == 1) {
      int[] d = y.shape().dims();
      t = y.reshape(d[0], d[2], d[3]);
      return channelsFirst ? t.permute(0, 2, 1) : t;
    }
    return channelsFirst ? t.permute(0, 3, 1, 2) : t;
  }

  /** {@code same}, {@code valid}, or for 1-D convolutions {@code causal}. */
  static String padding(String layer, String p, boolean causalAllowed) {
    String v = p == null ? "" : p.toLowerCase(java.util.Locale.ROOT);
    if (v.equals("same") || v.equals("valid") || (causalAllowed && v.equals("causal"))) {
      return v;
    }
    throw new IllegalArgumentException(
        layer + ": padding must be 'same'" + (causalAllowed ? ", 'valid' or 'causal'" : " or 'valid'")
            + ", received '" + p + "'");
  }

  static Padding mode(String padding) {
    return padding.equals("same") ? Padding.SAME : Padding.VALID;
  }

  /**
   * Keras's output size along one axis for a window of {@code k} cells spread {@code dilation}
   * apart: {@code same} and {@code causal} give {@code ceil(in / stride)}, {@code valid} {@code
   * floor((in - span) / stride) + 1} with span {@code (k - 1) * dilation + 1}.
   */
  static int outSize(String layer, int in, int k, int stride, int dilation, String padding) {
    int span = (k - 1) * dilation + 1;
    int out = padding.equals("valid")
        ? (in < span ? 0 : (in - span) / stride + 1)
        : (in + stride - 1) / stride;
    if (out < 1) {
      throw new IllegalArgumentException(
          layer + ": window " + span + " does not fit input size " + in + " with 'valid' padding");
    }
    return out;
  }

  static int[] positive(String layer, String what, int[] v, int n) {
    if (v == null || v.length != n) {
      throw new IllegalArgumentException(
          layer + ": " + what + " needs " + n + " value" + (n == 1 ? "" : "s") + ", received "
              + (v == null ? "none" : java.util.Arrays.toString(v)));
    }
    for (int x : v) {
      if (x < 1) {
        throw new IllegalArgumentException(
            layer + ": " + what + " must be >= 1, received " + java.util.Arrays.toString(v));
      }
    }
    return v.clone();
  }

  /** {@code [1, v]} for a 1-D layer's value, {@code v} itself for 2-D: the (height, width) pair. */
  static int[] hw(int[] v, int rank) {
    return rank == 1 ? new int[] {1, v[0]} : v;
  }
}

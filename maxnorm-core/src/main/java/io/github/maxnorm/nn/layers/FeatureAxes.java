package io.github.maxnorm.nn.layers;

import io.github.maxnorm.tensor.Shape;
import io.github.maxnorm.tensor.Tensor;
import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * The feature axes of a normalization layer, as Keras counts them (the batch axis is 0, negative
 * values count from the end): per-sample weights have the sizes of these axes and broadcast over
 * the others.
 */
final class FeatureAxes {
  private final String layer;
  private final int[] axes;

  FeatureAxes(String layer, int[] axes) {
    if (axes == null || axes.length == 0) {
      throw new IllegalArgumentException(layer + ": give at least one axis");
    }
    this.layer = layer;
    this.axes = axes.clone();
  }

  /** The axes of a per-sample shape (batch axis excluded, 0-based), validated. */
  int[] sampleAxes(Shape in) {
    int[] r = new int[axes.length];
    for (int i = 0; i < axes.length; i++) {
      int a = axes[i] < 0 ? axes[i] + in.rank() + 1 : axes[i];
      if (a < 1 || a > in.rank()) {
        throw new IllegalArgumentException(
            layer + ": axis " + axes[i] + " is out of range for input " + Spatial.batchShape(in));
      }
      r[i] = a - 1;
    }
    return r;
  }

  /** The sizes of the feature axes. */
  Shape paramShape(Shape in) {
    int[] ax = sampleAxes(in);
    int[] d = new int[ax.length];
    for (int i = 0; i < ax.length; i++) {
      d[i] = in.dim(ax[i]);
    }
    return Shape.of(d);
  }

  /** {@code t} (of the feature axes' sizes) shaped to broadcast against a batch of {@code in}. */
  Tensor broadcastable(Tensor t, Shape in) {
    int[] d = new int[in.rank() + 1];
    Arrays.fill(d, 1);
    for (int a : sampleAxes(in)) {
      d[a + 1] = in.dim(a);
    }
    return t.reshape(d);
  }

  /** The axes of a batch that are not feature axes, the batch axis 0 included or not. */
  int[] reducedAxes(Shape in, boolean withBatch) {
    int[] feature = sampleAxes(in);
    return IntStream.range(withBatch ? 0 : 1, in.rank() + 1)
        .filter(a -> Arrays.stream(feature).noneMatch(f -> f + 1 == a)).toArray();
  }

  /** The feature axes of a batch. */
  int[] batchAxes(Shape in) {
    return Arrays.stream(sampleAxes(in)).map(a -> a + 1).toArray();
  }

  /** Keras's {@code axis} config value: one number, or a list. */
  Object config() {
    return axes.length == 1 ? (Object) axes[0] : ConvLayer.list(axes);
  }

  /** The {@code axis} of a config (one number or a list), -1 when absent. */
  static int[] read(LayerConfig c) {
    int[] a = c.intList("axis");
    return a == null ? new int[] {-1} : a;
  }
}

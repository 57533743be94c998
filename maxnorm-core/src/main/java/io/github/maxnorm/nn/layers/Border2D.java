package io.github.maxnorm.nn.layers;

import io.github.maxnorm.nn.Config;
import io.github.maxnorm.nn.ForwardContext;
import io.github.maxnorm.tensor.Shape;
import io.github.maxnorm.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * Adds zeros around an image (ZeroPadding2D) or cuts its border away (Cropping2D): {@code top,
 * bottom, left, right} cells, given as Keras does: one number for all four, {@code (rows, cols)}
 * symmetric, or {@code ((top, bottom), (left, right))}.
 *
 * @param <L> the concrete layer type
 */
public abstract class Border2D<L extends Border2D<L>> extends SpatialLayer<L> {
  private final boolean pad;
  private final int[] amounts;

  Border2D(String className, boolean pad, int... amounts) {
    super(className);
    this.pad = pad;
    int[] a = switch (amounts.length) {
      case 1 -> new int[] {amounts[0], amounts[0], amounts[0], amounts[0]};
      case 2 -> new int[] {amounts[0], amounts[0], amounts[1], amounts[1]};
      case 4 -> amounts.clone();
      default -> throw new IllegalArgumentException(
          className + ": give 1, 2 or 4 sizes (top, bottom, left, right), received "
              + amounts.length);
    };
    for (int v : a) {
      if (v < 0) {
        throw new IllegalArgumentException(
            className + ": sizes must be >= 0, received " + java.util.Arrays.toString(a));
      }
    }
    this.amounts = a;
  }

  private int axis(int i) {
    return (channelsFirst() ? 1 : 0) + i;
  }

  @Override
  protected Shape computeOutputShape(Shape in) {
    Spatial.checkRank(className(), in, 2);
    Shape out = in;
    for (int i = 0; i < 2; i++) {
      int d = in.dim(axis(i));
      int size = pad ? d + amounts[2 * i] + amounts[2 * i + 1]
          : d - amounts[2 * i] - amounts[2 * i + 1];
      if (size < 1) {
        throw new IllegalArgumentException(
            name() + ": cropping " + java.util.Arrays.toString(amounts) + " leaves nothing of "
                + in);
      }
      out = out.withDim(axis(i), size);
    }
    return out;
  }

  @Override
  protected Tensor call(Tensor x, ForwardContext ctx) {
    Tensor y = x;
    for (int i = 0; i < 2; i++) {
      int ax = axis(i) + 1;
      int before = amounts[2 * i];
      int after = amounts[2 * i + 1];
      y = pad ? y.pad(ax, before, after)
          : y.slice(ax, before, y.shape().dim(ax) - after);
    }
    return y;
  }

  @Override
  protected void writeConfig(Map<String, Object> m) {
    m.put(pad ? "padding" : "cropping", List.of(List.of(amounts[0], amounts[1]),
        List.of(amounts[2], amounts[3])));
    m.put("data_format", dataFormat());
  }

  /** Reads the config of a layer that {@code make} builds from the four sizes. */
  static <L extends Border2D<L>> L read(Config config, String key,
      java.util.function.Function<int[], L> make) {
    LayerConfig c = new LayerConfig(config);
    Object v = c.raw(key);
    int[] a;
    if (v == null) {
      a = new int[] {key.equals("padding") ? 1 : 0};
    } else if (v instanceof List<?> l && !l.isEmpty() && l.get(0) instanceof List<?>) {
      a = new int[4];
      for (int i = 0; i < 2; i++) {
        List<?> pair = (List<?>) l.get(i);
        a[2 * i] = ((Number) pair.get(0)).intValue();
        a[2 * i + 1] = ((Number) pair.get(1)).intValue();
      }
    } else {
      a = c.intList(key);
    }
    L layer = make.apply(a);
    layer.dataFormat(c.string("data_format", "channels_last"));
    return c.finish(layer);
  }
}

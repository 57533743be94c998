package io.github.maxnorm.nn;

import io.github.maxnorm.tensor.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The axes a norm constraint reduces over (Keras's {@code axis}): each slice that keeps the other
 * axes fixed is constrained on its own. Three cases, kept apart so that a config round trip
 * preserves them:
 *
 * <ul>
 *   <li>{@link #unitDefault()}: the user gave no axis; the parameter's {@link Parameter#unitAxes()}
 *       are used (one slice per output unit). In a config the {@code axis} key is absent.
 *   <li>{@link #whole()}: the whole tensor is one slice. In a config, {@code "axis": null}.
 *   <li>{@link #of(int...)}: exactly the listed axes, negatives counting from the end. In a config,
 *       an int or a list of ints.
 * </ul>
 *
 * @param given false for the unit default
 * @param axes the listed axes; null for the whole tensor or the unit default; copied in and out
 */
public record ReducedAxes(boolean given, int[] axes) {
  private static final ReducedAxes UNIT_DEFAULT = new ReducedAxes(false, null);
  private static final ReducedAxes WHOLE = new ReducedAxes(true, null);

  public ReducedAxes {
    if (!given && axes != null) {
      throw new IllegalArgumentException(
          "ReducedAxes: the unit default lists no axes, received " + Arrays.toString(axes));
    }
    if (axes != null) {
      if (axes.length == 0) {
        throw new IllegalArgumentException(
            "ReducedAxes: axis list must not be empty (use null for the whole tensor)");
      }
      axes = axes.clone();
    }
  }

  /** The parameter's unit axes (the axis was not given). */
  public static ReducedAxes unitDefault() {
    return UNIT_DEFAULT;
  }

  /** The whole tensor as one slice (Keras {@code axis=None}). */
  public static ReducedAxes whole() {
    return WHOLE;
  }

  /** Exactly these axes; negatives count from the end. None (or null) means the whole tensor. */
  public static ReducedAxes of(int... axes) {
    if (axes == null || axes.length == 0) {
      return WHOLE;
    }
    return new ReducedAxes(true, axes);
  }

  @Override
  public int[] axes() {
    return axes == null ? null : axes.clone();
  }

  /** Whether this is the whole tensor. */
  public boolean isWhole() {
    return given && axes == null;
  }

  /**
   * Reads {@code key} of a config: absent = unit default, null = whole, an int or list of ints =
   * those axes.
   */
  public static ReducedAxes fromConfig(Config config, String key) {
    if (!config.has(key)) {
      return UNIT_DEFAULT;
    }
    Object v = config.get(key);
    if (v == null) {
      return WHOLE;
    }
    if (v instanceof Integer || v instanceof Long) {
      return of(((Number) v).intValue());
    }
    if (v instanceof List<?> list && !list.isEmpty()) {
      int[] a = new int[list.size()];
      for (int i = 0; i < a.length; i++) {
        if (!(list.get(i) instanceof Integer || list.get(i) instanceof Long)) {
          throw new IllegalArgumentException(
              config.className() + ": " + key + " must be an int, a list of ints or null, received "
                  + list);
        }
        a[i] = ((Number) list.get(i)).intValue();
      }
      return of(a);
    }
    throw new IllegalArgumentException(
        config.className() + ": " + key + " must be an int, a list of ints or null, received "
            + Config.describe(v));
  }

  /** Writes this to {@code key} of a config map: nothing for the unit default. */
  void writeTo(java.util.Map<String, Object> map, String key) {
    if (!given) {
      return;
    }
    if (axes == null) {
      map.put(key, null);
    } else if (axes.length == 1) {
      map.put(key, axes[0]);
    } else {
      List<Object> list = new ArrayList<>();
      for (int a : axes) {
        list.add(a);
      }
      map.put(key, list);
    }
  }

  /**
   * A mask of the reduced axes for {@code shape}.
   *
   * @param unitAxes used for the unit default
   * @param what prefix of error messages, e.g. {@code "dense_1/kernel: MaxNorm"}
   * @throws IllegalArgumentException when an axis is out of range or listed twice
   */
  boolean[] mask(Shape shape, int[] unitAxes, String what) {
    int rank = shape.rank();
    boolean[] mask = new boolean[rank];
    int[] list = given ? axes : unitAxes;
    if (list == null) {
      Arrays.fill(mask, true);
      return mask;
    }
    for (int ax : list) {
      int a = ax < 0 ? ax + rank : ax;
      if (a < 0 || a >= rank) {
        throw new IllegalArgumentException(
            what + " axis " + ax + " is out of range for shape " + shape + " of rank " + rank);
      }
      if (mask[a]) {
        throw new IllegalArgumentException(
            what + " axis " + ax + " is listed twice in " + Arrays.toString(list) + " for shape "
                + shape);
      }
      mask[a] = true;
    }
    return mask;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ReducedAxes r && r.given == given && Arrays.equals(r.axes, axes);
  }

  @Override
  public int hashCode() {
    return Boolean.hashCode(given) * 31 + Arrays.hashCode(axes);
  }

  @Override
  public String toString() {
    return !given ? "unit default" : axes == null ? "whole tensor" : Arrays.toString(axes);
  }
}

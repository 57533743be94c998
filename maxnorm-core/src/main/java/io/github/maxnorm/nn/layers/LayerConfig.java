package io.github.maxnorm.nn.layers;

import io.github.maxnorm.nn.Config;
import io.github.maxnorm.nn.DTypePolicy;
import io.github.maxnorm.nn.Layer;
import io.github.maxnorm.nn.Regularizers;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads a layer's Keras-form config: typed access to its keys, each failing with a message that
 * names the layer class, the key and the value received, and a final check ({@link #finish}) that
 * the config holds no key the layer did not read, so that a misspelt or unsupported argument is
 * refused rather than silently ignored.
 */
final class LayerConfig {
  private final Config c;
  private final Set<String> read = new LinkedHashSet<>();

  LayerConfig(Config c) {
    this.c = c;
  }

  String className() {
    return c.className();
  }

  /** Whether the key is present with a value other than null. */
  boolean has(String key) {
    read.add(key);
    return c.get(key) != null;
  }

  /** The raw value, or null. */
  Object raw(String key) {
    read.add(key);
    return c.get(key);
  }

  /** Marks keys as read whose value this layer accepts only when absent or null. */
  void requireNull(String key, String why) {
    if (has(key)) {
      throw new IllegalArgumentException(
          c.className() + ": " + key + " " + why + ", received " + c.get(key));
    }
  }

  int integer(String key) {
    if (!has(key)) {
      throw new IllegalArgumentException(c.className() + ": " + key + " is required");
    }
    return toInt(key, c.get(key));
  }

  int integer(String key, int dflt) {
    return has(key) ? toInt(key, c.get(key)) : dflt;
  }

  double number(String key, double dflt) {
    read.add(key);
    return c.get(key) == null ? dflt : c.getDouble(key, dflt);
  }

  boolean bool(String key, boolean dflt) {
    read.add(key);
    return c.get(key) == null ? dflt : c.getBoolean(key, dflt);
  }

  String string(String key, String dflt) {
    read.add(key);
    return c.get(key) == null ? dflt : c.getString(key, dflt);
  }

  /** A string that must be one of {@code allowed} (compared without case). */
  String choice(String key, String dflt, String... allowed) {
    String v = string(key, dflt);
    for (String a : allowed) {
      if (a.equalsIgnoreCase(v)) {
        return a;
      }
    }
    throw new IllegalArgumentException(
        c.className() + ": " + key + " must be one of " + String.join(", ", allowed)
            + ", received '" + v + "'");
  }

  /**
   * {@code n} integers: a list of n, or one number standing for all of them (Keras's {@code
   * kernel_size=3}); {@code dflt} when absent.
   */
  int[] ints(String key, int n, int[] dflt) {
    if (!has(key)) {
      if (dflt == null) {
        throw new IllegalArgumentException(c.className() + ": " + key + " is required");
      }
      return dflt.clone();
    }
    Object v = c.get(key);
    if (v instanceof Number) {
      int[] r = new int[n];
      Arrays.fill(r, toInt(key, v));
      return r;
    }
    List<?> l = list(key);
    if (l.size() != n) {
      throw new IllegalArgumentException(
          c.className() + ": " + key + " must have " + n + " value" + (n == 1 ? "" : "s")
              + ", received " + v);
    }
    int[] r = new int[n];
    for (int i = 0; i < n; i++) {
      r[i] = toInt(key, l.get(i));
    }
    return r;
  }

  /** Integers of a list of any length, or one number as a list of one; null when absent. */
  int[] intList(String key) {
    if (!has(key)) {
      return null;
    }
    Object v = c.get(key);
    if (v instanceof Number) {
      return new int[] {toInt(key, v)};
    }
    List<?> l = list(key);
    int[] r = new int[l.size()];
    for (int i = 0; i < r.length; i++) {
      r[i] = toInt(key, l.get(i));
    }
    return r;
  }

  List<?> list(String key) {
    Object v = raw(key);
    if (v instanceof List<?> l) {
      return l;
    }
    throw new IllegalArgumentException(
        c.className() + ": " + key + " must be a list, received " + v);
  }

  /** A nested component ({@code {"class_name": ..., "config": ...}} or a name), or null. */
  Config component(String key) {
    read.add(key);
    return LayerConfigs.component(c, key);
  }

  private int toInt(String key, Object v) {
    if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
        && Math.abs(n.doubleValue()) <= Integer.MAX_VALUE) {
      return n.intValue();
    }
    throw new IllegalArgumentException(
        c.className() + ": " + key + " must be an integer, received " + v);
  }

  /**
   * Reads the keys every layer has (name, trainable, dtype, the declared input shape, the activity
   * regularizer), applies them to {@code layer}, and fails on any key no one read.
   */
  <L extends Layer> L finish(L layer) {
    String n = string("name", null);
    if (n != null) {
      layer.name(n);
    }
    layer.trainable(bool("trainable", true));
    DTypePolicy policy = dtypePolicy();
    if (policy != null) {
      layer.dtypePolicy(policy);
    }
    int[] shape = inputShape();
    if (shape != null) {
      layer.inputShape(shape);
    }
    Config ar = component("activity_regularizer");
    if (ar != null) {
      layer.activityRegularizer(Regularizers.fromConfig(ar));
    }
    List<String> unknown = new ArrayList<>();
    for (String k : c.config().keySet()) {
      if (!read.contains(k)) {
        unknown.add(k);
      }
    }
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(
          c.className() + ": unknown config key" + (unknown.size() == 1 ? " '" : "s '")
              + String.join("', '", unknown) + "'; known: " + String.join(", ", read));
    }
    return layer;
  }

  /**
   * The {@code dtype} key: absent or null (none), a policy name, or Keras's serialized policy
   * ({@code {"class_name": "Policy" | "DTypePolicy" | "FloatDTypePolicy", "config": {"name":
   * ...}}}, as tf.keras 2 and Keras 3 write a mixed policy).
   */
  private DTypePolicy dtypePolicy() {
    Object v = raw("dtype");
    if (v == null) {
      return null;
    }
    Object name = v;
    if (v instanceof java.util.Map<?, ?> m) {
      Object cls = m.get("class_name");
      Object cfg = m.get("config");
      name = java.util.List.of("Policy", "DTypePolicy", "FloatDTypePolicy").contains(cls)
          && cfg instanceof java.util.Map<?, ?> cm ? cm.get("name") : null;
    }
    if (!(name instanceof String s)) {
      throw new IllegalArgumentException(
          c.className() + ": dtype must be float32 or mixed_bfloat16, received " + v);
    }
    try {
      return DTypePolicy.of(s);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(c.className() + ": " + e.getMessage(), e);
    }
  }

  /** The per-sample input shape from {@code batch_input_shape} or {@code input_shape}, or null. */
  private int[] inputShape() {
    boolean batch = has("batch_input_shape");
    String key = batch ? "batch_input_shape" : "input_shape";
    if (!has(key)) {
      return null;
    }
    List<?> l = list(key);
    int from = batch ? 1 : 0;
    if (l.size() <= from) {
      throw new IllegalArgumentException(c.className() + ": input shape is empty: " + l);
    }
    int[] d = new int[l.size() - from];
    for (int i = from; i < l.size(); i++) {
      if (l.get(i) == null) {
        throw new IllegalArgumentException(
            c.className() + ": input shape " + l + " has an unknown size (null) besides the batch"
                + " axis; give every size");
      }
      d[i - from] = toInt(key, l.get(i));
    }
    return d;
  }
}

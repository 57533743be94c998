package io.github.maxnorm.nn.layers;

import io.github.maxnorm.nn.Config;
import io.github.maxnorm.nn.Layer;
import io.github.maxnorm.nn.Registry;
import io.github.maxnorm.tensor.Padding;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Layers to and from their Keras-form {@link Config}: the layer registry. Keys are Keras's
 * ({@code units}, {@code kernel_size}, {@code kernel_constraint}, ...); nested components are
 * {@code {"class_name": ..., "config": {...}}} maps; the first layer's input shape is
 * {@code batch_input_shape} with a null batch axis, as Keras writes it.
 */
public final class LayerConfigs {
  private static final Registry<Layer> REGISTRY =
      Registry.<Layer>empty("layer")
          .with("Dense", LayerConfigs::denseFrom)
          .with("Conv2D", LayerConfigs::conv2dFrom, "Convolution2D")
          .with("MaxPooling2D", LayerConfigs::maxPoolFrom, "MaxPool2D")
          .with("Dropout", LayerConfigs::dropoutFrom)
          .with("Flatten", LayerConfigs::flattenFrom)
          .with("Activation", LayerConfigs::activationFrom);

  private LayerConfigs() {}

  /** The built-in layers by class name and alias. */
  public static Registry<Layer> registry() {
    return REGISTRY;
  }

  /** A new, unbuilt layer from its Keras form. */
  public static Layer fromConfig(Config c) {
    return REGISTRY.build(c);
  }

  // ------------------------------------------------------------------------------ to config

  static Config dense(Layer l, int units, String activation, KernelBias w, int[] in) {
    Map<String, Object> m = head(l, in);
    m.put("units", units);
    m.put("activation", activation);
    w.writeConfig(m);
    return new Config("Dense", m);
  }

  static Config conv2d(Layer l, int filters, int kh, int kw, int sh, int sw, Padding p,
      String dataFormat, String activation, KernelBias w, int[] in) {
    Map<String, Object> m = head(l, in);
    m.put("filters", filters);
    m.put("kernel_size", List.of(kh, kw));
    m.put("strides", List.of(sh, sw));
    m.put("padding", p == Padding.SAME ? "same" : "valid");
    m.put("data_format", dataFormat);
    m.put("activation", activation);
    w.writeConfig(m);
    return new Config("Conv2D", m);
  }

  static Config maxPooling2d(Layer l, int ph, int pw, int sh, int sw, Padding p, String dataFormat,
      int[] in) {
    Map<String, Object> m = head(l, in);
    m.put("pool_size", List.of(ph, pw));
    m.put("strides", List.of(sh, sw));
    m.put("padding", p == Padding.SAME ? "same" : "valid");
    m.put("data_format", dataFormat);
    return new Config("MaxPooling2D", m);
  }

  static Config dropout(Layer l, double rate, int[] in) {
    Map<String, Object> m = head(l, in);
    m.put("rate", rate);
    return new Config("Dropout", m);
  }

  static Config flatten(Layer l, int[] in) {
    return new Config("Flatten", head(l, in));
  }

  static Config activation(Layer l, String activation, int[] in) {
    Map<String, Object> m = head(l, in);
    m.put("activation", activation);
    return new Config("Activation", m);
  }

  private static Map<String, Object> head(Layer l, int[] in) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", l.name());
    if (in != null) {
      List<Object> shape = new ArrayList<>();
      shape.add(null);
      for (int d : in) {
        shape.add(d);
      }
      m.put("batch_input_shape", shape);
    }
    return m;
  }

  /** A component config as the nested map Keras writes. */
  public static Map<String, Object> nested(Config c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("class_name", c.className());
    m.put("config", c.config());
    return m;
  }

  /** The nested component config at {@code key}, or null when absent or null. */
  public static Config component(Config c, String key) {
    Object v = c.get(key);
    if (v == null) {
      return null;
    }
    if (v instanceof String s) {
      return new Config(s, Map.of());
    }
    if (v instanceof Map<?, ?> map) {
      Object cn = map.get("class_name");
      Object cfg = map.get("config");
      if (!(cn instanceof String name)) {
        throw new IllegalArgumentException(
            c.className() + " " + key + ": expected {\"class_name\": ..., \"config\": {...}}, received "
                + v);
      }
      Map<String, Object> inner = new LinkedHashMap<>();
      if (cfg instanceof Map<?, ?> cm) {
        for (Map.Entry<?, ?> e : cm.entrySet()) {
          inner.put(String.valueOf(e.getKey()), e.getValue());
        }
      } else if (cfg != null) {
        throw new IllegalArgumentException(
            c.className() + " " + key + ": config must be an object, received " + cfg);
      }
      return new Config(name, inner);
    }
    throw new IllegalArgumentException(
        c.className() + " " + key + ": expected a name or {\"class_name\": ...}, received " + v);
  }

  // ------------------------------------------------------------------------------ from config

  private static final List<String> COMMON = List.of("name", "batch_input_shape", "input_shape",
      "trainable", "dtype");

  private static void allow(Config c, String... keys) {
    List<String> all = new ArrayList<>(COMMON);
    all.addAll(List.of(keys));
    c.requireKeys(all);
  }

  private static int[] inputShape(Config c) {
    Object v = c.get("batch_input_shape");
    boolean batch = true;
    if (v == null) {
      v = c.get("input_shape");
      batch = false;
    }
    if (v == null) {
      return null;
    }
    List<?> list = asList(c, "input shape", v);
    int from = batch ? 1 : 0;
    if (list.size() <= from) {
      throw new IllegalArgumentException(c.className() + ": input shape is empty: " + v);
    }
    int[] d = new int[list.size() - from];
    for (int i = from; i < list.size(); i++) {
      d[i - from] = toInt(c, "input shape", list.get(i));
    }
    return d;
  }

  private static List<?> asList(Config c, String what, Object v) {
    if (v instanceof List<?> l) {
      return l;
    }
    throw new IllegalArgumentException(c.className() + ": " + what + " must be a list, received " + v);
  }

  private static int toInt(Config c, String what, Object v) {
    if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
        && Math.abs(n.doubleValue()) <= Integer.MAX_VALUE) {
      return n.intValue();
    }
    throw new IllegalArgumentException(
        c.className() + ": " + what + " must be an integer, received " + v);
  }

  private static int[] pair(Config c, String key, int[] dflt) {
    Object v = c.get(key);
    if (v == null) {
      if (dflt == null) {
        throw new IllegalArgumentException(c.className() + ": " + key + " is required");
      }
      return dflt;
    }
    if (v instanceof Number) {
      int x = toInt(c, key, v);
      return new int[] {x, x};
    }
    List<?> l = asList(c, key, v);
    if (l.size() != 2) {
      throw new IllegalArgumentException(c.className() + ": " + key + " must have 2 values, received " + v);
    }
    return new int[] {toInt(c, key, l.get(0)), toInt(c, key, l.get(1))};
  }

  private static void nameAndShape(Config c, Layer l) {
    String n = c.getString("name", null);
    if (n != null) {
      l.name(n);
    }
  }

  private static Dense denseFrom(Config c) {
    allow(c, "units", "activation", "use_bias", "kernel_initializer", "bias_initializer",
        "kernel_regularizer", "bias_regularizer", "activity_regularizer", "kernel_constraint",
        "bias_constraint");
    Dense d = new Dense(toInt(c, "units", c.get("units")));
    nameAndShape(c, d);
    int[] in = inputShape(c);
    if (in != null) {
      d.inputShape(in);
    }
    d.activation(c.getString("activation", "linear"));
    d.weights().readConfig(c);
    return d;
  }

  private static Conv2D conv2dFrom(Config c) {
    allow(c, "filters", "kernel_size", "strides", "padding", "data_format", "dilation_rate",
        "activation", "use_bias", "kernel_initializer", "bias_initializer", "kernel_regularizer",
        "bias_regularizer", "activity_regularizer", "kernel_constraint", "bias_constraint");
    int[] ks = pair(c, "kernel_size", null);
    int[] dil = pair(c, "dilation_rate", new int[] {1, 1});
    if (dil[0] != 1 || dil[1] != 1) {
      throw new IllegalArgumentException("Conv2D: dilation_rate other than 1 is not supported");
    }
    Conv2D l = new Conv2D(toInt(c, "filters", c.get("filters")), ks[0], ks[1]);
    nameAndShape(c, l);
    int[] in = inputShape(c);
    if (in != null) {
      l.inputShape(in);
    }
    int[] st = pair(c, "strides", new int[] {1, 1});
    l.strides(st[0], st[1]);
    l.padding(c.getString("padding", "valid"));
    l.dataFormat(c.getString("data_format", "channels_last"));
    l.activation(c.getString("activation", "linear"));
    l.weights().readConfig(c);
    return l;
  }

  private static MaxPooling2D maxPoolFrom(Config c) {
    allow(c, "pool_size", "strides", "padding", "data_format");
    int[] ps = pair(c, "pool_size", new int[] {2, 2});
    MaxPooling2D l = new MaxPooling2D(ps[0], ps[1]);
    nameAndShape(c, l);
    int[] in = inputShape(c);
    if (in != null) {
      l.inputShape(in);
    }
    int[] st = pair(c, "strides", ps);
    l.strides(st[0], st[1]);
    l.padding(c.getString("padding", "valid"));
    l.dataFormat(c.getString("data_format", "channels_last"));
    return l;
  }

  private static Dropout dropoutFrom(Config c) {
    allow(c, "rate", "noise_shape", "seed");
    if (c.get("noise_shape") != null) {
      throw new IllegalArgumentException("Dropout: noise_shape is not supported");
    }
    if (!c.has("rate")) {
      throw new IllegalArgumentException("Dropout: rate is required");
    }
    Dropout l = new Dropout(c.getDouble("rate", 0));
    nameAndShape(c, l);
    int[] in = inputShape(c);
    if (in != null) {
      l.inputShape(in);
    }
    return l;
  }

  private static Flatten flattenFrom(Config c) {
    allow(c, "data_format");
    Flatten l = new Flatten();
    nameAndShape(c, l);
    int[] in = inputShape(c);
    if (in != null) {
      l.inputShape(in);
    }
    return l;
  }

  private static Activation activationFrom(Config c) {
    allow(c, "activation");
    Activation l = new Activation(c.getString("activation", "linear"));
    nameAndShape(c, l);
    int[] in = inputShape(c);
    if (in != null) {
      l.inputShape(in);
    }
    return l;
  }
}

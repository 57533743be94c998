package io.github.maxnorm.nn;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Collection;

/**
 * A component's configuration in Keras form, {@code {"class_name": "MaxNorm", "config": {...}}}:
 * the serialized shape shared by layers, constraints, initializers, regularizers, optimizers and
 * losses. The map holds only JSON values (String, Number, Boolean, null, List, Map), never counters
 * or random-generator state. Each component also has a typed config record that converts to and
 * from this form, and a {@link Registry} builds components from it by class name.
 *
 * <p>JSON: {@link #fromJson(JsonNode)} accepts the object form (extra top-level keys that Keras
 * writes, such as {@code module} and {@code registered_name}, are ignored) and Keras's string form
 * ({@code "glorot_uniform"}, meaning that class with its defaults); {@link #toJson()} writes the
 * object form. Whole JSON numbers become Integer or Long, others Double.
 *
 * @param className the registered class name, e.g. {@code Dense}
 * @param config the arguments in Keras's snake_case names; copied in (deeply for lists and maps),
 *     insertion order kept; keys map to null where Keras writes {@code null}
 */
public record Config(String className, Map<String, Object> config) {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  public Config {
    if (className == null || className.isEmpty()) {
      throw new IllegalArgumentException("Config: className must not be empty");
    }
    config = copyMap(config == null ? Map.of() : config, className);
  }

  /** A config with no arguments. */
  public static Config of(String className) {
    return new Config(className, Map.of());
  }

  // ------------------------------------------------------------------------------ typed access

  /** Whether the key is present (possibly with a null value). */
  public boolean has(String key) {
    return config.containsKey(key);
  }

  /** The raw value, or null. */
  public Object get(String key) {
    return config.get(key);
  }

  /** A number field (int or float in JSON), or {@code defaultValue} when absent. */
  public double getDouble(String key, double defaultValue) {
    if (!config.containsKey(key)) {
      return defaultValue;
    }
    Object v = config.get(key);
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    throw new IllegalArgumentException(
        className + ": " + key + " must be a number, received " + describe(v));
  }

  /** A boolean field, or {@code defaultValue} when absent. */
  public boolean getBoolean(String key, boolean defaultValue) {
    if (!config.containsKey(key)) {
      return defaultValue;
    }
    Object v = config.get(key);
    if (v instanceof Boolean b) {
      return b;
    }
    throw new IllegalArgumentException(
        className + ": " + key + " must be true or false, received " + describe(v));
  }

  /** A string field, or {@code defaultValue} when absent. */
  public String getString(String key, String defaultValue) {
    if (!config.containsKey(key)) {
      return defaultValue;
    }
    Object v = config.get(key);
    if (v instanceof String s) {
      return s;
    }
    throw new IllegalArgumentException(
        className + ": " + key + " must be a string, received " + describe(v));
  }

  /**
   * Fails unless every key is one of {@code allowed}, naming the unknown key and the allowed ones.
   */
  public void requireKeys(Collection<String> allowed) {
    for (String k : config.keySet()) {
      if (!allowed.contains(k)) {
        throw new IllegalArgumentException(
            className + ": unknown config key '" + k + "'; allowed: " + String.join(", ", allowed));
      }
    }
  }

  static String describe(Object v) {
    if (v == null) {
      return "null";
    }
    return v instanceof String s ? "\"" + s + "\"" : v.toString();
  }

  // ------------------------------------------------------------------------------ JSON

  /**
   * The config that a JSON node describes: an object with {@code class_name} and optionally
   * {@code config}, or a string naming a class with its defaults.
   *
   * @throws IllegalArgumentException when the node has neither form
   */
  public static Config fromJson(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      throw new IllegalArgumentException("Config.fromJson: expected an object or a name, received null");
    }
    if (node.isTextual()) {
      return new Config(node.asText(), Map.of());
    }
    if (!node.isObject()) {
      throw new IllegalArgumentException(
          "Config.fromJson: expected an object with class_name or a name, received " + node);
    }
    JsonNode name = node.get("class_name");
    if (name == null || !name.isTextual()) {
      throw new IllegalArgumentException(
          "Config.fromJson: class_name must be a string, received " + node);
    }
    JsonNode cfg = node.get("config");
    Map<String, Object> map = new LinkedHashMap<>();
    if (cfg != null && !cfg.isNull()) {
      if (!cfg.isObject()) {
        throw new IllegalArgumentException(
            "Config.fromJson: " + name.asText() + ": config must be an object, received " + cfg);
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = cfg.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> f = it.next();
        map.put(f.getKey(), toValue(f.getValue()));
      }
    }
    return new Config(name.asText(), map);
  }

  /** Parses JSON text; see {@link #fromJson(JsonNode)}. */
  public static Config fromJson(String json) {
    try {
      return fromJson(MAPPER.readTree(json));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("Config.fromJson: invalid JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** This config as a JSON object {@code {"class_name": ..., "config": {...}}}. */
  public ObjectNode toJson() {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    root.put("class_name", className);
    root.set("config", toNode(config));
    return root;
  }

  /** This config as compact JSON text. */
  public String toJsonString() {
    return toJson().toString();
  }

  private static Object toValue(JsonNode n) {
    if (n.isNull()) {
      return null;
    }
    if (n.isBoolean()) {
      return n.booleanValue();
    }
    if (n.isIntegralNumber()) {
      return n.canConvertToInt() ? (Object) n.intValue() : (Object) n.longValue();
    }
    if (n.isNumber()) {
      return n.doubleValue();
    }
    if (n.isTextual()) {
      return n.asText();
    }
    if (n.isArray()) {
      List<Object> list = new ArrayList<>();
      for (JsonNode e : n) {
        list.add(toValue(e));
      }
      return list;
    }
    if (n.isObject()) {
      Map<String, Object> map = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> f = it.next();
        map.put(f.getKey(), toValue(f.getValue()));
      }
      return map;
    }
    throw new IllegalArgumentException("Config.fromJson: unsupported JSON value " + n);
  }

  private static JsonNode toNode(Object v) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    if (v == null) {
      return f.nullNode();
    }
    if (v instanceof Boolean b) {
      return f.booleanNode(b);
    }
    if (v instanceof Integer i) {
      return f.numberNode(i);
    }
    if (v instanceof Long l) {
      return f.numberNode(l);
    }
    if (v instanceof Float x) {
      return f.numberNode((double) x);
    }
    if (v instanceof Number n) {
      return f.numberNode(n.doubleValue());
    }
    if (v instanceof String s) {
      return f.textNode(s);
    }
    if (v instanceof List<?> list) {
      ArrayNode a = f.arrayNode();
      for (Object e : list) {
        a.add(toNode(e));
      }
      return a;
    }
    if (v instanceof Map<?, ?> m) {
      ObjectNode o = f.objectNode();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        o.set(String.valueOf(e.getKey()), toNode(e.getValue()));
      }
      return o;
    }
    throw new IllegalArgumentException("Config.toJson: unsupported value " + v);
  }

  // ------------------------------------------------------------------------------ copying

  private static Map<String, Object> copyMap(Map<?, ?> in, String where) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : in.entrySet()) {
      if (!(e.getKey() instanceof String k)) {
        throw new IllegalArgumentException(
            "Config " + where + ": keys must be strings, received " + e.getKey());
      }
      out.put(k, copyValue(e.getValue(), where));
    }
    return Collections.unmodifiableMap(out);
  }

  private static Object copyValue(Object v, String where) {
    if (v == null || v instanceof String || v instanceof Boolean || v instanceof Number) {
      return v;
    }
    if (v instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      for (Object e : list) {
        out.add(copyValue(e, where));
      }
      return Collections.unmodifiableList(out);
    }
    if (v instanceof int[] a) {
      List<Object> out = new ArrayList<>(a.length);
      for (int x : a) {
        out.add(x);
      }
      return Collections.unmodifiableList(out);
    }
    if (v instanceof Map<?, ?> m) {
      return copyMap(m, where);
    }
    throw new IllegalArgumentException(
        "Config " + where + ": values must be JSON values (String, Number, Boolean, null, List,"
            + " Map), received " + v.getClass().getName());
  }
}

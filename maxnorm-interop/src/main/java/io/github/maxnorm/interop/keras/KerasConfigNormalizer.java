package io.github.maxnorm.interop.keras;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.github.maxnorm.io.ModelFormatException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Turns a model config written by Keras 1, Keras 2, tf.keras or Keras 3 into one canonical form, a
 * pure JSON transformation that never runs anything from the file. The canonical form is tf.keras
 * 2's:
 *
 * <ul>
 *   <li>{@code {"class_name": "Sequential", "config": {"name": ..., "layers": [...]}}} with
 *       {@code {"class_name", "config"}} per layer, or {@code {"class_name": "Model", "config":
 *       {"name", "layers", "input_layers", "output_layers"}}} with {@code {"name", "class_name",
 *       "config", "inbound_nodes"}} per layer, {@code inbound_nodes} as lists of {@code [layer,
 *       node index, tensor index, kwargs]} and {@code input_layers}/{@code output_layers} as lists
 *       of {@code [layer, node index, tensor index]};
 *   <li>Keras 2 class and argument names ({@code Conv2D}, {@code filters}, {@code kernel_size},
 *       {@code padding}, {@code strides}, {@code data_format}, {@code kernel_constraint}, {@code
 *       rate}, ...), input shapes as {@code batch_input_shape}, dtypes as strings, kernel sizes,
 *       strides, dilations and pool sizes as lists;
 *   <li>initializers, regularizers and constraints as {@code {"class_name", "config"}} objects
 *       (string identifiers such as {@code "glorot_uniform"} become objects with an empty config),
 *       activations as strings.
 * </ul>
 *
 * <p>Keras 1 configs have their classes ({@code Convolution2D}, {@code TimeDistributedDense}, the
 * functional {@code Merge}) and arguments ({@code nb_filter}, {@code nb_row}/{@code nb_col}, {@code
 * border_mode}, {@code subsample}, {@code init}, {@code W_constraint}, {@code output_dim}, {@code p},
 * {@code dim_ordering}, {@code input_dtype}, ...) renamed as Keras 2's legacy interfaces rename them,
 * and Keras 1's {@code {"name": "MaxNorm", "m": 3}} constraints and {@code L1L2Regularizer}s
 * rewritten. A Keras 1 {@code Convolution2D} in {@code th} ordering stores its kernel as {@code
 * (out, in, rows, cols)}; its weights are transposed to {@code (rows, cols, in, out)} on import
 * ({@link KerasWeightNormalizer}), so the axes of its kernel constraint are remapped here to match.
 * Keras 3 configs lose {@code module}, {@code registered_name}, {@code build_config} and {@code
 * shared_object_id} (shared objects are resolved), {@code batch_shape} becomes {@code
 * batch_input_shape}, dtype policies become their name, and {@code __keras_tensor__} arguments
 * with their {@code keras_history} become inbound node entries.
 *
 * <p>Refused, with one line naming the source, the layer and its class: {@code Lambda} and other
 * layers holding code, custom objects (a class Keras does not ship, a Keras 3 {@code module} outside
 * {@code keras}, or a {@code registered_name} of a custom registration), unknown activation names,
 * Keras 1 features Keras 2 dropped, and malformed or hostile structure: missing or duplicate layer
 * names, connections to unknown layers, cyclic graphs, nesting deeper than the limits.
 */
public final class KerasConfigNormalizer {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final Set<String> KERAS1_KEYS = Set.of(
      "dim_ordering", "border_mode", "nb_filter", "subsample", "subsample_length", "W_constraint",
      "W_regularizer", "init", "output_dim", "filter_length", "nb_row", "nb_col", "input_dtype");

  private final String source;
  private final KerasReadLimits limits;
  private final Map<String, JsonNode> shared = new HashMap<>();
  private int layerCount;

  private KerasConfigNormalizer(String source, KerasReadLimits limits) {
    this.source = source;
    this.limits = limits;
  }

  /** Normalizes {@code model} with the default limits; messages name {@code source}. */
  public static ObjectNode normalize(JsonNode model, String source) throws ModelFormatException {
    return normalize(model, source, KerasReadLimits.defaults());
  }

  /** Normalizes {@code model}; messages name {@code source}. */
  public static ObjectNode normalize(JsonNode model, String source, KerasReadLimits limits)
      throws ModelFormatException {
    KerasConfigNormalizer n = new KerasConfigNormalizer(source, limits);
    JsonNode m = model;
    if (m != null && m.isObject() && m.has("model_config") && !m.has("class_name")) {
      m = m.path("model_config");
    }
    return n.model(m, 0, "model");
  }

  private ModelFormatException error(String where, String what) {
    return new ModelFormatException(source + ": " + where + ": " + what);
  }

  // ---------------------------------------------------------------- models

  private ObjectNode model(JsonNode node, int depth, String where) throws ModelFormatException {
    if (depth > limits.maxDepth() / 4) {
      throw error(where, "models nested deeper than " + limits.maxDepth() / 4 + " levels");
    }
    if (node == null || !node.isObject()) {
      throw error(where, "a model config must be an object with class_name and config, received "
          + kind(node));
    }
    Obj o = unwrap(node, where);
    ObjectNode out = F.objectNode();
    switch (o.cls) {
      case "Sequential" -> {
        out.put("class_name", "Sequential");
        out.set("config", sequential(o.config, depth, where));
      }
      case "Model", "Functional" -> {
        out.put("class_name", "Model");
        out.set("config", functional(o.config, depth, where));
      }
      default -> throw error(where, "the top-level class is " + o.cls
          + ", not a model (Sequential, Model or Functional)");
    }
    return out;
  }

  private ObjectNode sequential(JsonNode config, int depth, String where)
      throws ModelFormatException {
    JsonNode layers;
    String name = "sequential";
    JsonNode buildShape = null;
    if (config.isArray()) {
      layers = config;
    } else if (config.isObject()) {
      layers = config.path("layers");
      name = config.path("name").asText(name);
      buildShape = config.get("build_input_shape");
    } else {
      throw error(where, "Sequential config must be a list of layers or an object, received "
          + kind(config));
    }
    if (!layers.isArray()) {
      throw error(where, "Sequential config has no list of layers");
    }
    ObjectNode out = F.objectNode();
    out.put("name", name);
    ArrayNode list = out.putArray("layers");
    Set<String> names = new TreeSet<>();
    for (int i = 0; i < layers.size(); i++) {
      ObjectNode layer = layer(layers.get(i), false, i == 0, depth, where);
      String layerName = layer.path("config").path("name").asText("");
      if (!layerName.isEmpty() && !names.add(layerName)) {
        throw error("layer '" + layerName + "'", "the model has two layers of this name");
      }
      list.add(layer);
    }
    if (buildShape != null && buildShape.isArray() && list.size() > 0) {
      ObjectNode first = (ObjectNode) list.get(0);
      ObjectNode cfg = (ObjectNode) first.path("config");
      if (!first.path("class_name").asText().equals("InputLayer")
          && !cfg.has("batch_input_shape")) {
        cfg.set("batch_input_shape", buildShape.deepCopy());
      }
    }
    return out;
  }

  private ObjectNode functional(JsonNode config, int depth, String where)
      throws ModelFormatException {
    if (!config.isObject() || !config.path("layers").isArray()) {
      throw error(where, "a functional model config needs a list of layers");
    }
    ObjectNode out = F.objectNode();
    out.put("name", config.path("name").asText("model"));
    ArrayNode list = out.putArray("layers");
    Map<String, ObjectNode> byName = new LinkedHashMap<>();
    for (JsonNode entry : config.path("layers")) {
      ObjectNode layer = layer(entry, true, false, depth, where);
      String name = layer.path("name").asText("");
      if (byName.put(name, layer) != null) {
        throw error("layer '" + name + "'", "the model has two layers of this name");
      }
      list.add(layer);
    }
    out.set("input_layers", endpoints(config.path("input_layers"), byName, "input_layers", where));
    out.set("output_layers",
        endpoints(config.path("output_layers"), byName, "output_layers", where));
    checkGraph(byName);
    return out;
  }

  private ArrayNode endpoints(JsonNode node, Map<String, ObjectNode> layers, String key,
      String where) throws ModelFormatException {
    if (!node.isArray() || node.isEmpty()) {
      throw error(where, key + " must be a non-empty list");
    }
    JsonNode list = node.get(0).isTextual() ? F.arrayNode().add(node) : node;
    ArrayNode out = F.arrayNode();
    for (JsonNode t : list) {
      if (!t.isArray() || t.size() < 3 || !t.get(0).isTextual() || !t.get(1).canConvertToInt()
          || !t.get(2).canConvertToInt()) {
        throw error(where, key + " entries must be [layer, node, tensor], received " + t);
      }
      String name = t.get(0).asText();
      if (!layers.containsKey(name)) {
        throw error(where, key + " names unknown layer '" + name + "'");
      }
      out.add(F.arrayNode().add(name).add(t.get(1).asInt()).add(t.get(2).asInt()));
    }
    return out;
  }

  /** Every connection names an existing layer and node, and the graph has no cycle. */
  private void checkGraph(Map<String, ObjectNode> layers) throws ModelFormatException {
    Map<String, List<String>> deps = new HashMap<>();
    for (ObjectNode l : layers.values()) {
      String name = l.path("name").asText();
      List<String> d = new ArrayList<>();
      for (JsonNode node : l.path("inbound_nodes")) {
        for (JsonNode e : node) {
          String from = e.get(0).asText();
          ObjectNode src = layers.get(from);
          if (src == null) {
            throw error("layer '" + name + "' (" + l.path("class_name").asText() + ")",
                "takes input from unknown layer '" + from + "'");
          }
          int nodes = Math.max(1, src.path("inbound_nodes").size());
          if (e.get(1).asInt() < 0 || e.get(1).asInt() >= nodes || e.get(2).asInt() < 0) {
            throw error("layer '" + name + "'", "takes input from node " + e.get(1) + " tensor "
                + e.get(2) + " of layer '" + from + "', which has " + nodes + " node(s)");
          }
          d.add(from);
        }
      }
      deps.put(name, d);
    }
    Map<String, Integer> state = new HashMap<>();
    for (String start : deps.keySet()) {
      if (state.containsKey(start)) {
        continue;
      }
      Deque<Iterator<String>> stack = new ArrayDeque<>();
      Deque<String> path = new ArrayDeque<>();
      state.put(start, 1);
      path.push(start);
      stack.push(deps.get(start).iterator());
      while (!stack.isEmpty()) {
        Iterator<String> it = stack.peek();
        if (it.hasNext()) {
          String next = it.next();
          Integer s = state.get(next);
          if (s == null) {
            state.put(next, 1);
            path.push(next);
            stack.push(deps.get(next).iterator());
          } else if (s == 1) {
            throw error("layer '" + next + "'", "the graph has a cycle through this layer");
          }
        } else {
          stack.pop();
          state.put(path.pop(), 2);
        }
      }
    }
  }

  // ---------------------------------------------------------------- layers

  private ObjectNode layer(JsonNode entry, boolean functional, boolean first, int depth,
      String where) throws ModelFormatException {
    if (++layerCount > limits.maxLayers()) {
      throw error(where, "more than " + limits.maxLayers() + " layers");
    }
    if (entry == null || !entry.isObject() || !entry.path("class_name").isTextual()) {
      throw error(where, "a layer must be an object with a class_name, received " + kind(entry));
    }
    String rawCls = entry.path("class_name").asText();
    JsonNode rawCfg = entry.path("config");
    String name = entry.path("name").asText(rawCfg.path("name").asText(""));
    String here = "layer '" + name + "' (" + rawCls + ")";
    if (name.isEmpty()) {
      throw error("layer of class " + rawCls, "the layer has no name");
    }
    Obj o = unwrap(entry, here);
    ObjectNode out = F.objectNode();
    String cls;
    ObjectNode cfg;
    if (KerasNames.MODELS.contains(o.cls)) {
      ObjectNode nested = model(entry, depth + 1, here);
      cls = nested.path("class_name").asText();
      cfg = (ObjectNode) nested.path("config");
      cfg.put("name", name);
    } else {
      if (!o.config.isObject()) {
        throw error(here, "config must be an object, received " + kind(o.config));
      }
      String[] c = {o.cls};
      cfg = layerConfig(c, (ObjectNode) o.config, first, depth, here);
      cls = c[0];
    }
    if (functional) {
      out.put("name", name);
      out.put("class_name", cls);
      out.set("config", cfg);
      out.set("inbound_nodes", inboundNodes(entry.path("inbound_nodes"), here));
    } else {
      out.put("class_name", cls);
      out.set("config", cfg);
    }
    return out;
  }

  private ObjectNode layerConfig(String[] clsRef, ObjectNode in, boolean first, int depth,
      String here) throws ModelFormatException {
    String orig = clsRef[0];
    if (KerasNames.CODE_LAYERS.contains(orig)) {
      throw error(here, orig + " layers hold Python code and are never imported");
    }
    if (KerasNames.KERAS1_REMOVED.contains(orig)) {
      throw error(here, "Keras 1's " + orig + " has no Keras 2 equivalent");
    }
    boolean keras1 = KerasNames.KERAS1_LAYERS.containsKey(orig) || orig.equals("Merge")
        || orig.equals("TimeDistributedDense") || hasAny(in, KERAS1_KEYS);
    if (orig.equals("Merge")) {
      return merge(clsRef, in, here);
    }
    if (orig.equals("TimeDistributedDense")) {
      String[] inner = {"Dense"};
      ObjectNode dense = layerConfig(inner, in.deepCopy(), false, depth, here);
      ObjectNode wrapper = F.objectNode();
      wrapper.put("name", in.path("name").asText());
      wrapper.put("trainable", in.path("trainable").asBoolean(true));
      JsonNode shape = dense.remove("batch_input_shape");
      if (shape == null && first && in.has("input_dim")) {
        shape = F.arrayNode().addNull().add(in.get("input_length")).add(in.get("input_dim"));
      }
      if (shape != null) {
        wrapper.set("batch_input_shape", shape);
      }
      dense.remove("dtype");
      ObjectNode layer = wrapper.putObject("layer");
      layer.put("class_name", "Dense");
      layer.set("config", dense);
      clsRef[0] = "TimeDistributed";
      return wrapper;
    }
    String cls = KerasNames.KERAS1_LAYERS.getOrDefault(orig, orig);
    if (!KerasNames.LAYERS.contains(cls)) {
      throw error(here, "unknown layer class '" + orig
          + "' (a custom object?); only Keras's built-in layers are imported");
    }
    clsRef[0] = cls;
    Map<String, String> renames = KerasNames.renames(cls);
    ObjectNode out = F.objectNode();
    Iterator<Map.Entry<String, JsonNode>> it = in.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> f = it.next();
      String key = f.getKey();
      JsonNode v = f.getValue();
      switch (key) {
        case "input_dtype" -> {
          if (!in.has("dtype")) {
            out.set("dtype", dtype(v, here));
          }
          continue;
        }
        case "batch_shape" -> {
          out.set("batch_input_shape", v);
          continue;
        }
        case "dim_ordering" -> {
          String d = v.asText("default");
          if (d.equals("th")) {
            out.put("data_format", "channels_first");
          } else if (d.equals("tf")) {
            out.put("data_format", "channels_last");
          }
          continue;
        }
        case "dtype" -> {
          out.set("dtype", dtype(v, here));
          continue;
        }
        default -> { }
      }
      if (KerasNames.KERAS3_DEFAULT_KEYS.contains(key)
          && (v.isNull() || v.isBoolean() && !v.asBoolean() || v.isNumber() && v.asInt() == 0)) {
        continue;
      }
      String newKey = renames.getOrDefault(key, key);
      if (out.has(newKey) && !newKey.equals(key)) {
        throw error(here, "both the Keras 1 argument '" + key + "' and '" + newKey + "' are set");
      }
      out.set(newKey, v.deepCopy());
    }
    classSpecific(cls, in, out, first, keras1, here);
    if (cls.equals("TimeDistributed") || cls.equals("Bidirectional")) {
      JsonNode inner = in.path("layer");
      ObjectNode innerLayer = layer(inner, false, false, depth + 1, here);
      out.set("layer", innerLayer);
      if (cls.equals("Bidirectional") && in.has("backward_layer")) {
        out.set("backward_layer", layer(in.get("backward_layer"), false, false,
            depth + 1, here));
      }
    }
    objects(out, keras1 && cls.equals("Conv2D")
        && "channels_first".equals(out.path("data_format").asText()) ? TH_CONV2D : null,
        keras1 && cls.equals("Conv1D") ? K1_CONV1D : null, here);
    return out;
  }

  private static final int[] TH_CONV2D = {3, 2, 0, 1};
  private static final int[] K1_CONV1D = {0, -1, 1, 2};

  private void classSpecific(String cls, ObjectNode in, ObjectNode out, boolean first,
      boolean keras1, String here) throws ModelFormatException {
    int rank = cls.endsWith("1D") ? 1 : cls.endsWith("2D") ? 2 : cls.endsWith("3D") ? 3 : 0;
    if (in.has("nb_row") || in.has("nb_col")) {
      out.remove("nb_row");
      out.remove("nb_col");
      out.set("kernel_size", F.arrayNode().add(in.path("nb_row").asInt())
          .add(in.path("nb_col").asInt()));
    }
    if (in.has("kernel_dim1")) {
      out.remove("kernel_dim1");
      out.remove("kernel_dim2");
      out.remove("kernel_dim3");
      out.set("kernel_size", F.arrayNode().add(in.path("kernel_dim1").asInt())
          .add(in.path("kernel_dim2").asInt()).add(in.path("kernel_dim3").asInt()));
    }
    if (cls.equals("Conv2DTranspose")) {
      out.remove("output_shape");
    }
    if (cls.equals("SeparableConv2D") && in.has("init")) {
      out.remove("init");
      out.set("depthwise_initializer", in.get("init").deepCopy());
      out.set("pointwise_initializer", in.get("init").deepCopy());
    }
    if (rank > 0) {
      for (String k : List.of("kernel_size", "strides", "dilation_rate", "pool_size", "size")) {
        if (out.path(k).isIntegralNumber()) {
          ArrayNode a = F.arrayNode();
          for (int i = 0; i < rank; i++) {
            a.add(out.get(k).asInt());
          }
          out.set(k, a);
        }
      }
      if (out.has("pool_size") && (!out.has("strides") || out.get("strides").isNull())) {
        out.set("strides", out.get("pool_size").deepCopy());
      }
    }
    if ("full".equals(out.path("padding").asText())) {
      throw error(here, "border_mode 'full' has no Keras 2 equivalent");
    }
    if (cls.equals("BatchNormalization") && in.has("mode")) {
      if (in.path("mode").asInt(-1) != 0) {
        throw error(here, "BatchNormalization mode=" + in.get("mode")
            + " no longer exists in Keras 2 (only mode=0)");
      }
      out.remove("mode");
    }
    if (cls.equals("Embedding")) {
      out.remove("dropout");
    }
    if (in.has("forget_bias_init")) {
      out.remove("forget_bias_init");
      out.put("unit_forget_bias", in.path("forget_bias_init").asText().equals("one"));
    }
    if (in.path("consume_less").isTextual()) {
      String v = in.get("consume_less").asText();
      out.put("implementation", v.equals("mem") ? 1 : v.equals("gpu") ? 2 : 0);
    }
    if (cls.equals("LeakyReLU") && out.has("negative_slope") && !out.has("alpha")) {
      out.set("alpha", out.remove("negative_slope"));
    }
    if (cls.equals("ZeroPadding2D") && keras1) {
      out.set("padding", zeroPadding2d(in.get("padding"), here));
    }
    if (cls.equals("ZeroPadding1D") && out.path("padding").isIntegralNumber()) {
      int p = out.get("padding").asInt();
      out.set("padding", F.arrayNode().add(p).add(p));
    }
    // Keras 1 put input_dim (and input_length) on layers; only the first layer's means anything.
    boolean ownsInputDim = cls.equals("Embedding");
    if ((in.has("input_dim") && !ownsInputDim) || (in.has("input_length") && !ownsInputDim)) {
      if (first && !out.has("batch_input_shape")) {
        ArrayNode shape = F.arrayNode().addNull();
        if (in.has("input_length")) {
          shape.add(in.get("input_length"));
        }
        if (in.has("input_dim")) {
          shape.add(in.get("input_dim"));
        }
        out.set("batch_input_shape", shape);
      }
      out.remove("input_dim");
      out.remove("input_length");
    }
    if (ownsInputDim && first && !out.has("batch_input_shape") && in.has("input_length")) {
      out.set("batch_input_shape", F.arrayNode().addNull().add(in.get("input_length")));
    }
  }

  private JsonNode zeroPadding2d(JsonNode p, String here) throws ModelFormatException {
    if (p == null || p.isNull()) {
      return F.arrayNode().add(F.arrayNode().add(1).add(1)).add(F.arrayNode().add(1).add(1));
    }
    if (p.isObject()) {
      return F.arrayNode()
          .add(F.arrayNode().add(p.path("top_pad").asInt(0)).add(p.path("bottom_pad").asInt(0)))
          .add(F.arrayNode().add(p.path("left_pad").asInt(0)).add(p.path("right_pad").asInt(0)));
    }
    if (p.isArray() && p.size() == 2 && p.get(0).isIntegralNumber()) {
      return F.arrayNode().add(F.arrayNode().add(p.get(0).asInt()).add(p.get(0).asInt()))
          .add(F.arrayNode().add(p.get(1).asInt()).add(p.get(1).asInt()));
    }
    if (p.isArray() && p.size() == 4) {
      return F.arrayNode().add(F.arrayNode().add(p.get(0).asInt()).add(p.get(1).asInt()))
          .add(F.arrayNode().add(p.get(2).asInt()).add(p.get(3).asInt()));
    }
    if (p.isArray() && p.size() == 2 && p.get(0).isArray()) {
      return p.deepCopy();
    }
    throw error(here, "unrecognized ZeroPadding2D padding " + p);
  }

  private ObjectNode merge(String[] clsRef, ObjectNode in, String here)
      throws ModelFormatException {
    if (in.has("layers") && !in.path("layers").isNull()) {
      throw error(here, "Keras 1's Merge of Sequential branches is not supported");
    }
    String modeType = in.path("mode_type").asText("raw");
    JsonNode mode = in.path("mode");
    if (!modeType.equals("raw") || !mode.isTextual()) {
      throw error(here, "a Merge whose mode is a Python function is never imported");
    }
    String cls = KerasNames.MERGE_MODES.get(mode.asText());
    if (cls == null) {
      throw error(here, "unknown Merge mode '" + mode.asText() + "'");
    }
    ObjectNode out = F.objectNode();
    out.put("name", in.path("name").asText());
    out.put("trainable", in.path("trainable").asBoolean(true));
    if (cls.equals("Concatenate")) {
      out.put("axis", in.path("concat_axis").asInt(-1));
    }
    if (cls.equals("Dot")) {
      JsonNode axes = in.path("dot_axes");
      out.set("axes", axes.isMissingNode() || axes.isNull() ? IntNode.valueOf(-1) : axes.deepCopy());
      out.put("normalize", mode.asText().equals("cos"));
    }
    clsRef[0] = cls;
    return out;
  }

  private ArrayNode inboundNodes(JsonNode nodes, String here) throws ModelFormatException {
    ArrayNode out = F.arrayNode();
    if (nodes.isMissingNode() || nodes.isNull()) {
      return out;
    }
    if (!nodes.isArray()) {
      throw error(here, "inbound_nodes must be a list");
    }
    for (JsonNode node : nodes) {
      ArrayNode entries = out.addArray();
      if (node.isArray()) {
        for (JsonNode e : node) {
          if (!e.isArray() || e.size() < 3 || e.size() > 4 || !e.get(0).isTextual()
              || !e.get(1).isIntegralNumber() || !e.get(2).isIntegralNumber()) {
            throw error(here, "inbound node entries must be [layer, node, tensor(, kwargs)],"
                + " received " + KerasJson.firstLine(String.valueOf(e)));
          }
          JsonNode kwargs = e.size() == 4 && e.get(3).isObject() ? e.get(3).deepCopy() : F.objectNode();
          entries.add(F.arrayNode().add(e.get(0).asText()).add(e.get(1).asInt())
              .add(e.get(2).asInt()).add(kwargs));
        }
      } else if (node.isObject() && node.has("args")) {
        List<JsonNode> tensors = new ArrayList<>();
        tensors(node.get("args"), tensors, 0, here);
        ObjectNode kwargs = F.objectNode();
        Iterator<Map.Entry<String, JsonNode>> it = node.path("kwargs").fields();
        while (it.hasNext()) {
          Map.Entry<String, JsonNode> kw = it.next();
          List<JsonNode> inKwargs = new ArrayList<>();
          tensors(kw.getValue(), inKwargs, 0, here);
          if (!inKwargs.isEmpty()) {
            throw error(here, "a tensor passed as keyword argument '" + kw.getKey()
                + "' is not supported");
          }
          kwargs.set(kw.getKey(), kw.getValue().deepCopy());
        }
        for (JsonNode t : tensors) {
          JsonNode h = t.path("config").path("keras_history");
          if (!h.isArray() || h.size() != 3 || !h.get(0).isTextual()
              || !h.get(1).isIntegralNumber() || !h.get(2).isIntegralNumber()) {
            throw error(here, "a __keras_tensor__ without a valid keras_history");
          }
          entries.add(F.arrayNode().add(h.get(0).asText()).add(h.get(1).asInt())
              .add(h.get(2).asInt()).add(kwargs.deepCopy()));
        }
      } else {
        throw error(here, "unrecognized inbound node " + KerasJson.firstLine(String.valueOf(node)));
      }
    }
    return out;
  }

  private void tensors(JsonNode v, List<JsonNode> out, int depth, String here)
      throws ModelFormatException {
    if (depth > limits.maxDepth()) {
      throw error(here, "call arguments nested too deeply");
    }
    if (v.isObject() && "__keras_tensor__".equals(v.path("class_name").asText())) {
      out.add(v);
    } else if (v.isArray() || v.isObject()) {
      for (JsonNode c : v) {
        tensors(c, out, depth + 1, here);
      }
    }
  }

  // ---------------------------------------------------------------- nested objects

  /** A {@code {"class_name", "config"}} object with Keras 3's wrapping removed. */
  private record Obj(String cls, JsonNode config) {}

  private Obj unwrap(JsonNode node, String where) throws ModelFormatException {
    JsonNode n = node;
    JsonNode id = n.get("shared_object_id");
    if (id != null) {
      String key = id.asText();
      if (n.has("config")) {
        shared.putIfAbsent(key, n);
      } else {
        JsonNode earlier = shared.get(key);
        if (earlier == null) {
          throw error(where, "shared object " + key + " is used before it is defined");
        }
        n = earlier;
      }
    }
    String cls = n.path("class_name").asText("");
    if (cls.isEmpty()) {
      throw error(where, "an object without class_name");
    }
    JsonNode module = n.get("module");
    if (module != null && module.isTextual() && !module.asText().equals("keras")
        && !module.asText().startsWith("keras.") && !module.asText().startsWith("tf_keras")) {
      throw error(where, "custom object '" + cls + "' from module '" + module.asText()
          + "'; only Keras's built-in objects are imported");
    }
    JsonNode reg = n.get("registered_name");
    if (reg != null && reg.isTextual() && !reg.asText().equals(cls)
        && !reg.asText().equals("Functional")) {
      throw error(where, "custom object '" + reg.asText() + "' (class " + cls
          + "); only Keras's built-in objects are imported");
    }
    JsonNode config = n.path("config");
    return new Obj(cls, config);
  }

  private JsonNode dtype(JsonNode d, String here) throws ModelFormatException {
    if (d == null || d.isNull() || d.isTextual()) {
      return d == null ? NullNode.getInstance() : d;
    }
    if (d.isObject()) {
      Obj o = unwrap(d, here + " dtype");
      if (o.config.path("name").isTextual()) {
        return TextNode.valueOf(o.config.path("name").asText());
      }
    }
    throw error(here, "unrecognized dtype " + KerasJson.firstLine(String.valueOf(d)));
  }

  /** Normalizes initializers, regularizers, constraints and activations in a layer config. */
  private void objects(ObjectNode cfg, int[] kernelAxes, int[] conv1dAxes, String here)
      throws ModelFormatException {
    List<String> keys = new ArrayList<>();
    cfg.fieldNames().forEachRemaining(keys::add);
    for (String key : keys) {
      JsonNode v = cfg.get(key);
      if (key.endsWith("initializer") || key.equals("init")) {
        cfg.set(key, initializer(v, here + " " + key));
      } else if (key.endsWith("regularizer")) {
        cfg.set(key, regularizer(v, here + " " + key));
      } else if (key.endsWith("constraint")) {
        int[] perm = key.equals("kernel_constraint")
            ? (kernelAxes != null ? kernelAxes : conv1dAxes) : null;
        cfg.set(key, constraint(v, perm, here + " " + key));
      } else if (key.equals("activation") || key.equals("recurrent_activation")) {
        cfg.set(key, activation(v, here));
      }
    }
  }

  private JsonNode initializer(JsonNode v, String here) throws ModelFormatException {
    if (v == null || v.isNull()) {
      return NullNode.getInstance();
    }
    if (v.isTextual()) {
      String cls = KerasNames.INITIALIZERS.get(v.asText());
      if (cls == null && KerasNames.INITIALIZER_CLASSES.contains(v.asText())) {
        cls = v.asText();
      }
      if (cls == null) {
        throw error(here, "unknown initializer '" + v.asText() + "' (a custom object?)");
      }
      return object(cls, F.objectNode());
    }
    if (!v.isObject()) {
      throw error(here, "unrecognized initializer " + KerasJson.firstLine(String.valueOf(v)));
    }
    Obj o = unwrap(v, here);
    String cls = KerasNames.INITIALIZERS.getOrDefault(o.cls, o.cls);
    if (!KerasNames.INITIALIZER_CLASSES.contains(cls)) {
      throw error(here, "unknown initializer class '" + o.cls + "' (a custom object?)");
    }
    ObjectNode cfg = o.config.isObject() ? ((ObjectNode) o.config).deepCopy() : F.objectNode();
    cfg.remove("dtype");
    return object(cls, cfg);
  }

  private JsonNode regularizer(JsonNode v, String here) throws ModelFormatException {
    if (v == null || v.isNull()) {
      return NullNode.getInstance();
    }
    if (v.isTextual()) {
      String cls = KerasNames.REGULARIZERS.get(v.asText());
      if (cls == null) {
        throw error(here, "unknown regularizer '" + v.asText() + "' (a custom object?)");
      }
      return object(cls, F.objectNode());
    }
    if (v.isObject() && !v.has("class_name") && v.has("name")) {
      String cls = KerasNames.KERAS1_REGULARIZERS.get(v.path("name").asText());
      if (cls == null) {
        throw error(here, "unknown Keras 1 regularizer '" + v.path("name").asText() + "'");
      }
      ObjectNode cfg = F.objectNode();
      cfg.put("l1", v.path("l1").asDouble(0));
      cfg.put("l2", v.path("l2").asDouble(0));
      return object(cls, cfg);
    }
    if (!v.isObject()) {
      throw error(here, "unrecognized regularizer " + KerasJson.firstLine(String.valueOf(v)));
    }
    Obj o = unwrap(v, here);
    if (!KerasNames.REGULARIZER_CLASSES.contains(o.cls)) {
      throw error(here, "unknown regularizer class '" + o.cls + "' (a custom object?)");
    }
    return object(o.cls, o.config.isObject() ? o.config.deepCopy() : F.objectNode());
  }

  private JsonNode constraint(JsonNode v, int[] perm, String here) throws ModelFormatException {
    if (v == null || v.isNull()) {
      return NullNode.getInstance();
    }
    String cls;
    ObjectNode cfg;
    if (v.isTextual()) {
      cls = KerasNames.CONSTRAINTS.get(v.asText());
      if (cls == null) {
        throw error(here, "unknown constraint '" + v.asText() + "' (a custom object?)");
      }
      cfg = F.objectNode();
    } else if (v.isObject() && !v.has("class_name") && v.has("name")) {
      // Keras 1: {"name": "MaxNorm", "m": 2, "axis": 0}, MinMaxNorm with low/high
      cls = v.path("name").asText();
      if (!KerasNames.CONSTRAINT_CLASSES.contains(cls)) {
        throw error(here, "unknown Keras 1 constraint '" + cls + "'");
      }
      cfg = F.objectNode();
      Iterator<Map.Entry<String, JsonNode>> it = v.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> f = it.next();
        String k = switch (f.getKey()) {
          case "m" -> "max_value";
          case "low" -> "min_value";
          case "high" -> "max_value";
          default -> f.getKey();
        };
        if (!k.equals("name")) {
          cfg.set(k, f.getValue().deepCopy());
        }
      }
    } else if (v.isObject()) {
      Obj o = unwrap(v, here);
      cls = KerasNames.CONSTRAINTS.getOrDefault(o.cls, o.cls);
      if (!KerasNames.CONSTRAINT_CLASSES.contains(cls)) {
        throw error(here, "unknown constraint class '" + o.cls + "' (a custom object?)");
      }
      cfg = o.config.isObject() ? ((ObjectNode) o.config).deepCopy() : F.objectNode();
    } else {
      throw error(here, "unrecognized constraint " + KerasJson.firstLine(String.valueOf(v)));
    }
    if (perm != null && cfg.has("axis")) {
      cfg.set("axis", remapAxes(cfg.get("axis"), perm, here));
    }
    return object(cls, cfg);
  }

  /** Axis {@code a} of the stored layout is axis {@code perm[a]} after the weight transform. */
  private JsonNode remapAxes(JsonNode axis, int[] perm, String here) throws ModelFormatException {
    List<JsonNode> in = new ArrayList<>();
    if (axis.isArray()) {
      axis.forEach(in::add);
    } else {
      in.add(axis);
    }
    TreeSet<Integer> out = new TreeSet<>();
    for (JsonNode a : in) {
      if (!a.isIntegralNumber()) {
        throw error(here, "constraint axis must be integers, received " + axis);
      }
      int ax = a.asInt();
      int norm = ax < 0 ? ax + perm.length : ax;
      if (norm < 0 || norm >= perm.length) {
        throw error(here, "constraint axis " + ax + " out of range for a rank " + perm.length
            + " kernel");
      }
      if (perm[norm] >= 0) {
        out.add(perm[norm]);
      }
    }
    if (out.size() == 1 && !axis.isArray()) {
      return IntNode.valueOf(out.first());
    }
    ArrayNode a = F.arrayNode();
    out.forEach(a::add);
    return a;
  }

  private JsonNode activation(JsonNode v, String here) throws ModelFormatException {
    if (v == null || v.isNull()) {
      return NullNode.getInstance();
    }
    String name = null;
    if (v.isTextual()) {
      name = v.asText();
    } else if (v.isObject()) {
      Obj o = unwrap(v, here + " activation");
      if (o.config.isTextual()) {
        name = o.config.asText();
      } else {
        name = KerasStoreKeys.toSnakeCase(o.cls);
      }
    }
    if (name == null || !KerasNames.ACTIVATIONS.contains(name)) {
      throw error(here, "unknown activation " + KerasJson.firstLine(String.valueOf(v))
          + " (a custom object?)");
    }
    return TextNode.valueOf(name);
  }

  private static ObjectNode object(String cls, JsonNode config) {
    ObjectNode o = F.objectNode();
    o.put("class_name", cls);
    o.set("config", config);
    return o;
  }

  private static boolean hasAny(JsonNode node, Set<String> keys) {
    for (String k : keys) {
      if (node.has(k)) {
        return true;
      }
    }
    return false;
  }

  private static String kind(JsonNode n) {
    if (n == null || n.isMissingNode()) {
      return "nothing";
    }
    String s = n.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
    String text = KerasJson.firstLine(n.toString());
    return s + " " + (text.length() > 60 ? text.substring(0, 60) + "..." : text);
  }
}

package io.github.maxnorm.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.maxnorm.io.ModelArchive;
import io.github.maxnorm.io.ModelFiles;
import io.github.maxnorm.io.ModelFormatException;
import io.github.maxnorm.losses.Loss;
import io.github.maxnorm.losses.Losses;
import io.github.maxnorm.metrics.Metric;
import io.github.maxnorm.nn.Config;
import io.github.maxnorm.nn.Layer;
import io.github.maxnorm.nn.Parameter;
import io.github.maxnorm.nn.SymbolicTensor;
import io.github.maxnorm.nn.layers.InputLayer;
import io.github.maxnorm.nn.layers.LayerConfigs;
import io.github.maxnorm.optim.OptimizerConfig;
import io.github.maxnorm.optim.Optimizers;
import io.github.maxnorm.tensor.Shape;
import io.github.maxnorm.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Saves a {@link Model} to one model file and loads it back (the format is described in
 * docs/model-format.md). The file holds the Keras-form model config (layers with their
 * constraints), the weights by {@code layer/param}, the optimizer's slots and the training state
 * (compile settings, iteration and epoch counters, learning rate, momentum, seed), so that
 * {@code fit} resumes exactly where it stopped.
 */
public final class ModelIO {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private ModelIO() {}

  /**
   * The model's config in Keras form: for a {@link Sequential}, {@code {"class_name":
   * "Sequential", "config": {"name", "batch_input_shape", "layers"}}}; for a graph, Keras 2's
   * functional form {@code {"class_name": "Functional", "config": {"name", "layers",
   * "input_layers", "output_layers"}}}, each layer with its {@code inbound_nodes}.
   */
  public static Config config(Model m) {
    if (m instanceof Sequential s) {
      return sequentialConfig(s);
    }
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("name", m.name());
    List<Object> layers = new ArrayList<>();
    Map<Layer, List<SymbolicTensor>> calls = new IdentityHashMap<>();
    for (SymbolicTensor node : m.nodes()) {
      calls.computeIfAbsent(node.layer(), k -> new ArrayList<>()).add(node);
    }
    for (Layer l : m.layers()) {
      Map<String, Object> entry = LayerConfigs.nested(l.config(m.dtypePolicy()));
      entry.put("name", l.name());
      List<Object> inbound = new ArrayList<>();
      List<SymbolicTensor> nodes = new ArrayList<>(calls.getOrDefault(l, List.of()));
      nodes.sort(java.util.Comparator.comparingInt(SymbolicTensor::nodeIndex));
      for (SymbolicTensor node : nodes) {
        List<Object> args = new ArrayList<>();
        for (SymbolicTensor in : node.inputs()) {
          args.add(List.of(in.layer().name(), in.nodeIndex(), 0, Map.of()));
        }
        inbound.add(args);
      }
      entry.put("inbound_nodes", inbound);
      layers.add(entry);
    }
    c.put("layers", layers);
    c.put("input_layers", refs(m.inputs()));
    c.put("output_layers", refs(m.outputs()));
    return new Config("Functional", c);
  }

  private static List<Object> refs(List<SymbolicTensor> ts) {
    List<Object> r = new ArrayList<>();
    for (SymbolicTensor t : ts) {
      r.add(List.of(t.layer().name(), t.nodeIndex(), 0));
    }
    return r;
  }

  private static Config sequentialConfig(Sequential m) {
    List<Object> layers = new ArrayList<>();
    for (Layer l : m.layers()) {
      layers.add(LayerConfigs.nested(l.config(m.dtypePolicy())));
    }
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("name", m.name());
    if (m.inputShape() != null) {
      List<Object> shape = new ArrayList<>();
      shape.add(null);
      for (int d : m.inputShape().dims()) {
        shape.add(d);
      }
      c.put("batch_input_shape", shape);
    }
    c.put("layers", layers);
    return new Config("Sequential", c);
  }

  /**
   * A new, unbuilt model from a config made by {@link #config}: a Sequential, or a graph whose
   * layers are called as the inbound nodes say. A graph is refused when a node refers to a layer or
   * node that does not exist, or when its connections go round in a cycle.
   */
  public static Model fromConfig(Config c) {
    String cls = c.className();
    if (cls.equals("Sequential")) {
      return sequentialFromConfig(c);
    }
    if (!cls.equals("Functional") && !cls.equals("Model")) {
      throw new IllegalArgumentException(
          "model config: expected class_name Sequential, Functional or Model, received " + cls);
    }
    c.requireKeys(List.of("name", "layers", "input_layers", "output_layers", "trainable"));
    List<?> list = layerList(c);
    Map<String, Layer> byName = new LinkedHashMap<>();
    Map<String, List<?>> inbound = new LinkedHashMap<>();
    for (Object o : list) {
      if (!(o instanceof Map<?, ?> entry)) {
        throw new IllegalArgumentException("model config: a layer entry is not an object: " + o);
      }
      Layer l = LayerConfigs.fromConfig(layerConfig(o));
      Object n = entry.get("name");
      String name = n instanceof String s ? s : l.name();
      if (byName.put(name, l) != null) {
        throw new IllegalArgumentException("model config: two layers are named " + name);
      }
      Object in = entry.get("inbound_nodes");
      inbound.put(name, in == null ? List.of() : asList("inbound_nodes of " + name, in));
    }
    Map<String, List<SymbolicTensor>> made = new HashMap<>();
    for (Map.Entry<String, Layer> e : byName.entrySet()) {
      made.put(e.getKey(), new ArrayList<>());
      if (e.getValue() instanceof InputLayer il) {
        made.get(e.getKey()).add(il.apply());
      }
    }
    // call layers as soon as every input of their next node exists; a pass that calls none means
    // the remaining connections refer to missing nodes or form a cycle
    boolean progress = true;
    while (progress) {
      progress = false;
      for (Map.Entry<String, List<?>> e : inbound.entrySet()) {
        List<SymbolicTensor> done = made.get(e.getKey());
        List<?> nodes = e.getValue();
        Layer layer = byName.get(e.getKey());
        int offset = layer instanceof InputLayer ? 1 : 0;
        while (done.size() - offset < nodes.size()) {
          List<SymbolicTensor> args = resolve(e.getKey(), nodes.get(done.size() - offset), made);
          if (args == null) {
            break;
          }
          done.add(layer.apply(args));
          progress = true;
        }
      }
    }
    for (Map.Entry<String, List<?>> e : inbound.entrySet()) {
      int offset = byName.get(e.getKey()) instanceof InputLayer ? 1 : 0;
      if (made.get(e.getKey()).size() - offset < e.getValue().size()) {
        throw new IllegalArgumentException(
            "model config: the inbound nodes of " + e.getKey() + " refer to a missing layer or"
                + " node, or the connections form a cycle");
      }
    }
    return new Model(c.getString("name", "model"), endpoints(c, "input_layers", made),
        endpoints(c, "output_layers", made));
  }

  /** The symbolic inputs of one inbound node, or null while one of them is not made yet. */
  private static List<SymbolicTensor> resolve(String layer, Object node,
      Map<String, List<SymbolicTensor>> made) {
    List<?> refs = asList("inbound node of " + layer, node);
    List<SymbolicTensor> args = new ArrayList<>();
    for (Object r : refs) {
      List<?> ref = asList("inbound reference of " + layer, r);
      if (ref.size() < 3 || !(ref.get(0) instanceof String src) || !(ref.get(1) instanceof Number ni)
          || !(ref.get(2) instanceof Number ti)) {
        throw new IllegalArgumentException(
            "model config: inbound reference of " + layer + " must be [name, node, tensor, ...],"
                + " received " + r);
      }
      if (ti.intValue() != 0) {
        throw new IllegalArgumentException(
            "model config: " + layer + " refers to output " + ti + " of " + src
                + "; layers have one output");
      }
      List<SymbolicTensor> srcNodes = made.get(src);
      if (srcNodes == null) {
        throw new IllegalArgumentException(
            "model config: " + layer + " refers to an unknown layer " + src);
      }
      if (ni.intValue() < 0 || ni.intValue() >= srcNodes.size()) {
        return null;
      }
      args.add(srcNodes.get(ni.intValue()));
    }
    return args;
  }

  private static List<SymbolicTensor> endpoints(Config c, String key,
      Map<String, List<SymbolicTensor>> made) {
    Object v = c.get(key);
    List<?> list = asList(key, v);
    if (!list.isEmpty() && list.get(0) instanceof String) {
      list = List.of(list);
    }
    List<SymbolicTensor> r = new ArrayList<>();
    for (Object o : list) {
      List<?> ref = asList(key, o);
      if (ref.size() < 2 || !(ref.get(0) instanceof String name) || !(ref.get(1) instanceof Number n)
          || made.get(name) == null || n.intValue() < 0 || n.intValue() >= made.get(name).size()) {
        throw new IllegalArgumentException("model config: " + key + " refers to " + o
            + ", which is not a node of the model");
      }
      r.add(made.get(name).get(n.intValue()));
    }
    return r;
  }

  private static List<?> asList(String what, Object v) {
    if (v instanceof List<?> l) {
      return l;
    }
    throw new IllegalArgumentException("model config: " + what + " must be a list, received " + v);
  }

  private static List<?> layerList(Config c) {
    Object layers = c.get("layers");
    if (!(layers instanceof List<?> list) || list.isEmpty()) {
      throw new IllegalArgumentException("model config: layers must be a non-empty list");
    }
    if (list.size() > Model.MAX_LAYERS) {
      throw new IllegalArgumentException(
          "model config: " + list.size() + " layers exceed the limit of " + Model.MAX_LAYERS);
    }
    return list;
  }

  private static Config layerConfig(Object o) {
    Map<String, Object> entry = new LinkedHashMap<>();
    if (o instanceof Map<?, ?> m) {
      entry.put("class_name", m.get("class_name"));
      entry.put("config", m.get("config"));
    }
    return LayerConfigs.component(new Config("Model", Map.of("layer", entry)), "layer");
  }

  /** The per-sample input shape stored in a Sequential config, or null. */
  static Shape inputShape(Config c) {
    Object v = c.get("batch_input_shape");
    if (!(v instanceof List<?> l) || l.size() < 2) {
      return null;
    }
    int[] d = new int[l.size() - 1];
    for (int i = 1; i < l.size(); i++) {
      if (!(l.get(i) instanceof Number n) || n.intValue() < 1) {
        throw new IllegalArgumentException("model config: bad batch_input_shape " + v);
      }
      d[i - 1] = n.intValue();
    }
    return Shape.of(d);
  }

  private static Sequential sequentialFromConfig(Config c) {
    c.requireKeys(List.of("name", "layers", "batch_input_shape", "trainable"));
    Sequential m = new Sequential(c.getString("name", "sequential"));
    for (Object o : layerList(c)) {
      m.add(LayerConfigs.fromConfig(layerConfig(o == null ? Map.of() : o)));
    }
    return m;
  }

  /** Writes the model atomically to {@code path} (temporary file, fsync, rename). */
  public static void save(Model m, Path path) throws IOException {
    if (!m.built()) {
      throw new IllegalStateException("save: the model is not built");
    }
    Map<String, Tensor> weights = new LinkedHashMap<>();
    for (Parameter p : m.weights()) {
      weights.put(p.path(), p.variable().snapshot());
    }
    ObjectNode state = JSON.objectNode();
    state.put("epochs_completed", m.epochsCompleted());
    state.put("seed", m.seed());
    Map<String, Tensor> slots = Map.of();
    if (m.compiled()) {
      ObjectNode compile = state.putObject("compile");
      compile.set("optimizer", m.optimizer().config().config().toJson());
      compile.set("loss", m.loss().config().toJson());
      ArrayNode metrics = compile.putArray("metrics");
      for (Metric x : m.metrics()) {
        metrics.add(x.name());
      }
      state.put("iterations", m.optimizer().iterations());
      state.put("learning_rate", m.optimizer().learningRate());
      state.put("momentum", m.optimizer().momentum());
      slots = m.optimizer().slotState(m.parameters());
    }
    ModelFiles.save(path, new ModelArchive(config(m).toJson(), weights, slots, state));
  }

  /**
   * Checks, without allocating anything, that every weight the model's layers would create is
   * among the stored weights with the same shape and that no stored weight is left over; so a
   * config that declares layers larger than the file's weights is rejected before any memory is
   * taken for them.
   */
  private static void checkShapesBeforeBuilding(Model m, Map<String, Tensor> weights) {
    int expected = 0;
    for (Layer l : m.layers()) {
      for (Map.Entry<String, Shape> e : l.weightShapes(l.inputShapes()).entrySet()) {
        String key = l.name() + "/" + e.getKey();
        Tensor t = weights.get(key);
        if (t == null) {
          throw new IllegalArgumentException("weights lack " + key);
        }
        if (!t.shape().equals(e.getValue())) {
          throw new IllegalArgumentException(
              "weights " + key + " have shape " + t.shape() + ", the config describes "
                  + e.getValue());
        }
        expected++;
      }
    }
    if (expected != weights.size()) {
      throw new IllegalArgumentException(
          "weights hold " + weights.size() + " tensors, the config describes " + expected);
    }
  }

  /** Loads a model saved by {@link #save}: built, weights restored, compiled if it was. */
  public static Model load(Path path) throws IOException {
    ModelArchive a = ModelFiles.load(path);
    try {
      Config c = Config.fromJson(a.config());
      Model m = fromConfig(c);
      if (m instanceof Sequential s) {
        Shape in = inputShape(c);
        if (in == null) {
          int[] first = s.layers().get(0).declaredInputShape();
          if (first == null) {
            throw new IllegalArgumentException("model config: batch_input_shape is missing");
          }
          in = Shape.of(first);
        }
        s.defineFor(in);
      }
      Map<String, Tensor> weights = a.weights();
      checkShapesBeforeBuilding(m, weights);
      m.build(new SplittableRandom(0));
      List<Parameter> params = m.weights();
      for (Parameter p : params) {
        Tensor t = weights.get(p.path());
        if (t == null) {
          throw new IllegalArgumentException("weights lack " + p.path());
        }
        if (!t.shape().equals(p.shape())) {
          throw new IllegalArgumentException(
              "weights " + p.path() + " have shape " + t.shape() + ", the model needs "
                  + p.shape());
        }
        p.variable().assign(t);
      }
      if (weights.size() != params.size()) {
        throw new IllegalArgumentException(
            "weights hold " + weights.size() + " tensors, the model has " + params.size()
                + " parameters");
      }
      JsonNode state = a.trainingState();
      m.epochsCompleted(state.path("epochs_completed").asInt(0));
      m.seed(state.path("seed").asLong(0));
      JsonNode compile = state.get("compile");
      if (compile != null && compile.isObject()) {
        OptimizerConfig oc = Optimizers.fromConfig(Config.fromJson(compile.get("optimizer")));
        Loss loss = Losses.fromConfig(Config.fromJson(compile.get("loss")));
        List<String> metrics = new ArrayList<>();
        for (JsonNode x : compile.path("metrics")) {
          metrics.add(x.asText());
        }
        m.compile(oc, loss, metrics.toArray(String[]::new));
        m.optimizer().restore(m.parameters(), a.optimizerState(), state.path("iterations").asLong(0),
            state.path("learning_rate").asDouble(oc.learningRate()),
            state.path("momentum").asDouble(oc.momentum()));
      }
      return m;
    } catch (IllegalArgumentException e) {
      throw new ModelFormatException(path + ": " + e.getMessage(), e);
    }
  }
}

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
import io.github.maxnorm.nn.layers.LayerConfigs;
import io.github.maxnorm.optim.OptimizerConfig;
import io.github.maxnorm.optim.Optimizers;
import io.github.maxnorm.tensor.Shape;
import io.github.maxnorm.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Saves a {@link Sequential} to one model file and loads it back (the format is described in
 * docs/model-format.md). The file holds the Keras-form model config (layers with their
 * constraints), the weights by {@code layer/param}, the optimizer's slots and the training state
 * (compile settings, iteration and epoch counters, learning rate, momentum, seed), so that
 * {@code fit} resumes exactly where it stopped.
 */
public final class ModelIO {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private ModelIO() {}

  /** The model's config: {@code {"class_name": "Sequential", "config": {"name", "layers"}}}. */
  public static Config config(Sequential m) {
    List<Object> layers = new ArrayList<>();
    for (Layer l : m.layers()) {
      layers.add(LayerConfigs.nested(l.config()));
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

  /** A new, unbuilt model from a config made by {@link #config}. */
  public static Sequential fromConfig(Config c) {
    if (!c.className().equals("Sequential")) {
      throw new IllegalArgumentException(
          "model config: expected class_name Sequential, received " + c.className());
    }
    c.requireKeys(List.of("name", "layers", "batch_input_shape"));
    Object layers = c.get("layers");
    if (!(layers instanceof List<?> list) || list.isEmpty()) {
      throw new IllegalArgumentException("model config: layers must be a non-empty list");
    }
    Sequential m = new Sequential(c.getString("name", "sequential"));
    for (Object o : list) {
      Config lc = LayerConfigs.component(new Config("Sequential", Map.of("layer", o == null
          ? Map.of() : o)), "layer");
      m.add(LayerConfigs.fromConfig(lc));
    }
    return m;
  }

  /** The per-sample input shape stored in a config, or null. */
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

  /** Writes the model atomically to {@code path} (temporary file, fsync, rename). */
  public static void save(Sequential m, Path path) throws IOException {
    if (!m.built()) {
      throw new IllegalStateException("save: the model is not built");
    }
    Map<String, Tensor> weights = new LinkedHashMap<>();
    for (Parameter p : m.parameters()) {
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
   * Checks, without allocating anything, that every parameter the config describes is among the
   * stored weights with the same shape and that no stored weight is left over; so a config that
   * declares layers larger than the file's weights is rejected before any memory is taken for them.
   */
  private static void checkShapesBeforeBuilding(Sequential m, Shape in, Map<String, Tensor> weights) {
    Shape s = in;
    int expected = 0;
    for (Layer l : m.layers()) {
      for (Map.Entry<String, Shape> e : l.parameterShapes(s).entrySet()) {
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
      s = l.outputShape(s);
    }
    if (expected != weights.size()) {
      throw new IllegalArgumentException(
          "weights hold " + weights.size() + " tensors, the config describes " + expected);
    }
  }

  /** Loads a model saved by {@link #save}: built, weights restored, compiled if it was. */
  public static Sequential load(Path path) throws IOException {
    ModelArchive a = ModelFiles.load(path);
    try {
      Config c = Config.fromJson(a.config());
      Sequential m = fromConfig(c);
      Shape in = inputShape(c);
      if (in == null) {
        throw new IllegalArgumentException("model config: batch_input_shape is missing");
      }
      Map<String, Tensor> weights = a.weights();
      checkShapesBeforeBuilding(m, in, weights);
      m.build(in, new SplittableRandom(0));
      List<Parameter> params = m.parameters();
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
        m.optimizer().restore(params, a.optimizerState(), state.path("iterations").asLong(0),
            state.path("learning_rate").asDouble(oc.learningRate()),
            state.path("momentum").asDouble(oc.momentum()));
      }
      return m;
    } catch (IllegalArgumentException e) {
      throw new ModelFormatException(path + ": " + e.getMessage(), e);
    }
  }
}

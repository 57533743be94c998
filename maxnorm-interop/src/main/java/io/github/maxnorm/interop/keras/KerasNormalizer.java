package io.github.maxnorm.interop.keras;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.maxnorm.io.ModelFormatException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A {@link KerasModelFile} of any Keras version in the one canonical form: the model config through
 * {@link KerasConfigNormalizer}, the weights through {@link KerasWeightNormalizer}, and the training
 * config as tf.keras 2's {@code training_config} ({@code optimizer_config} as {@code {"class_name",
 * "config"}} with Keras 2 argument names, {@code loss}, {@code metrics}, {@code loss_weights}),
 * whether it came as Keras 1's or 2's {@code training_config} or Keras 3's {@code compile_config}.
 *
 * <p>A file whose version is not named (Keras 1 HDF5 files without {@code keras_version}) is
 * treated as Keras 1, as Keras's own loader does. The result says {@link #CANONICAL_VERSION} and
 * {@code tensorflow}, the dialect and layout it is in, so that normalizing it again (or a file
 * written from it) changes nothing.
 */
public final class KerasNormalizer {
  /** The version the canonical form is written as: the last release of tf.keras 2. */
  public static final String CANONICAL_VERSION = "2.15.0";

  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  /** Keras 1's {@code lr}, and TensorFlow.js's camel-case optimizer arguments. */
  private static final Map<String, String> OPTIMIZER_ARGS = Map.of(
      "lr", "learning_rate", "learningRate", "learning_rate", "beta1", "beta_1",
      "beta2", "beta_2", "useNesterov", "nesterov",
      "initialAccumulatorValue", "initial_accumulator_value");

  private KerasNormalizer() {}

  /** The canonical form of {@code file}; {@code source} names it in messages. */
  public static KerasModelFile normalize(KerasModelFile file, String source)
      throws ModelFormatException {
    if (file.modelConfig() == null) {
      throw new ModelFormatException(source + ": the file has no model config; give one with"
          + " normalize(weights, config, source)");
    }
    return normalize(file, file.modelConfig(), source);
  }

  /**
   * The canonical form of the weights in {@code file} with the model config {@code config}, layers
   * matched by name. A Keras 3 weights file ({@link KerasFormat#KERAS_WEIGHTS}) names its layers by
   * store key; those are mapped to layer names through {@code config} ({@link KerasStoreKeys}).
   */
  public static KerasModelFile normalize(KerasModelFile file, JsonNode config, String source)
      throws ModelFormatException {
    return normalize(file, config, source, true);
  }

  /**
   * As {@link #normalize(KerasModelFile, JsonNode, String)}; with {@code byName} false the layers
   * of the file that hold weights are matched in order to the layers of the config that need
   * weights, whatever their names, as Keras's {@code load_weights(by_name=False)} matches them.
   */
  public static KerasModelFile normalize(KerasModelFile file, JsonNode config, String source,
      boolean byName) throws ModelFormatException {
    ObjectNode canonical = KerasConfigNormalizer.normalize(config, source);
    int major = file.kerasMajorVersion();
    if (major == 0 && (file.format() == KerasFormat.H5 || file.format() == KerasFormat.H5_WEIGHTS)) {
      major = 1;
    }
    List<LayerWeights> given = file.layers();
    if (file.format() == KerasFormat.KERAS_WEIGHTS && byName) {
      given = byStoreKey(given, config, source);
    } else if (!byName) {
      given = inOrder(given, canonical, source);
    }
    List<LayerWeights> layers = KerasWeightNormalizer.normalize(
        given, canonical, major, file.backend(), source);
    JsonNode training = file.trainingConfig() == null ? null
        : trainingConfig(file.trainingConfig(), source);
    return new KerasModelFile(file.format(), CANONICAL_VERSION, "tensorflow", canonical,
        training, layers);
  }

  private static List<LayerWeights> byStoreKey(List<LayerWeights> layers, JsonNode config,
      String source) throws ModelFormatException {
    java.util.Map<String, String> names = new java.util.HashMap<>();
    for (KerasStoreKeys.Entry e : KerasStoreKeys.entries(config)) {
      names.put(e.key(), e.layerName());
    }
    List<LayerWeights> out = new java.util.ArrayList<>();
    for (LayerWeights l : layers) {
      String name = names.get(l.layerName());
      if (name == null) {
        if (l.size() == 0) {
          continue;
        }
        throw new ModelFormatException(source + ": layers/" + l.layerName()
            + " matches no layer of the config");
      }
      out.add(new LayerWeights(name, l.weights()));
    }
    return out;
  }

  private static List<LayerWeights> inOrder(List<LayerWeights> layers, JsonNode canonical,
      String source) throws ModelFormatException {
    List<String> targets = new java.util.ArrayList<>();
    for (JsonNode l : canonical.path("config").path("layers")) {
      List<String> expected = KerasWeightNames.expected(l.path("class_name").asText(),
          l.path("config"));
      if (expected == null || !expected.isEmpty()) {
        targets.add(l.has("name") ? l.path("name").asText() : l.path("config").path("name").asText());
      }
    }
    List<LayerWeights> withWeights = layers.stream().filter(l -> l.size() > 0).toList();
    if (withWeights.size() != targets.size()) {
      throw new ModelFormatException(source + ": the file holds weights for "
          + withWeights.size() + " layers, the model has " + targets.size()
          + " layers with weights");
    }
    List<LayerWeights> out = new java.util.ArrayList<>();
    for (int i = 0; i < targets.size(); i++) {
      out.add(new LayerWeights(targets.get(i), withWeights.get(i).weights()));
    }
    return out;
  }

  /** Keras 1/2 {@code training_config} or Keras 3 {@code compile_config} in tf.keras 2 form. */
  static JsonNode trainingConfig(JsonNode in, String source) throws ModelFormatException {
    if (!in.isObject()) {
      throw new ModelFormatException(source + ": the training config must be an object");
    }
    ObjectNode out = F.objectNode();
    JsonNode opt = in.has("optimizer_config") ? in.get("optimizer_config") : in.get("optimizer");
    if (opt != null && !opt.isNull()) {
      out.set("optimizer_config", optimizer(opt, source));
    }
    for (String k : List.of("loss", "metrics", "weighted_metrics", "loss_weights",
        "sample_weight_mode")) {
      if (in.has(k)) {
        out.set(k, strip(in.get(k), 0));
      }
    }
    return out;
  }

  private static JsonNode optimizer(JsonNode opt, String source) throws ModelFormatException {
    ObjectNode out = F.objectNode();
    if (opt.isTextual()) {
      out.put("class_name", opt.asText());
      out.putObject("config");
      return out;
    }
    if (!opt.isObject()) {
      throw new ModelFormatException(source + ": unrecognized optimizer " + opt);
    }
    String cls;
    JsonNode cfg;
    if (opt.has("class_name")) {
      cls = opt.path("class_name").asText();
      cfg = opt.path("config");
    } else {
      cls = opt.path("name").asText("");
      cfg = opt;
    }
    ObjectNode c = F.objectNode();
    Iterator<Map.Entry<String, JsonNode>> it = cfg.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> f = it.next();
      String k = f.getKey();
      if (k.equals("name") && !opt.has("class_name")) {
        continue;
      }
      c.set(OPTIMIZER_ARGS.getOrDefault(k, k), strip(f.getValue(), 0));
    }
    out.put("class_name", cls);
    out.set("config", c);
    return out;
  }

  /** A copy without Keras 3's {@code module}, {@code registered_name}, {@code shared_object_id}. */
  static JsonNode strip(JsonNode n, int depth) {
    if (depth > 64 || !n.isContainerNode()) {
      return n.deepCopy();
    }
    if (n.isArray()) {
      var a = F.arrayNode();
      n.forEach(c -> a.add(strip(c, depth + 1)));
      return a;
    }
    ObjectNode o = F.objectNode();
    n.fields().forEachRemaining(f -> {
      if (!List.of("module", "registered_name", "shared_object_id").contains(f.getKey())) {
        o.set(f.getKey(), strip(f.getValue(), depth + 1));
      }
    });
    return o;
  }
}

package io.github.maxnorm.interop.keras;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.maxnorm.io.ModelFormatException;
import io.github.maxnorm.losses.Loss;
import io.github.maxnorm.losses.Losses;
import io.github.maxnorm.metrics.Metric;
import io.github.maxnorm.model.Model;
import io.github.maxnorm.model.ModelIO;
import io.github.maxnorm.model.Sequential;
import io.github.maxnorm.nn.Config;
import io.github.maxnorm.nn.Layer;
import io.github.maxnorm.nn.Parameter;
import io.github.maxnorm.nn.layers.InputLayer;
import io.github.maxnorm.nn.layers.LayerConfigs;
import io.github.maxnorm.optim.OptimizerConfig;
import io.github.maxnorm.optim.Optimizers;
import io.github.maxnorm.tensor.Shape;
import io.github.maxnorm.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Keras models to maxnorm {@link Model}s and back, through the canonical form of {@link
 * KerasNormalizer} (tf.keras 2's config, weights in TensorFlow layout and {@code get_weights()}
 * order).
 *
 * <p>Import ({@link #toModel}): every layer config is first read by maxnorm's layer registry
 * ({@link LayerConfigs}); the first one it cannot read is refused in one line naming the file, the
 * layer and its class, before any weight is allocated. The stored weights are then compared, count
 * and shape, with the weights each layer would create, still before allocating; only then is the
 * model built and the stored values assigned in Keras's order. The training config is compiled
 * where maxnorm has its optimizer, loss and metrics; otherwise the model is returned uncompiled
 * with a note saying why.
 *
 * <p>Export ({@link #toKeras}): the model's config as {@link ModelIO#config} writes it, in the
 * canonical form, with its weights and its compile settings as a training config; any writer of
 * {@link io.github.maxnorm.interop.KerasFiles} takes it.
 */
public final class KerasModels {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  /**
   * Activation names that differ: Keras 2's {@code hard_sigmoid} is {@code clip(0.2x + 0.5, 0,
   * 1)}, which maxnorm calls {@code hard_sigmoid_keras2} (maxnorm's {@code hard_sigmoid} is Keras
   * 3's {@code relu6(x + 3) / 6}).
   */
  private static final Map<String, String> ACTIVATIONS_IN =
      Map.of("hard_sigmoid", "hard_sigmoid_keras2");

  /** Keys of tf.keras 2.11+ optimizer configs that maxnorm does not model, with their defaults. */
  private static final Map<String, Object> OPTIMIZER_DEFAULTS = defaults();

  private KerasModels() {}

  /**
   * A model imported from a file and what could not be carried over.
   *
   * @param model the built model with the file's weights; compiled when the training config could
   *     be restored
   * @param notes what was left out (an optimizer or loss maxnorm does not have), one line each
   */
  public record Import(Model model, List<String> notes) {
    /** Copies the notes. */
    public Import {
      notes = List.copyOf(notes);
    }
  }

  /**
   * Builds the model of a file in canonical form ({@link KerasNormalizer#normalize}) with its
   * weights, compiled when its training config can be restored.
   *
   * @param canonical the normalized file
   * @param source names the file in messages
   * @throws ModelFormatException when a layer cannot be imported or the weights do not fit
   */
  public static Import toModel(KerasModelFile canonical, String source)
      throws ModelFormatException {
    return toModel(canonical, source, true, 0);
  }

  /**
   * As {@link #toModel(KerasModelFile, String)}; with {@code requireWeights} false a file without
   * weights (a bare config) gives a model with fresh weights drawn from {@code seed}.
   */
  public static Import toModel(KerasModelFile canonical, String source, boolean requireWeights,
      long seed) throws ModelFormatException {
    JsonNode config = canonical.modelConfig();
    if (config == null) {
      throw new ModelFormatException(source + ": the file holds no model config");
    }
    Config modelConfig = maxnormConfig(config, source);
    Model m;
    try {
      m = ModelIO.fromConfig(modelConfig);
    } catch (IllegalArgumentException e) {
      throw new ModelFormatException(source + ": " + e.getMessage(), e);
    }
    Map<Layer, List<Shape>> inputs = inputShapes(m, modelConfig, source);
    boolean withWeights = requireWeights || !canonical.layers().isEmpty();
    checkWeights(m, inputs, canonical, source, withWeights);
    try {
      if (m instanceof Sequential s) {
        s.build(inputs.get(s.layers().get(0)).get(0), new SplittableRandom(seed));
      } else {
        m.build(new SplittableRandom(seed));
      }
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new ModelFormatException(source + ": " + e.getMessage(), e);
    }
    if (withWeights) {
      assign(m, canonical);
    }
    List<String> notes = new ArrayList<>();
    if (canonical.trainingConfig() != null) {
      compile(m, canonical.trainingConfig(), notes);
    }
    return new Import(m, notes);
  }

  /**
   * The layers of a canonical config that maxnorm cannot import, each as {@code layer 'name'
   * (Class): why}, in config order; empty when every layer is supported.
   */
  public static List<String> unsupportedLayers(JsonNode canonicalConfig) {
    List<String> out = new ArrayList<>();
    boolean sequential = canonicalConfig.path("class_name").asText().equals("Sequential");
    int index = 0;
    for (JsonNode l : canonicalConfig.path("config").path("layers")) {
      String cls = l.path("class_name").asText();
      try {
        LayerConfigs.fromConfig(layerConfig(cls, prepared(l, sequential, index, canonicalConfig)));
      } catch (IllegalArgumentException e) {
        out.add("layer '" + layerName(l) + "' (" + cls + "): " + reason(cls, e));
      }
      index++;
    }
    return out;
  }

  /**
   * A layer's config as maxnorm reads it: activations renamed ({@link #ACTIVATIONS_IN}), and
   * {@code batch_input_shape} kept only where Keras reads it (the first layer of a Sequential, or
   * the one after its leading InputLayer; InputLayers): Keras 2.0 writes {@code [null, null]} on
   * later layers.
   */
  private static JsonNode prepared(JsonNode l, boolean sequential, int index, JsonNode model) {
    JsonNode lc = mapActivations(l.path("config"));
    String cls = l.path("class_name").asText();
    boolean takesShape = sequential
        ? index == 0 || index == 1 && model.path("config").path("layers").path(0)
            .path("class_name").asText().equals("InputLayer")
        : cls.equals("InputLayer");
    if (!takesShape && lc.isObject()) {
      ((ObjectNode) lc).remove("batch_input_shape");
    }
    return lc;
  }

  private static String reason(String cls, IllegalArgumentException e) {
    if (!LayerConfigs.registry().contains(cls)) {
      return "maxnorm has no " + cls + " layer";
    }
    return e.getMessage();
  }

  private static String layerName(JsonNode l) {
    return l.has("name") ? l.path("name").asText() : l.path("config").path("name").asText();
  }

  /** The canonical model config in the form {@link ModelIO#fromConfig} reads. */
  private static Config maxnormConfig(JsonNode canonical, String source)
      throws ModelFormatException {
    String cls = canonical.path("class_name").asText();
    JsonNode cfg = canonical.path("config");
    ObjectNode out = F.objectNode();
    ObjectNode c = out.putObject("config");
    c.put("name", cfg.path("name").asText("model"));
    ArrayNode layers = c.putArray("layers");
    boolean sequential = cls.equals("Sequential");
    int index = 0;
    for (JsonNode l : cfg.path("layers")) {
      String layerCls = l.path("class_name").asText();
      JsonNode lc = prepared(l, sequential, index++, canonical);
      try {
        LayerConfigs.fromConfig(layerConfig(layerCls, lc));
      } catch (IllegalArgumentException e) {
        throw new ModelFormatException(source + ": layer '" + layerName(l) + "' (" + layerCls
            + "): " + reason(layerCls, e), e);
      }
      ObjectNode entry = F.objectNode();
      if (sequential) {
        entry.put("class_name", layerCls);
        entry.set("config", lc);
      } else {
        entry.put("name", layerName(l));
        entry.put("class_name", layerCls);
        entry.set("config", lc);
        entry.set("inbound_nodes", inboundNodes(l, source));
      }
      layers.add(entry);
    }
    if (cls.equals("Sequential")) {
      out.put("class_name", "Sequential");
      // Keras 2.2+ writes a leading InputLayer; maxnorm's Sequential takes its shape instead
      if (layers.size() > 1 && layers.get(0).path("class_name").asText().equals("InputLayer")) {
        JsonNode input = layers.remove(0).path("config");
        ObjectNode first = (ObjectNode) layers.get(0).path("config");
        if (!first.has("batch_input_shape") && input.has("batch_input_shape")) {
          first.set("batch_input_shape", input.get("batch_input_shape"));
        }
      }
    } else {
      out.put("class_name", "Model");
      c.set("input_layers", cfg.path("input_layers"));
      c.set("output_layers", cfg.path("output_layers"));
    }
    try {
      return Config.fromJson(out);
    } catch (IllegalArgumentException e) {
      throw new ModelFormatException(source + ": " + e.getMessage(), e);
    }
  }

  private static JsonNode inboundNodes(JsonNode l, String source) throws ModelFormatException {
    ArrayNode nodes = F.arrayNode();
    for (JsonNode node : l.path("inbound_nodes")) {
      ArrayNode refs = nodes.addArray();
      for (JsonNode ref : node) {
        JsonNode kwargs = ref.path(3);
        if (kwargs.isObject()) {
          Iterator<String> keys = kwargs.fieldNames();
          while (keys.hasNext()) {
            String k = keys.next();
            // "training" only forces a mode; maxnorm's mode is the call's (fit or predict)
            if (!k.equals("training")) {
              throw new ModelFormatException(source + ": layer '" + layerName(l) + "' ("
                  + l.path("class_name").asText() + "): is called with the argument '" + k
                  + "', which maxnorm does not support");
            }
          }
        }
        ArrayNode r = refs.addArray();
        r.add(ref.path(0));
        r.add(ref.path(1));
        r.add(ref.path(2));
      }
    }
    return nodes;
  }

  private static Config layerConfig(String cls, JsonNode config) {
    ObjectNode o = F.objectNode();
    o.put("class_name", cls);
    o.set("config", config);
    return Config.fromJson(o);
  }

  private static JsonNode mapActivations(JsonNode cfg) {
    if (!cfg.isObject()) {
      return cfg;
    }
    ObjectNode c = ((ObjectNode) cfg).deepCopy();
    JsonNode a = c.get("activation");
    if (a != null && a.isTextual() && ACTIVATIONS_IN.containsKey(a.asText())) {
      c.put("activation", ACTIVATIONS_IN.get(a.asText()));
    }
    return c;
  }

  /** Each layer's input shapes, worked out without building anything. */
  private static Map<Layer, List<Shape>> inputShapes(Model m, Config c, String source)
      throws ModelFormatException {
    Map<Layer, List<Shape>> r = new LinkedHashMap<>();
    try {
      if (m instanceof Sequential s) {
        List<Layer> ls = s.layers();
        int[] declared = ls.get(0).declaredInputShape();
        if (declared == null) {
          throw new ModelFormatException(source + ": the model does not declare its input shape"
              + " (no batch_input_shape on its first layer)");
        }
        Shape shape = Shape.of(declared);
        for (Layer l : ls) {
          r.put(l, List.of(shape));
          shape = l.outputShape(List.of(shape));
        }
      } else {
        for (Layer l : m.layers()) {
          if (!(l instanceof InputLayer)) {
            r.put(l, l.inputShapes());
          }
        }
      }
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new ModelFormatException(source + ": " + e.getMessage(), e);
    }
    return r;
  }

  /**
   * Compares the file's weights with those each layer would create (when {@code compare}), and
   * refuses a model whose weights would take more than {@link KerasReadLimits}'s weight budget;
   * allocates nothing.
   */
  private static void checkWeights(Model m, Map<Layer, List<Shape>> inputs,
      KerasModelFile file, String source, boolean compare) throws ModelFormatException {
    Set<String> used = new java.util.HashSet<>();
    long bytes = 0;
    long limit = KerasReadLimits.defaults().maxWeightBytes();
    for (Map.Entry<Layer, List<Shape>> e : inputs.entrySet()) {
      Layer l = e.getKey();
      Map<String, Shape> want;
      try {
        want = l.weightShapes(e.getValue());
      } catch (IllegalArgumentException ex) {
        throw new ModelFormatException(source + ": layer '" + l.name() + "' (" + l.className()
            + "): " + ex.getMessage(), ex);
      }
      for (Shape s : want.values()) {
        bytes += 4L * s.size();
        if (bytes > limit) {
          throw new ModelFormatException(source + ": layer '" + l.name() + "' ("
              + l.className() + "): the model's weights would take more than " + limit
              + " bytes");
        }
      }
      if (!compare) {
        continue;
      }
      List<KerasWeight> have = file.layer(l.name()).map(LayerWeights::weights).orElse(List.of());
      used.add(l.name());
      List<Shape> wantShapes = new ArrayList<>(want.values());
      boolean ok = have.size() == wantShapes.size();
      for (int i = 0; ok && i < have.size(); i++) {
        ok = Arrays.equals(have.get(i).shape(), wantShapes.get(i).dims());
      }
      if (!ok) {
        List<String> got = new ArrayList<>();
        for (KerasWeight w : have) {
          got.add(w.name() + Arrays.toString(w.shape()));
        }
        List<String> need = new ArrayList<>();
        want.forEach((n, s) -> need.add(n + s));
        throw new ModelFormatException(source + ": layer '" + l.name() + "' (" + l.className()
            + "): the file holds " + (got.isEmpty() ? "no weights" : got)
            + ", the layer needs " + (need.isEmpty() ? "none" : need));
      }
    }
    for (LayerWeights lw : compare ? file.layers() : List.<LayerWeights>of()) {
      if (lw.size() > 0 && !used.contains(lw.layerName())) {
        throw new ModelFormatException(source + ": the file holds weights for '"
            + lw.layerName() + "', which is no layer of the model");
      }
    }
  }

  private static void assign(Model m, KerasModelFile file) {
    for (Layer l : m.layers()) {
      List<Parameter> ps = l.weights();
      if (ps.isEmpty()) {
        continue;
      }
      LayerWeights lw = file.layer(l.name()).orElseThrow();
      for (int i = 0; i < ps.size(); i++) {
        KerasWeight w = lw.get(i);
        ps.get(i).variable().assign(Tensor.of(w.values(), w.shape()));
      }
    }
  }

  /** Compiles {@code m} from a tf.keras 2 training config, or notes why it cannot. */
  private static void compile(Model m, JsonNode training, List<String> notes) {
    OptimizerConfig opt;
    JsonNode oc = training.path("optimizer_config");
    try {
      if (!oc.isObject()) {
        notes.add("the training config names no optimizer; the model is not compiled");
        return;
      }
      ObjectNode cfg = F.objectNode();
      Iterator<Map.Entry<String, JsonNode>> it = oc.path("config").fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> f = it.next();
        if (!isDefault(f.getKey(), f.getValue())) {
          cfg.set(f.getKey(), f.getValue());
        }
      }
      ObjectNode o = F.objectNode();
      o.put("class_name", oc.path("class_name").asText());
      o.set("config", cfg);
      opt = Optimizers.fromConfig(Config.fromJson(o));
    } catch (IllegalArgumentException e) {
      notes.add("optimizer not restored (" + e.getMessage() + "); the model is not compiled");
      return;
    }
    Loss loss;
    try {
      loss = loss(training.path("loss"));
    } catch (IllegalArgumentException e) {
      notes.add("loss not restored (" + e.getMessage() + "); the model is not compiled");
      return;
    }
    List<String> metrics = new ArrayList<>();
    for (JsonNode x : flatMetrics(training.path("metrics"))) {
      String name = x.isTextual() ? x.asText()
          : x.path("config").path("name").asText(x.path("class_name").asText());
      try {
        io.github.maxnorm.metrics.Metrics.byName(name);
        metrics.add(name);
      } catch (IllegalArgumentException e) {
        notes.add("metric '" + name + "' left out: " + e.getMessage());
      }
    }
    m.compile(opt, loss, metrics.toArray(String[]::new));
  }

  private static List<JsonNode> flatMetrics(JsonNode metrics) {
    List<JsonNode> r = new ArrayList<>();
    if (metrics.isArray()) {
      for (JsonNode x : metrics) {
        if (x.isArray()) {
          x.forEach(r::add);
        } else if (!x.isNull()) {
          r.add(x);
        }
      }
    } else if (metrics.isObject()) {
      metrics.forEach(v -> r.addAll(flatMetrics(v.isArray() ? v : F.arrayNode().add(v))));
    }
    return r;
  }

  private static Loss loss(JsonNode loss) {
    if (loss.isTextual()) {
      return Losses.byName(loss.asText());
    }
    if (loss.isObject() && loss.has("class_name")) {
      ObjectNode o = F.objectNode();
      o.put("class_name", loss.path("class_name").asText());
      ObjectNode c = o.putObject("config");
      JsonNode fl = loss.path("config").path("from_logits");
      if (fl.isBoolean()) {
        c.put("from_logits", fl.asBoolean());
      }
      return Losses.fromConfig(Config.fromJson(o));
    }
    if (loss.isObject() && loss.size() == 1) {
      // one loss per output name, for a model of one output
      return loss(loss.elements().next());
    }
    throw new IllegalArgumentException("unsupported loss " + loss);
  }

  private static boolean isDefault(String key, JsonNode v) {
    if (!OPTIMIZER_DEFAULTS.containsKey(key)) {
      return false;
    }
    Object d = OPTIMIZER_DEFAULTS.get(key);
    if (d == null) {
      return v.isNull();
    }
    if (d instanceof Boolean b) {
      return v.isBoolean() && v.asBoolean() == b;
    }
    if (d instanceof Double x) {
      return v.isNumber() && v.asDouble() == x;
    }
    return false;
  }

  private static Map<String, Object> defaults() {
    Map<String, Object> d = new HashMap<>();
    d.put("is_legacy_optimizer", Boolean.FALSE);
    d.put("jit_compile", Boolean.FALSE);
    d.put("use_ema", Boolean.FALSE);
    d.put("ema_momentum", 0.99);
    d.put("ema_overwrite_frequency", null);
    d.put("weight_decay", null);
    d.put("loss_scale_factor", null);
    d.put("gradient_accumulation_steps", null);
    return d;
  }

  // ------------------------------------------------------------------------------- export

  /**
   * A built maxnorm model as a canonical Keras file: its config ({@link ModelIO#config}) in tf.keras
   * 2's form, every weight in Keras's order, and its compile settings as the training config.
   *
   * @throws IllegalArgumentException when the model is not built, or holds something Keras 2 has no
   *     name for
   */
  public static KerasModelFile toKeras(Model m) {
    if (!m.built()) {
      throw new IllegalArgumentException("export: the model is not built");
    }
    JsonNode config = ModelIO.config(m).toJson();
    ObjectNode out = F.objectNode();
    boolean sequential = m instanceof Sequential;
    out.put("class_name", sequential ? "Sequential" : "Model");
    ObjectNode c = out.putObject("config");
    c.put("name", m.name());
    ArrayNode layers = c.putArray("layers");
    int i = 0;
    for (JsonNode l : config.path("config").path("layers")) {
      ObjectNode entry = ((ObjectNode) l).deepCopy();
      ObjectNode lc = (ObjectNode) entry.get("config");
      activationOut(lc, m.name());
      explicitConstraintAxes(lc, m.layer(lc.path("name").asText()));
      if (sequential && i == 0 && !lc.has("batch_input_shape")) {
        ArrayNode shape = F.arrayNode().addNull();
        for (int d : m.inputShape().dims()) {
          shape.add(d);
        }
        // Keras 2 takes the Sequential's input shape from its first layer
        ObjectNode withShape = F.objectNode();
        lc.fields().forEachRemaining(f -> {
          withShape.set(f.getKey(), f.getValue());
          if (f.getKey().equals("trainable")) {
            withShape.set("batch_input_shape", shape);
          }
        });
        if (!withShape.has("batch_input_shape")) {
          withShape.set("batch_input_shape", shape);
        }
        entry.set("config", withShape);
      }
      layers.add(entry);
      i++;
    }
    if (!sequential) {
      c.set("input_layers", config.path("config").path("input_layers"));
      c.set("output_layers", config.path("config").path("output_layers"));
    }
    List<LayerWeights> weights = new ArrayList<>();
    for (Layer l : m.layers()) {
      List<KerasWeight> ws = new ArrayList<>();
      for (Parameter p : l.weights()) {
        ws.add(KerasWeight.of(p.name(), p.shape().dims(), p.variable().snapshot().toArray()));
      }
      // Keras lists every layer of a functional model, InputLayers included, in layer_names
      if (!(l instanceof InputLayer) || !(m instanceof Sequential)) {
        weights.add(new LayerWeights(l.name(), ws));
      }
    }
    JsonNode training = m.compiled() ? trainingConfig(m) : null;
    return new KerasModelFile(KerasFormat.H5, KerasNormalizer.CANONICAL_VERSION, "tensorflow",
        out, training, weights);
  }

  /**
   * maxnorm's unit default (a norm constraint without {@code axis}: one slice per output unit) as
   * the explicit axes Keras needs: Keras reads a missing axis as 0, which for a convolution kernel
   * would constrain other slices.
   */
  private static void explicitConstraintAxes(ObjectNode lc, Layer layer) {
    for (Parameter p : layer.weights()) {
      String n = p.name();
      String key = (n.endsWith("_kernel") ? n.substring(0, n.length() - "_kernel".length()) : n)
          + "_constraint";
      JsonNode k = lc.get(key);
      if (k != null && k.isObject() && k.path("config").isObject()
          && !k.path("config").has("axis") && !k.path("class_name").asText().equals("NonNeg")) {
        ArrayNode axes = ((ObjectNode) k.get("config")).putArray("axis");
        for (int a : p.unitAxes()) {
          axes.add(a);
        }
      }
    }
  }

  /**
   * {@code canonical} with the max-norm constraint {@code maxValue} on every kernel (Dense and
   * convolution {@code kernel}, {@code depthwise_kernel}, {@code pointwise_kernel}), replacing any
   * constraint there, each over the axes that make one slice per output unit (Dense {@code [0]},
   * Conv2D {@code [0, 1, 2]}, ...), written out as Keras needs them. Weights and everything else
   * are unchanged.
   */
  public static KerasModelFile withKernelMaxNorm(KerasModelFile canonical, double maxValue) {
    JsonNode config = canonical.modelConfig();
    for (JsonNode l : config.path("config").path("layers")) {
      ObjectNode c = (ObjectNode) l.path("config");
      Map<String, int[]> keys = switch (l.path("class_name").asText()) {
        case "Dense" -> Map.of("kernel", new int[] {0});
        case "Conv1D" -> Map.of("kernel", new int[] {0, 1});
        case "Conv2D" -> Map.of("kernel", new int[] {0, 1, 2});
        case "Conv2DTranspose" -> Map.of("kernel", new int[] {0, 1, 3});
        case "DepthwiseConv2D" -> Map.of("depthwise", new int[] {0, 1});
        case "SeparableConv2D" -> Map.of("depthwise", new int[] {0, 1},
            "pointwise", new int[] {0, 1, 2});
        default -> Map.of();
      };
      keys.forEach((key, axes) -> {
        ObjectNode k = c.putObject(key + "_constraint");
        k.put("class_name", "MaxNorm");
        ObjectNode kc = k.putObject("config");
        kc.put("max_value", maxValue);
        ArrayNode a = kc.putArray("axis");
        for (int x : axes) {
          a.add(x);
        }
      });
    }
    return new KerasModelFile(canonical.format(), canonical.kerasVersion(), canonical.backend(),
        config, canonical.trainingConfig(), canonical.layers());
  }

  private static void activationOut(ObjectNode lc, String model) {
    JsonNode a = lc.get("activation");
    if (a == null || !a.isTextual()) {
      return;
    }
    switch (a.asText()) {
      case "hard_sigmoid_keras2" -> lc.put("activation", "hard_sigmoid");
      case "hard_sigmoid", "gelu_approximate", "log_softmax" -> throw new IllegalArgumentException(
          "export: layer '" + lc.path("name").asText() + "' of " + model + " uses the activation '"
              + a.asText() + "', which has no name in tf.keras 2");
      default -> { }
    }
  }

  private static JsonNode trainingConfig(Model m) {
    ObjectNode t = F.objectNode();
    ObjectNode oc = t.putObject("optimizer_config");
    Config opt = m.optimizer().config().config();
    oc.put("class_name", opt.className());
    ObjectNode oconf = oc.putObject("config");
    opt.toJson().path("config").fields().forEachRemaining(f -> {
      if (!f.getValue().isNull()) {
        oconf.set(f.getKey(), f.getValue());
      }
    });
    t.put("loss", lossName(m.loss()));
    ArrayNode metrics = t.putArray("metrics");
    for (Metric x : m.metrics()) {
      metrics.add(x.name());
    }
    return t;
  }

  /** Keras's function name of a loss, or its {@code {"class_name", "config"}} with arguments. */
  private static String lossName(Loss loss) {
    Config c = loss.config();
    Object fl = c.config().get("from_logits");
    if (Boolean.TRUE.equals(fl)) {
      throw new IllegalArgumentException("export: the loss " + c.className()
          + " on logits has no Keras function name; compile with probabilities");
    }
    return switch (c.className()) {
      case "CategoricalCrossentropy" -> "categorical_crossentropy";
      case "SparseCategoricalCrossentropy" -> "sparse_categorical_crossentropy";
      case "BinaryCrossentropy" -> "binary_crossentropy";
      case "MeanSquaredError" -> "mean_squared_error";
      case "MeanAbsoluteError" -> "mean_absolute_error";
      default -> throw new IllegalArgumentException(
          "export: the loss " + c.className() + " has no Keras function name");
    };
  }
}

package io.github.maxnorm.spark;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.maxnorm.losses.Losses;
import io.github.maxnorm.metrics.Metric;
import io.github.maxnorm.model.ModelIO;
import io.github.maxnorm.model.Model;
import io.github.maxnorm.nn.Config;
import io.github.maxnorm.optim.Optimizers;
import io.github.maxnorm.tensor.Shape;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * What a replica needs to rebuild a compiled model on an executor, as data: the model's Keras-form
 * config, its per-sample input shape and its compile settings (optimizer, loss, metrics), all as
 * JSON text. Weights and optimizer state travel separately, every round.
 *
 * @param modelConfig the model config ({@link ModelIO#config}) as JSON
 * @param inputShape the per-sample input shape; copied in and out
 * @param optimizer the optimizer config as JSON
 * @param loss the loss config as JSON
 * @param metrics the metric names
 */
public record ModelSpec(
    String modelConfig, int[] inputShape, String optimizer, String loss, List<String> metrics)
    implements Serializable {

  public ModelSpec {
    if (modelConfig == null || optimizer == null || loss == null) {
      throw new IllegalArgumentException("ModelSpec: model config, optimizer and loss are required");
    }
    if (inputShape == null || inputShape.length == 0) {
      throw new IllegalArgumentException("ModelSpec: the input shape must have rank >= 1");
    }
    inputShape = inputShape.clone();
    Shape.of(inputShape);
    metrics = List.copyOf(metrics == null ? List.of() : metrics);
  }

  @Override
  public int[] inputShape() {
    return inputShape.clone();
  }

  /**
   * The spec of a compiled, built model.
   *
   * @throws IllegalArgumentException when the model is not compiled or not built
   */
  public static ModelSpec of(Model m) {
    if (m == null || !m.compiled() || !m.built()) {
      throw new IllegalArgumentException(
          "ModelSpec: the model must be compiled and built, received "
              + (m == null ? "null" : (m.compiled() ? "" : "not compiled ")
                  + (m.built() ? "" : "not built")));
    }
    List<String> metrics = new ArrayList<>();
    for (Metric x : m.metrics()) {
      metrics.add(x.name());
    }
    return new ModelSpec(
        ModelIO.config(m).toJsonString(),
        m.inputShape().dims(),
        m.optimizer().config().config().toJsonString(),
        m.loss().config().toJsonString(),
        metrics);
  }

  /**
   * A new model from this spec: built (with weights drawn from seed 0, for a caller that replaces
   * them) and compiled with a fresh optimizer.
   */
  public Model create() {
    return create(0);
  }

  /** A new model from this spec, built with initial weights drawn from {@code seed}, compiled. */
  public Model create(long seed) {
    Model m = ModelIO.fromConfig(Config.fromJson(modelConfig));
    if (m instanceof io.github.maxnorm.model.Sequential s) {
      s.build(Shape.of(inputShape), new SplittableRandom(seed));
    } else {
      m.build(new SplittableRandom(seed));
    }
    m.compile(Optimizers.fromConfig(Config.fromJson(optimizer)),
        Losses.fromConfig(Config.fromJson(loss)), metrics.toArray(String[]::new));
    return m;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ModelSpec s && modelConfig.equals(s.modelConfig)
        && java.util.Arrays.equals(inputShape, s.inputShape) && optimizer.equals(s.optimizer)
        && loss.equals(s.loss) && metrics.equals(s.metrics);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(modelConfig, java.util.Arrays.hashCode(inputShape), optimizer,
        loss, metrics);
  }

  @Override
  public String toString() {
    return "ModelSpec(" + modelConfig + ", input " + java.util.Arrays.toString(inputShape) + ", "
        + optimizer + ", " + loss + ", " + metrics + ")";
  }

  /** This spec as one JSON object (the form the Spark ML estimator stores as a parameter). */
  public String toJson() {
    ObjectNode o = JSON.createObjectNode();
    o.set("model", parse(modelConfig));
    ArrayNode shape = o.putArray("input_shape");
    for (int d : inputShape) {
      shape.add(d);
    }
    o.set("optimizer", parse(optimizer));
    o.set("loss", parse(loss));
    ArrayNode ms = o.putArray("metrics");
    metrics.forEach(ms::add);
    return o.toString();
  }

  /**
   * The spec that {@link #toJson} wrote.
   *
   * @throws IllegalArgumentException when the text is not such an object
   */
  public static ModelSpec fromJson(String json) {
    JsonNode o = parse(json);
    for (String k : List.of("model", "input_shape", "optimizer", "loss")) {
      if (!o.has(k)) {
        throw new IllegalArgumentException("ModelSpec: the JSON lacks \"" + k + "\": " + json);
      }
    }
    JsonNode shape = o.get("input_shape");
    int[] dims = new int[shape.size()];
    for (int i = 0; i < dims.length; i++) {
      dims[i] = shape.get(i).asInt();
    }
    List<String> metrics = new ArrayList<>();
    o.path("metrics").forEach(m -> metrics.add(m.asText()));
    return new ModelSpec(o.get("model").toString(), dims, o.get("optimizer").toString(),
        o.get("loss").toString(), metrics);
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("ModelSpec: invalid JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** The number of values in one sample. */
  public int sampleSize() {
    return Shape.of(inputShape).size();
  }
}

package io.github.maxnorm.io;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.maxnorm.tensor.Tensor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything a model file holds: the model's configuration, its weights, the optimizer's slot
 * tensors and the training state needed to resume. This package does not interpret the JSON parts;
 * their schema belongs to the code that builds models and runs training.
 *
 * <p>The record is a snapshot: tensors are copied in (so later updates to a variable's storage do
 * not leak into it) and the JSON trees are copied in and out.
 *
 * @param config the model configuration; any JSON value
 * @param weights the model's parameters by name; copied in, insertion order kept, unmodifiable
 * @param optimizerState the optimizer's slot tensors (e.g. momentum buffers) by name; may be empty
 * @param trainingState epoch and step counters, optimizer configuration, seeds, history so far;
 *     any JSON value (use an empty object when there is none)
 */
public record ModelArchive(
    JsonNode config,
    Map<String, Tensor> weights,
    Map<String, Tensor> optimizerState,
    JsonNode trainingState) {

  public ModelArchive {
    config = json("config", config);
    trainingState = json("trainingState", trainingState);
    weights = snapshot("weights", weights);
    optimizerState = snapshot("optimizerState", optimizerState);
  }

  /** A copy of the model configuration. */
  @Override
  public JsonNode config() {
    return config.deepCopy();
  }

  /** A copy of the training state. */
  @Override
  public JsonNode trainingState() {
    return trainingState.deepCopy();
  }

  private static JsonNode json(String what, JsonNode node) {
    if (node == null || node.isMissingNode()) {
      throw new IllegalArgumentException(
          "ModelArchive: " + what + " must be a JSON value, received " + node);
    }
    return node.deepCopy();
  }

  private static Map<String, Tensor> snapshot(String what, Map<String, Tensor> tensors) {
    if (tensors == null) {
      throw new IllegalArgumentException("ModelArchive: " + what + " must not be null");
    }
    Map<String, Tensor> copy = new LinkedHashMap<>();
    for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
      SafeTensors.checkName("ModelArchive " + what, e.getKey());
      Tensor t = e.getValue();
      if (t == null) {
        throw new IllegalArgumentException(
            "ModelArchive: " + what + " tensor '" + e.getKey() + "' is null");
      }
      copy.put(e.getKey(), Tensor.of(t.toArray(), t.shape()));
    }
    return Collections.unmodifiableMap(copy);
  }
}

package io.github.maxnorm.interop.tfjs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What TensorFlow.js 4.22 computes differently from Keras, found by running its CPU backend on
 * models Keras recorded (see {@code maxnorm-interop/consumers/}): a model is written for
 * TensorFlow.js only in a form it runs as Keras does.
 *
 * <ul>
 *   <li>{@code ReLU} with {@code negative_slope}: TF.js ignores the slope (silently wrong
 *       outputs). Without {@code max_value} and {@code threshold} it is {@code LeakyReLU(alpha)},
 *       which is written instead; otherwise refused. A non-zero {@code threshold} is refused.
 *   <li>{@code ELU} with {@code alpha} other than 1: TF.js refuses to load it; refused here first.
 *   <li>{@code padding="causal"}: not implemented in TF.js; refused.
 *   <li>{@code Conv1D} with {@code data_format="channels_first"}: TF.js returns the output in
 *       channels-last layout; refused.
 * </ul>
 */
public final class TfjsCompatibility {
  private TfjsCompatibility() {}

  /**
   * Rewrites {@code model} (a canonical model config, changed in place) into the form TF.js runs
   * as Keras does, or throws naming the layer that it cannot run.
   */
  public static void adapt(JsonNode model) {
    JsonNode c = model.path("config");
    JsonNode layers = c.isArray() ? c : c.path("layers");
    for (JsonNode layer : layers) {
      String cls = layer.path("class_name").asText();
      JsonNode cfg = layer.path("config");
      String name = cfg.path("name").asText(layer.path("name").asText());
      String where = "layer '" + name + "' (" + cls + "): ";
      if (cls.equals("Sequential") || cls.equals("Model")) {
        adapt(layer);
        continue;
      }
      if (cls.equals("TimeDistributed") || cls.equals("Bidirectional")) {
        continue;
      }
      if (!(cfg instanceof ObjectNode o)) {
        continue;
      }
      switch (cls) {
        case "ReLU" -> {
          double slope = o.path("negative_slope").asDouble(0);
          double threshold = o.path("threshold").asDouble(0);
          boolean capped = o.hasNonNull("max_value");
          if (threshold != 0) {
            throw new IllegalArgumentException(where + "TensorFlow.js 4.22 has no ReLU threshold"
                + " (received " + threshold + ")");
          }
          if (slope != 0) {
            if (capped) {
              throw new IllegalArgumentException(where + "TensorFlow.js 4.22 ignores ReLU's"
                  + " negative_slope; with max_value it has no equivalent");
            }
            ((ObjectNode) layer).put("class_name", "LeakyReLU");
            o.remove("negative_slope");
            o.remove("threshold");
            o.remove("max_value");
            o.put("alpha", slope);
          }
        }
        case "ELU" -> {
          double alpha = o.path("alpha").asDouble(1);
          if (alpha != 1) {
            throw new IllegalArgumentException(where + "TensorFlow.js 4.22 runs ELU only with"
                + " alpha=1 (received " + alpha + ")");
          }
        }
        default -> { }
      }
      if ("causal".equals(o.path("padding").asText())) {
        throw new IllegalArgumentException(where + "TensorFlow.js 4.22 does not implement causal"
            + " padding");
      }
      if (cls.equals("Conv1D") && "channels_first".equals(o.path("data_format").asText())) {
        throw new IllegalArgumentException(where + "TensorFlow.js 4.22 returns a channels_first"
            + " Conv1D's output in channels-last layout");
      }
    }
  }
}

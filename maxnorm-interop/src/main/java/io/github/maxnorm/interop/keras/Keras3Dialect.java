package io.github.maxnorm.interop.keras;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * What a {@code .keras} file needs so that Keras 3 loads a config in tf.keras 2 form, as Keras 3's
 * source shows (it was not run here, no Keras 3 being available): {@code saving_lib} deserializes
 * the top-level model through {@code serialization_lib}, which needs the model's {@code module}
 * ({@code keras} for {@code Sequential}, {@code keras.src.models.functional} with {@code
 * registered_name} {@code Functional} for a graph); {@code Sequential.from_config} and {@code
 * functional_from_config} then read layers without {@code module} through Keras's legacy path
 * ({@code legacy/saving/saving_utils.model_from_config}, which turns {@code batch_input_shape} into
 * Keras 3's arguments), and accept Keras 2's list-form inbound nodes. {@code compile_from_config}
 * calls {@code compile(**config)}, so the training config becomes {@code optimizer}, {@code loss},
 * {@code loss_weights}, {@code metrics}, {@code weighted_metrics}, with optimizer arguments Keras 3
 * refuses ({@code jit_compile}, {@code is_legacy_optimizer}, {@code schedule_decay}) dropped.
 */
final class Keras3Dialect {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final List<String> REFUSED_OPTIMIZER_ARGS =
      List.of("jit_compile", "is_legacy_optimizer", "schedule_decay");

  private Keras3Dialect() {}

  /** {@code model} with Keras 3's top-level {@code module}/{@code registered_name}, if it lacks them. */
  static ObjectNode model(JsonNode model) {
    ObjectNode out = (ObjectNode) model.deepCopy();
    if (model.has("module")) {
      return out;
    }
    String cls = model.path("class_name").asText();
    ObjectNode wrapped = F.objectNode();
    if (cls.equals("Sequential")) {
      wrapped.put("module", "keras");
      wrapped.put("class_name", "Sequential");
      wrapped.set("config", out.path("config"));
      wrapped.putNull("registered_name");
    } else if (cls.equals("Model") || cls.equals("Functional")) {
      wrapped.put("module", "keras.src.models.functional");
      wrapped.put("class_name", "Functional");
      wrapped.set("config", out.path("config"));
      wrapped.put("registered_name", "Functional");
    } else {
      return out;
    }
    return wrapped;
  }

  /** A tf.keras 2 {@code training_config} as Keras 3's {@code compile_config}. */
  static JsonNode compileConfig(JsonNode training) {
    if (!training.has("optimizer_config")) {
      return training.deepCopy();
    }
    ObjectNode out = F.objectNode();
    JsonNode opt = training.path("optimizer_config");
    ObjectNode o = out.putObject("optimizer");
    o.put("module", "keras.optimizers");
    o.put("class_name", opt.path("class_name").asText());
    ObjectNode cfg = opt.path("config").isObject()
        ? ((ObjectNode) opt.path("config")).deepCopy() : F.objectNode();
    REFUSED_OPTIMIZER_ARGS.forEach(cfg::remove);
    o.set("config", cfg);
    o.putNull("registered_name");
    for (String k : List.of("loss", "loss_weights", "metrics", "weighted_metrics")) {
      if (training.has(k)) {
        out.set(k, training.get(k).deepCopy());
      }
    }
    return out;
  }
}

package io.github.maxnorm.interop.keras;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * How Keras 3 names layers inside {@code model.weights.h5}: not by layer name but by class. Keras
 * walks {@code model.layers} in order and gives each layer the key {@code to_snake_case(class
 * name)}, with {@code _1}, {@code _2}, ... appended for the second, third, ... layer of the same
 * class ({@code saving_lib._save_container_state}); its variables sit at {@code
 * layers/<key>/vars/0}, {@code vars/1}, ... in the order trainable then non-trainable, which is
 * {@code get_weights()} order. For a {@code Sequential} model {@code model.layers} leaves out the
 * leading {@code InputLayer}; for a functional model the {@code InputLayer}s are included (they
 * hold no variables, but they count for their own class). Keras 3.6 and later also store the
 * layer's name as the attribute {@code name} of its {@code vars} group; readers check it when it
 * is there.
 *
 * <p>Examples: {@code Dense, Dense, Conv2D} have keys {@code dense}, {@code dense_1}, {@code
 * conv2d}; {@code BatchNormalization} is {@code batch_normalization}, {@code ReLU} is {@code
 * re_lu}, {@code MaxPooling2D} is {@code max_pooling2d}.
 */
public final class KerasStoreKeys {
  private static final Pattern NON_WORD = Pattern.compile("\\W+");
  private static final Pattern CAMEL_1 = Pattern.compile("(.)([A-Z][a-z]+)");
  private static final Pattern CAMEL_2 = Pattern.compile("([a-z])([A-Z])");

  private KerasStoreKeys() {}

  /** One layer of a config with its key in the weights file. */
  public record Entry(String layerName, String className, String key, JsonNode layerConfig) {}

  /** Keras's {@code naming.to_snake_case}. */
  public static String toSnakeCase(String className) {
    String s = NON_WORD.matcher(className).replaceAll("");
    s = CAMEL_1.matcher(s).replaceAll("$1_$2");
    s = CAMEL_2.matcher(s).replaceAll("$1_$2");
    return s.toLowerCase(java.util.Locale.ROOT);
  }

  /**
   * The layers of {@code model} (a model config as Keras 3 writes it: {@code {"class_name":
   * "Sequential"|"Functional"|..., "config": {"layers": [...]}}}) in {@code model.layers} order,
   * each with its key.
   */
  public static List<Entry> entries(JsonNode model) {
    String cls = model.path("class_name").asText("");
    JsonNode cfg = model.path("config");
    JsonNode layers = cfg.isArray() ? cfg : cfg.path("layers");
    List<Entry> out = new ArrayList<>();
    Map<String, Integer> used = new HashMap<>();
    boolean sequential = cls.equals("Sequential");
    for (int i = 0; i < layers.size(); i++) {
      JsonNode layer = layers.get(i);
      String layerClass = layer.path("class_name").asText("");
      if (sequential && i == 0 && layerClass.equals("InputLayer")) {
        continue;
      }
      String name = layer.path("config").path("name").asText(layer.path("name").asText(""));
      out.add(new Entry(name, layerClass, uniqueName(toSnakeCase(layerClass), used), layer));
    }
    return out;
  }

  /** Keras's {@code _get_unique_name}: the first use is bare, later ones get {@code _1}, ... */
  static String uniqueName(String base, Map<String, Integer> used) {
    Integer n = used.get(base);
    if (n == null) {
      used.put(base, 0);
      return base;
    }
    used.put(base, n + 1);
    return base + "_" + (n + 1);
  }
}

package io.github.maxnorm.nn;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A component's configuration in Keras form, {@code {"class_name": "MaxNorm", "config": {...}}}:
 * the serialized shape shared by layers, constraints, initializers, regularizers, optimizers and
 * losses. The map holds only JSON values (String, Number, Boolean, null, List, Map), never counters
 * or random-generator state. Each component also has a typed config record that converts to and
 * from this form.
 *
 * @param className the registered class name, e.g. {@code Dense}
 * @param config the arguments in Keras's snake_case names; copied in, insertion order kept
 */
public record Config(String className, Map<String, Object> config) {
  public Config {
    if (className == null || className.isEmpty()) {
      throw new IllegalArgumentException("Config: className must not be empty");
    }
    config = Collections.unmodifiableMap(new LinkedHashMap<>(config == null ? Map.of() : config));
  }
}

package io.github.maxnorm.nn.layers;

import io.github.maxnorm.nn.Config;
import io.github.maxnorm.nn.Constraint;
import io.github.maxnorm.nn.Constraints;
import io.github.maxnorm.nn.Initializer;
import io.github.maxnorm.nn.Initializers;
import io.github.maxnorm.nn.Layer;
import io.github.maxnorm.nn.Parameter;
import io.github.maxnorm.nn.Regularizer;
import io.github.maxnorm.nn.Regularizers;
import io.github.maxnorm.tensor.Shape;
import java.util.Map;

/**
 * The initializer, regularizer and constraint of one kind of weight of a layer (its kernel, bias,
 * gamma, ...), with Keras's config keys {@code <key>_initializer}, {@code <key>_regularizer} and
 * {@code <key>_constraint}.
 */
final class WeightOptions {
  private final String key;
  Initializer initializer;
  Regularizer regularizer;
  Constraint constraint;

  WeightOptions(String key, Initializer initializer) {
    this.key = key;
    this.initializer = initializer;
  }

  /** Declares a trainable weight named {@code name} with these options. */
  Parameter declare(Layer.WeightSink sink, String name, Shape shape, int[] unitAxes) {
    return sink.add(name, shape, initializer, regularizer, constraint, unitAxes, true);
  }

  void initializer(Initializer i) {
    if (i == null) {
      throw new IllegalArgumentException(key + "_initializer must not be null");
    }
    initializer = i;
  }

  /** Writes the three keys, as nested {@code {"class_name", "config"}} maps or null. */
  void write(Map<String, Object> m) {
    m.put(key + "_initializer", LayerConfigs.nested(Initializers.toConfig(initializer)));
    m.put(key + "_regularizer",
        regularizer == null ? null : LayerConfigs.nested(Regularizers.toConfig(regularizer)));
    m.put(key + "_constraint",
        constraint == null ? null : LayerConfigs.nested(Constraints.toConfig(constraint)));
  }

  /** Reads what {@link #write} writes; absent keys keep the defaults. */
  void read(LayerConfig c) {
    Config i = c.component(key + "_initializer");
    if (i != null) {
      initializer = Initializers.fromConfig(i);
    }
    Config r = c.component(key + "_regularizer");
    regularizer = r == null ? null : Regularizers.fromConfig(r);
    Config k = c.component(key + "_constraint");
    constraint = k == null ? null : Constraints.fromConfig(k);
  }
}

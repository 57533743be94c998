package io.github.maxnorm.nn.layers;

import io.github.maxnorm.nn.Config;
import io.github.maxnorm.nn.Layer;
import io.github.maxnorm.nn.Registry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Layers to and from their Keras-form {@link Config}: the layer registry. Keys are Keras's
 * ({@code units}, {@code kernel_size}, {@code kernel_constraint}, ...); nested components are
 * {@code {"class_name": ..., "config": {...}}} maps; the first layer's input shape is
 * {@code batch_input_shape} with a null batch axis, as Keras writes it.
 */
public final class LayerConfigs {
  private static final Registry<Layer> REGISTRY =
      Registry.<Layer>empty("layer")
          .with("InputLayer", InputLayer::fromConfig)
          .with("Dense", Dense::fromConfig)
          .with("Activation", Activation::fromConfig)
          .with("Flatten", Flatten::fromConfig)
          .with("Reshape", Reshape::fromConfig)
          .with("Permute", Permute::fromConfig)
          .with("RepeatVector", RepeatVector::fromConfig)
          .with("Conv2D", Conv2D::fromConfig, "Convolution2D")
          .with("Conv1D", Conv1D::fromConfig, "Convolution1D")
          .with("DepthwiseConv2D", DepthwiseConv2D::fromConfig)
          .with("SeparableConv2D", SeparableConv2D::fromConfig, "SeparableConvolution2D")
          .with("Conv2DTranspose", Conv2DTranspose::fromConfig, "Convolution2DTranspose",
              "Deconvolution2D")
          .with("MaxPooling2D", c -> Pooling.read(c, 2, MaxPooling2D::new), "MaxPool2D")
          .with("AveragePooling2D", c -> Pooling.read(c, 2, AveragePooling2D::new), "AvgPool2D")
          .with("MaxPooling1D", c -> Pooling.read(c, 1, MaxPooling1D::new), "MaxPool1D")
          .with("AveragePooling1D", c -> Pooling.read(c, 1, AveragePooling1D::new), "AvgPool1D")
          .with("GlobalAveragePooling2D",
              c -> GlobalPooling.read(c, new GlobalAveragePooling2D()), "GlobalAvgPool2D")
          .with("GlobalMaxPooling2D", c -> GlobalPooling.read(c, new GlobalMaxPooling2D()),
              "GlobalMaxPool2D")
          .with("GlobalAveragePooling1D",
              c -> GlobalPooling.read(c, new GlobalAveragePooling1D()), "GlobalAvgPool1D")
          .with("GlobalMaxPooling1D", c -> GlobalPooling.read(c, new GlobalMaxPooling1D()),
              "GlobalMaxPool1D")
          .with("BatchNormalization", BatchNormalization::fromConfig)
          .with("LayerNormalization", LayerNormalization::fromConfig)
          .with("Dropout", Dropout::fromConfig)
          .with("SpatialDropout1D", c -> SpatialDropout.fromConfig(c, SpatialDropout1D::new))
          .with("SpatialDropout2D", c -> SpatialDropout.fromConfig(c, SpatialDropout2D::new))
          .with("GaussianNoise", c -> Noise.fromConfig(c, "stddev", GaussianNoise::new))
          .with("GaussianDropout", c -> Noise.fromConfig(c, "rate", GaussianDropout::new))
          .with("ActivityRegularization", ActivityRegularization::fromConfig)
          .with("ZeroPadding2D", c -> Border2D.read(c, "padding", ZeroPadding2D::new))
          .with("Cropping2D", c -> Border2D.read(c, "cropping", Cropping2D::new))
          .with("UpSampling2D", UpSampling2D::fromConfig)
          .with("Add", c -> Merge.read(c, new Add()))
          .with("Subtract", c -> Merge.read(c, new Subtract()))
          .with("Multiply", c -> Merge.read(c, new Multiply()))
          .with("Average", c -> Merge.read(c, new Average()))
          .with("Maximum", c -> Merge.read(c, new Maximum()))
          .with("Minimum", c -> Merge.read(c, new Minimum()))
          .with("Concatenate", Concatenate::fromConfig)
          .with("ReLU", ReLU::fromConfig)
          .with("LeakyReLU", c -> ScalarActivation.read(c, 0.3, LeakyReLU::new, "alpha",
              "negative_slope"))
          .with("PReLU", PReLU::fromConfig)
          .with("ELU", c -> ScalarActivation.read(c, 1.0, ELU::new, "alpha"))
          .with("Softmax", Softmax::fromConfig)
          .with("ThresholdedReLU", c -> ScalarActivation.read(c, 1.0, ThresholdedReLU::new,
              "theta"))
          .with("Rescaling", Rescaling::fromConfig)
          .with("Normalization", Normalization::fromConfig);

  private LayerConfigs() {}

  /** The built-in layers by class name and alias. */
  public static Registry<Layer> registry() {
    return REGISTRY;
  }

  /** A new, unbuilt layer from its Keras form. */
  public static Layer fromConfig(Config c) {
    return REGISTRY.build(c);
  }

  /** A component config as the nested map Keras writes. */
  public static Map<String, Object> nested(Config c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("class_name", c.className());
    m.put("config", c.config());
    return m;
  }

  /** The nested component config at {@code key}, or null when absent or null. */
  public static Config component(Config c, String key) {
    Object v = c.get(key);
    if (v == null) {
      return null;
    }
    if (v instanceof String s) {
      return new Config(s, Map.of());
    }
    if (v instanceof Map<?, ?> map) {
      Object cn = map.get("class_name");
      Object cfg = map.get("config");
      if (!(cn instanceof String name)) {
        throw new IllegalArgumentException(
            c.className() + " " + key + ": expected {\"class_name\": ..., \"config\": {...}}, received "
                + v);
      }
      Map<String, Object> inner = new LinkedHashMap<>();
      if (cfg instanceof Map<?, ?> cm) {
        for (Map.Entry<?, ?> e : cm.entrySet()) {
          inner.put(String.valueOf(e.getKey()), e.getValue());
        }
      } else if (cfg != null) {
        throw new IllegalArgumentException(
            c.className() + " " + key + ": config must be an object, received " + cfg);
      }
      return new Config(name, inner);
    }
    throw new IllegalArgumentException(
        c.className() + " " + key + ": expected a name or {\"class_name\": ...}, received " + v);
  }
}

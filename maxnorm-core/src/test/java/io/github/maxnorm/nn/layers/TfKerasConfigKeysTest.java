package io.github.maxnorm.nn.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.maxnorm.nn.Config;
import io.github.maxnorm.nn.Layer;
import org.junit.jupiter.api.Test;

/**
 * Keys real tf.keras files hold in DepthwiseConv2D and SeparableConv2D configs although the layers
 * never use them (the configs below are those of tf.keras 2.2.4's {@code cnn2d_76.h5} and of
 * DepthwiseConv2D in later tf.keras, which adds {@code groups}).
 */
class TfKerasConfigKeysTest {
  private static final String SEPARABLE = "{\"class_name\": \"SeparableConv2D\", \"config\": {"
      + "\"name\": \"separable_conv2d_24\", \"trainable\": true, \"dtype\": \"float32\","
      + " \"filters\": 4, \"kernel_size\": [3, 3], \"strides\": [1, 1], \"padding\": \"same\","
      + " \"data_format\": \"channels_last\", \"dilation_rate\": [1, 1], \"activation\": \"tanh\","
      + " \"use_bias\": true, \"kernel_initializer\": {\"class_name\": \"GlorotUniform\","
      + " \"config\": {\"seed\": null}}, \"bias_initializer\": {\"class_name\": \"Zeros\","
      + " \"config\": {}}, \"kernel_regularizer\": null, \"bias_regularizer\": null,"
      + " \"activity_regularizer\": null, \"kernel_constraint\": %s, \"bias_constraint\": null,"
      + " \"depth_multiplier\": 1, \"depthwise_initializer\": {\"class_name\": \"GlorotUniform\","
      + " \"config\": {\"seed\": null}}, \"pointwise_initializer\": {\"class_name\":"
      + " \"GlorotUniform\", \"config\": {\"seed\": null}}, \"depthwise_regularizer\": null,"
      + " \"pointwise_regularizer\": null, \"depthwise_constraint\": null,"
      + " \"pointwise_constraint\": null}}";

  private static final String DEPTHWISE = "{\"class_name\": \"DepthwiseConv2D\", \"config\": {"
      + "\"name\": \"dw\", \"trainable\": true, \"dtype\": \"float32\", \"kernel_size\": [3, 3],"
      + " \"strides\": [1, 1], \"padding\": \"valid\", \"data_format\": \"channels_last\","
      + " \"dilation_rate\": [1, 1], \"groups\": %d, \"activation\": \"linear\", \"use_bias\": true,"
      + " \"bias_initializer\": {\"class_name\": \"Zeros\", \"config\": {}},"
      + " \"bias_regularizer\": null, \"activity_regularizer\": null, \"bias_constraint\": null,"
      + " \"depth_multiplier\": 2, \"depthwise_initializer\": {\"class_name\": \"GlorotUniform\","
      + " \"config\": {\"seed\": null}}, \"depthwise_regularizer\": null,"
      + " \"depthwise_constraint\": null}}";

  @Test
  void separableConvAcceptsTheConvKeysTfKerasWrites() {
    Layer l = LayerConfigs.fromConfig(Config.fromJson(String.format(SEPARABLE, "null")));
    assertEquals("separable_conv2d_24", l.name());
    // the unused keys are not written back
    assertTrue(!l.config().config().containsKey("kernel_initializer"), l.config().toString());
  }

  @Test
  void aKernelConstraintOnSeparableConvIsRefusedNotDropped() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> LayerConfigs.fromConfig(Config.fromJson(String.format(SEPARABLE,
            "{\"class_name\": \"MaxNorm\", \"config\": {\"max_value\": 3, \"axis\": 0}}"))));
    assertTrue(e.getMessage().startsWith("SeparableConv2D: kernel_constraint is not used by"
        + " SeparableConv2D"), e.getMessage());
  }

  @Test
  void depthwiseConvAcceptsGroupsOne() {
    Layer l = LayerConfigs.fromConfig(Config.fromJson(String.format(DEPTHWISE, 1)));
    assertEquals("dw", l.name());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> LayerConfigs.fromConfig(Config.fromJson(String.format(DEPTHWISE, 2))));
    assertEquals("DepthwiseConv2D: groups must be 1, received 2", e.getMessage());
  }
}

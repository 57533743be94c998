package io.github.maxnorm.interop.keras;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The variables each Keras layer class holds, by their tf.keras 2 names, in {@code get_weights()}
 * order, as its config determines them ({@code use_bias}, {@code center}, {@code scale}). Used to
 * name the variables of a Keras 3 file, which stores them by index only, and to check that a file
 * holds as many arrays as the layer needs.
 */
public final class KerasWeightNames {
  private static final Set<String> KERNEL_BIAS =
      Set.of("Dense", "Conv1D", "Conv2D", "Conv3D", "Conv1DTranspose", "Conv2DTranspose",
          "Conv3DTranspose", "LocallyConnected1D", "LocallyConnected2D");
  private static final Set<String> DEPTHWISE = Set.of("DepthwiseConv1D", "DepthwiseConv2D");
  private static final Set<String> SEPARABLE = Set.of("SeparableConv1D", "SeparableConv2D");
  private static final Set<String> RECURRENT = Set.of("SimpleRNN", "GRU", "LSTM");

  /** Layer classes known to hold no variables at all. */
  static final Set<String> WEIGHTLESS =
      Set.of("InputLayer", "Activation", "Dropout", "Flatten", "Reshape", "Permute",
          "RepeatVector", "MaxPooling1D", "MaxPooling2D", "MaxPooling3D", "AveragePooling1D",
          "AveragePooling2D", "AveragePooling3D", "GlobalMaxPooling1D", "GlobalMaxPooling2D",
          "GlobalMaxPooling3D", "GlobalAveragePooling1D", "GlobalAveragePooling2D",
          "GlobalAveragePooling3D", "ZeroPadding1D", "ZeroPadding2D", "ZeroPadding3D",
          "Cropping1D", "Cropping2D", "Cropping3D", "UpSampling1D", "UpSampling2D",
          "UpSampling3D", "Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum",
          "Concatenate", "Dot", "ReLU", "LeakyReLU", "ELU", "Softmax", "ThresholdedReLU",
          "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D", "GaussianNoise",
          "GaussianDropout", "AlphaDropout", "ActivityRegularization", "Rescaling", "Masking",
          "Resizing", "CenterCrop");

  private KerasWeightNames() {}

  /**
   * The variable names of a layer of class {@code className} with config {@code config} (the
   * {@code config} object of the layer entry), or {@code null} when the class is not in this table.
   */
  public static List<String> expected(String className, JsonNode config) {
    List<String> names = new ArrayList<>();
    boolean useBias = config.path("use_bias").asBoolean(true);
    if (KERNEL_BIAS.contains(className)) {
      names.add("kernel");
      if (useBias) {
        names.add("bias");
      }
    } else if (DEPTHWISE.contains(className)) {
      names.add("depthwise_kernel");
      if (useBias) {
        names.add("bias");
      }
    } else if (SEPARABLE.contains(className)) {
      names.add("depthwise_kernel");
      names.add("pointwise_kernel");
      if (useBias) {
        names.add("bias");
      }
    } else if (RECURRENT.contains(className)) {
      names.add("kernel");
      names.add("recurrent_kernel");
      if (useBias) {
        names.add("bias");
      }
    } else if (className.equals("BatchNormalization")) {
      if (config.path("scale").asBoolean(true)) {
        names.add("gamma");
      }
      if (config.path("center").asBoolean(true)) {
        names.add("beta");
      }
      names.add("moving_mean");
      names.add("moving_variance");
    } else if (className.equals("LayerNormalization")) {
      if (config.path("scale").asBoolean(true)) {
        names.add("gamma");
      }
      if (config.path("center").asBoolean(true)) {
        names.add("beta");
      }
    } else if (className.equals("PReLU")) {
      names.add("alpha");
    } else if (className.equals("Embedding")) {
      names.add("embeddings");
    } else if (!WEIGHTLESS.contains(className)) {
      return null;
    }
    return names;
  }
}

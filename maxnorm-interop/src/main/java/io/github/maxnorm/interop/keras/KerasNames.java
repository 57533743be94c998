package io.github.maxnorm.interop.keras;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Keras's vocabulary across versions: the built-in class names (anything else is a custom object),
 * Keras 1's layer classes and argument names with their Keras 2 equivalents (from Keras 2's {@code
 * keras/legacy/interfaces.py}), and the identifiers that name initializers, constraints and
 * regularizers as strings.
 */
final class KerasNames {
  private KerasNames() {}

  /** Layer classes that hold code (a Python function or a TensorFlow op) and are never imported. */
  static final Set<String> CODE_LAYERS = Set.of("Lambda", "TFOpLambda", "SlicingOpLambda");

  /** Model classes. */
  static final Set<String> MODELS = Set.of("Sequential", "Model", "Functional");

  /** Keras 1 layer classes renamed in Keras 2. */
  static final Map<String, String> KERAS1_LAYERS = Map.ofEntries(
      Map.entry("Convolution1D", "Conv1D"),
      Map.entry("Convolution2D", "Conv2D"),
      Map.entry("Convolution3D", "Conv3D"),
      Map.entry("AtrousConvolution1D", "Conv1D"),
      Map.entry("AtrousConvolution2D", "Conv2D"),
      Map.entry("Deconvolution2D", "Conv2DTranspose"),
      Map.entry("SeparableConvolution2D", "SeparableConv2D"),
      Map.entry("MaxPool1D", "MaxPooling1D"),
      Map.entry("MaxPool2D", "MaxPooling2D"),
      Map.entry("MaxPool3D", "MaxPooling3D"),
      Map.entry("AvgPool1D", "AveragePooling1D"),
      Map.entry("AvgPool2D", "AveragePooling2D"),
      Map.entry("AvgPool3D", "AveragePooling3D"),
      Map.entry("GlobalMaxPool1D", "GlobalMaxPooling1D"),
      Map.entry("GlobalMaxPool2D", "GlobalMaxPooling2D"),
      Map.entry("GlobalAvgPool1D", "GlobalAveragePooling1D"),
      Map.entry("GlobalAvgPool2D", "GlobalAveragePooling2D"));

  /** Keras 1 layers that Keras 2 removed without an equivalent. */
  static final Set<String> KERAS1_REMOVED =
      Set.of("MaxoutDense", "Highway", "ParametricSoftplus", "SReLU", "AutoEncoder",
          "SpatialDropout", "ZeroPadding", "ActivityRegularization1D");

  /** Built-in layer classes of Keras 1, 2 and 3 (canonical names; aliases are mapped first). */
  static final Set<String> LAYERS = Set.of(
      "InputLayer", "Dense", "Activation", "Dropout", "Flatten", "Reshape", "Permute",
      "RepeatVector", "Masking", "ActivityRegularization", "Embedding", "Identity",
      "Conv1D", "Conv2D", "Conv3D", "Conv1DTranspose", "Conv2DTranspose", "Conv3DTranspose",
      "SeparableConv1D", "SeparableConv2D", "DepthwiseConv1D", "DepthwiseConv2D",
      "LocallyConnected1D", "LocallyConnected2D", "Cropping1D", "Cropping2D", "Cropping3D",
      "UpSampling1D", "UpSampling2D", "UpSampling3D", "ZeroPadding1D", "ZeroPadding2D",
      "ZeroPadding3D", "MaxPooling1D", "MaxPooling2D", "MaxPooling3D", "AveragePooling1D",
      "AveragePooling2D", "AveragePooling3D", "GlobalMaxPooling1D", "GlobalMaxPooling2D",
      "GlobalMaxPooling3D", "GlobalAveragePooling1D", "GlobalAveragePooling2D",
      "GlobalAveragePooling3D", "BatchNormalization", "LayerNormalization",
      "GroupNormalization", "UnitNormalization", "SpatialDropout1D", "SpatialDropout2D",
      "SpatialDropout3D", "GaussianNoise", "GaussianDropout", "AlphaDropout", "Add", "Subtract",
      "Multiply", "Average", "Maximum", "Minimum", "Concatenate", "Dot", "ReLU", "LeakyReLU",
      "PReLU", "ELU", "Softmax", "ThresholdedReLU", "SimpleRNN", "GRU", "LSTM", "ConvLSTM1D",
      "ConvLSTM2D", "ConvLSTM3D", "SimpleRNNCell", "GRUCell", "LSTMCell", "RNN",
      "StackedRNNCells", "CuDNNGRU", "CuDNNLSTM", "Bidirectional", "TimeDistributed",
      "Attention", "AdditiveAttention", "MultiHeadAttention", "Rescaling", "Normalization",
      "Resizing", "CenterCrop", "Discretization", "CategoryEncoding", "Hashing",
      "IntegerLookup", "StringLookup", "TextVectorization", "RandomFlip", "RandomRotation",
      "RandomZoom", "RandomTranslation", "RandomContrast", "RandomCrop");

  /** Keras 1 to 2 argument renames by (Keras 2) layer class, from keras/legacy/interfaces.py. */
  static final Map<String, String> DENSE_ARGS = Map.of(
      "output_dim", "units", "init", "kernel_initializer", "W_regularizer", "kernel_regularizer",
      "b_regularizer", "bias_regularizer", "W_constraint", "kernel_constraint", "b_constraint",
      "bias_constraint", "bias", "use_bias");
  static final Map<String, String> CONV_ARGS = Map.ofEntries(
      Map.entry("nb_filter", "filters"), Map.entry("subsample", "strides"),
      Map.entry("subsample_length", "strides"), Map.entry("filter_length", "kernel_size"),
      Map.entry("border_mode", "padding"), Map.entry("init", "kernel_initializer"),
      Map.entry("W_regularizer", "kernel_regularizer"), Map.entry("b_regularizer", "bias_regularizer"),
      Map.entry("W_constraint", "kernel_constraint"), Map.entry("b_constraint", "bias_constraint"),
      Map.entry("bias", "use_bias"), Map.entry("atrous_rate", "dilation_rate"));
  static final Map<String, String> SEPARABLE_ARGS = Map.of(
      "nb_filter", "filters", "subsample", "strides", "border_mode", "padding",
      "b_regularizer", "bias_regularizer", "b_constraint", "bias_constraint", "bias", "use_bias");
  static final Map<String, String> RECURRENT_ARGS = Map.of(
      "output_dim", "units", "init", "kernel_initializer", "inner_init", "recurrent_initializer",
      "inner_activation", "recurrent_activation", "W_regularizer", "kernel_regularizer",
      "b_regularizer", "bias_regularizer", "U_regularizer", "recurrent_regularizer",
      "dropout_W", "dropout", "dropout_U", "recurrent_dropout", "consume_less", "implementation");
  static final Map<String, String> EMBEDDING_ARGS = Map.of(
      "init", "embeddings_initializer", "W_regularizer", "embeddings_regularizer",
      "W_constraint", "embeddings_constraint");
  static final Map<String, String> POOL1D_ARGS = Map.of(
      "pool_length", "pool_size", "stride", "strides", "border_mode", "padding");
  static final Map<String, String> POOL_ARGS = Map.of("border_mode", "padding");
  static final Map<String, String> DROPOUT_ARGS = Map.of("p", "rate");
  static final Map<String, String> NOISE_ARGS = Map.of("sigma", "stddev");
  static final Map<String, String> PRELU_ARGS = Map.of("init", "alpha_initializer");
  static final Map<String, String> BATCHNORM_ARGS = Map.of(
      "beta_init", "beta_initializer", "gamma_init", "gamma_initializer");
  static final Map<String, String> UPSAMPLING1D_ARGS = Map.of("length", "size");

  /** The renames that apply to a (Keras 2) class. */
  static Map<String, String> renames(String cls) {
    return switch (cls) {
      case "Dense", "TimeDistributedDense" -> DENSE_ARGS;
      case "Conv1D", "Conv2D", "Conv3D", "Conv2DTranspose" -> CONV_ARGS;
      case "SeparableConv2D" -> SEPARABLE_ARGS;
      case "SimpleRNN", "GRU", "LSTM", "ConvLSTM2D" -> RECURRENT_ARGS;
      case "Embedding" -> EMBEDDING_ARGS;
      case "MaxPooling1D", "AveragePooling1D" -> POOL1D_ARGS;
      case "MaxPooling2D", "AveragePooling2D", "MaxPooling3D", "AveragePooling3D" -> POOL_ARGS;
      case "Dropout", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D",
          "GaussianDropout" -> DROPOUT_ARGS;
      case "GaussianNoise" -> NOISE_ARGS;
      case "PReLU" -> PRELU_ARGS;
      case "BatchNormalization" -> BATCHNORM_ARGS;
      case "UpSampling1D" -> UPSAMPLING1D_ARGS;
      default -> Map.of();
    };
  }

  /** Initializer identifiers (string form) and their classes. */
  static final Map<String, String> INITIALIZERS = Map.ofEntries(
      Map.entry("zero", "Zeros"), Map.entry("zeros", "Zeros"), Map.entry("one", "Ones"),
      Map.entry("ones", "Ones"), Map.entry("constant", "Constant"),
      Map.entry("uniform", "RandomUniform"), Map.entry("random_uniform", "RandomUniform"),
      Map.entry("normal", "RandomNormal"), Map.entry("random_normal", "RandomNormal"),
      Map.entry("truncated_normal", "TruncatedNormal"), Map.entry("identity", "Identity"),
      Map.entry("orthogonal", "Orthogonal"), Map.entry("glorot_uniform", "GlorotUniform"),
      Map.entry("glorot_normal", "GlorotNormal"), Map.entry("he_uniform", "HeUniform"),
      Map.entry("he_normal", "HeNormal"), Map.entry("lecun_uniform", "LecunUniform"),
      Map.entry("lecun_normal", "LecunNormal"), Map.entry("variance_scaling", "VarianceScaling"));
  static final Set<String> INITIALIZER_CLASSES = Set.of(
      "Zeros", "Ones", "Constant", "RandomUniform", "RandomNormal", "TruncatedNormal",
      "Identity", "Orthogonal", "GlorotUniform", "GlorotNormal", "HeUniform", "HeNormal",
      "LecunUniform", "LecunNormal", "VarianceScaling", "STFTInitializer");

  static final Map<String, String> CONSTRAINTS = Map.of(
      "max_norm", "MaxNorm", "maxnorm", "MaxNorm", "min_max_norm", "MinMaxNorm",
      "non_neg", "NonNeg", "nonneg", "NonNeg", "unit_norm", "UnitNorm", "unitnorm", "UnitNorm",
      "radial_constraint", "RadialConstraint");
  static final Set<String> CONSTRAINT_CLASSES =
      Set.of("MaxNorm", "MinMaxNorm", "NonNeg", "UnitNorm", "RadialConstraint");

  static final Map<String, String> REGULARIZERS = Map.of(
      "l1", "L1", "l2", "L2", "l1_l2", "L1L2", "orthogonal_regularizer", "OrthogonalRegularizer");
  static final Set<String> REGULARIZER_CLASSES = Set.of("L1", "L2", "L1L2", "OrthogonalRegularizer");

  /** Keras 1 regularizer class names (the {@code name} of their config) to Keras 2 classes. */
  static final Map<String, String> KERAS1_REGULARIZERS = Map.of(
      "L1L2Regularizer", "L1L2", "ActivityRegularizer", "L1L2", "WeightRegularizer", "L1L2");

  /** Activation function names of Keras 1, 2 and 3. */
  static final Set<String> ACTIVATIONS = Set.of(
      "linear", "relu", "relu6", "sigmoid", "hard_sigmoid", "tanh", "softmax", "softplus",
      "softsign", "elu", "selu", "exponential", "leaky_relu", "gelu", "swish", "silu", "mish",
      "log_softmax", "hard_silu", "hard_swish", "celu", "glu", "log_sigmoid", "sparse_plus",
      "squareplus", "tanh_shrink", "threshold", "soft_shrink", "sparsemax", "hard_tanh",
      "hard_shrink", "sparse_sigmoid");

  /** Keras 1 Merge modes and the Keras 2 merge layers they became. */
  static final Map<String, String> MERGE_MODES = Map.of(
      "sum", "Add", "mul", "Multiply", "concat", "Concatenate", "ave", "Average",
      "max", "Maximum", "dot", "Dot", "cos", "Dot");

  /** Keras 3 config keys with no Keras 2 meaning, dropped when they hold their default. */
  static final List<String> KERAS3_DEFAULT_KEYS =
      List.of("lora_rank", "lora_alpha", "quantization_config", "synchronized", "optional");
}

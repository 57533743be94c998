package io.github.maxnorm.interop.keras;

/** The containers a Keras model or its weights can come in. */
public enum KerasFormat {
  /** Keras 3 {@code .keras} zip: {@code config.json}, {@code metadata.json}, {@code model.weights.h5}. */
  KERAS_ZIP,
  /** The same three files in a folder (Keras 3's {@code zipped=False}). */
  KERAS_DIR,
  /**
   * A full model in HDF5 as Keras 1, Keras 2, tf.keras and Keras 3's legacy writer store it: the
   * {@code model_config} attribute and the {@code model_weights} group.
   */
  H5,
  /** Weights only in the same HDF5 layout ({@code save_weights} of Keras 1 and 2, {@code .h5}). */
  H5_WEIGHTS,
  /** Keras 3 weights only ({@code .weights.h5}): groups {@code layers/<key>/vars/<i>}. */
  KERAS_WEIGHTS,
  /** A TensorFlow.js layers model: {@code model.json} and binary weight shards. */
  TFJS,
  /** A bare model config as {@code model.to_json()} writes it, without weights. */
  JSON_CONFIG
}

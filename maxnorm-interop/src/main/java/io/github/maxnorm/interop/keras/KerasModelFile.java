package io.github.maxnorm.interop.keras;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A Keras model file in memory, independent of the container it came in: the model config and the
 * training config as the file holds them (JSON trees, not interpreted), the Keras version and
 * backend that wrote it, and each layer's weights in Keras's {@code get_weights()} order.
 *
 * <p>Nothing here is normalized: a Keras 1 file keeps its {@code Convolution2D}/{@code nb_filter}
 * config and its Theano kernels as stored. {@link KerasNormalizer} turns any of them into the one
 * canonical form.
 *
 * @param format the container it was read from, or is meant for
 * @param kerasVersion the Keras version the file names ({@code 1.2.2}, {@code 2.2.4-tf}, {@code
 *     3.5.0}); {@code null} if it names none
 * @param backend the backend the file names ({@code tensorflow}, {@code theano}, {@code jax}, ...),
 *     or inferred for Keras 1 files (see {@link H5ModelReader}); {@code null} if unknown
 * @param modelConfig the model config as written ({@code {"class_name": ..., "config": ...}});
 *     {@code null} for weights-only files
 * @param trainingConfig Keras 1/2's {@code training_config} or Keras 3's {@code compile_config};
 *     {@code null} if the file has none
 * @param layers the layers' weights in the file's layer order (layers without weights included
 *     where the file lists them)
 */
public record KerasModelFile(
    KerasFormat format,
    String kerasVersion,
    String backend,
    JsonNode modelConfig,
    JsonNode trainingConfig,
    List<LayerWeights> layers) {

  /** Validates and copies the JSON trees and the list. */
  public KerasModelFile {
    Objects.requireNonNull(format, "format");
    layers = List.copyOf(layers);
    modelConfig = modelConfig == null || modelConfig.isNull() ? null : modelConfig.deepCopy();
    trainingConfig =
        trainingConfig == null || trainingConfig.isNull() ? null : trainingConfig.deepCopy();
    List<String> seen = new ArrayList<>();
    for (LayerWeights l : layers) {
      if (seen.contains(l.layerName())) {
        throw new IllegalArgumentException(
            "KerasModelFile: layer '" + l.layerName() + "' appears twice");
      }
      seen.add(l.layerName());
    }
  }

  @Override
  public JsonNode modelConfig() {
    return modelConfig == null ? null : modelConfig.deepCopy();
  }

  @Override
  public JsonNode trainingConfig() {
    return trainingConfig == null ? null : trainingConfig.deepCopy();
  }

  /** The weights of the layer named {@code name}, if the file holds an entry for it. */
  public Optional<LayerWeights> layer(String name) {
    return layers.stream().filter(l -> l.layerName().equals(name)).findFirst();
  }

  /** The major Keras version: 1, 2 or 3, from {@link #kerasVersion()}; 0 if unknown. */
  public int kerasMajorVersion() {
    return majorVersion(kerasVersion);
  }

  /** This file with other layers' weights. */
  public KerasModelFile withLayers(List<LayerWeights> newLayers) {
    return new KerasModelFile(format, kerasVersion, backend, modelConfig, trainingConfig, newLayers);
  }

  /** This file as meant for another container. */
  public KerasModelFile withFormat(KerasFormat newFormat) {
    return new KerasModelFile(newFormat, kerasVersion, backend, modelConfig, trainingConfig, layers);
  }

  static int majorVersion(String version) {
    if (version == null || version.isEmpty() || !Character.isDigit(version.charAt(0))) {
      return 0;
    }
    int end = 0;
    while (end < version.length() && Character.isDigit(version.charAt(end))) {
      end++;
    }
    try {
      return Integer.parseInt(version.substring(0, end));
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}

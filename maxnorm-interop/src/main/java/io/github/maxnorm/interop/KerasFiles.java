package io.github.maxnorm.interop;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.maxnorm.interop.keras.H5ModelReader;
import io.github.maxnorm.interop.keras.H5ModelWriter;
import io.github.maxnorm.interop.keras.KerasArchive;
import io.github.maxnorm.interop.keras.KerasFormat;
import io.github.maxnorm.interop.keras.KerasJson;
import io.github.maxnorm.interop.keras.KerasModelFile;
import io.github.maxnorm.interop.keras.KerasReadLimits;
import io.github.maxnorm.interop.tfjs.TfjsLayersModel;
import io.github.maxnorm.io.ModelFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads and writes Keras model files of every supported container, telling them apart by content,
 * not by name: a folder holding {@code model.json} is a TensorFlow.js model and one holding {@code
 * config.json} an unzipped Keras 3 model; a zip is a {@code .keras} archive; an HDF5 file is read
 * by {@link H5ModelReader}; a JSON file is a TensorFlow.js {@code model.json} when it has a {@code
 * modelTopology}, and otherwise a bare model config as {@code model.to_json()} writes it.
 */
public final class KerasFiles {
  private KerasFiles() {}

  /** Reads {@code path} with the default limits. */
  public static KerasModelFile read(Path path) throws IOException {
    return read(path, KerasReadLimits.defaults());
  }

  /** Reads {@code path}, whatever supported container it is. */
  public static KerasModelFile read(Path path, KerasReadLimits limits) throws IOException {
    String source = path.toString();
    if (Files.isDirectory(path)) {
      if (Files.isRegularFile(path.resolve(TfjsLayersModel.MODEL_JSON))) {
        return TfjsLayersModel.read(path.resolve(TfjsLayersModel.MODEL_JSON), limits);
      }
      if (Files.isRegularFile(path.resolve(KerasArchive.CONFIG_JSON))) {
        return KerasArchive.read(path, limits);
      }
      throw new ModelFormatException(
          source + ": a folder without model.json (TensorFlow.js) or config.json (Keras)");
    }
    byte[] head = new byte[8];
    int n;
    try (InputStream in = Files.newInputStream(path)) {
      n = in.readNBytes(head, 0, head.length);
    }
    if (n >= 4 && head[0] == 'P' && head[1] == 'K') {
      return KerasArchive.read(path, limits);
    }
    if (H5ModelReader.isHdf5(path)) {
      return H5ModelReader.read(path, source, limits);
    }
    int first = 0;
    while (first < n && Character.isWhitespace(head[first])) {
      first++;
    }
    if (first < n && (head[first] == '{' || head[first] == (byte) 0xEF)) {
      JsonNode json =
          KerasJson.parse(KerasJson.readFileBytes(path, source, limits), source,
              limits);
      if (json.has("modelTopology")) {
        return TfjsLayersModel.read(path, json, limits);
      }
      return configOnly(json, source);
    }
    throw new ModelFormatException(
        source + ": not a Keras model file (neither a zip, HDF5 nor JSON)");
  }

  private static KerasModelFile configOnly(JsonNode json, String source)
      throws ModelFormatException {
    if (!json.isObject() || !json.path("class_name").isTextual()) {
      throw new ModelFormatException(
          source + ": a model config must be an object with a class_name");
    }
    String version = json.path("keras_version").isTextual()
        ? json.path("keras_version").asText() : null;
    String backend = json.path("backend").isTextual() ? json.path("backend").asText() : null;
    return new KerasModelFile(KerasFormat.JSON_CONFIG, version, backend, json, null, List.of());
  }

  /** Writes {@code file} to {@code target} in {@code format}. */
  public static void write(KerasModelFile file, Path target, KerasFormat format)
      throws IOException {
    switch (format) {
      case KERAS_ZIP, KERAS_DIR -> KerasArchive.write(file, target, format);
      case H5, H5_WEIGHTS, KERAS_WEIGHTS -> H5ModelWriter.write(file, target, format);
      case TFJS -> TfjsLayersModel.write(file, target);
      case JSON_CONFIG -> {
        if (file.modelConfig() == null) {
          throw new IllegalArgumentException("no model config to write");
        }
        byte[] bytes = KerasJson.toBytes(file.modelConfig());
        io.github.maxnorm.io.AtomicFiles.write(target, out -> out.write(bytes));
      }
    }
  }
}

package io.github.maxnorm.interop.keras;

import com.fasterxml.jackson.databind.JsonNode;
import io.jhdf.api.WritableGroup;
import io.jhdf.api.WritableNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a {@link KerasModelFile} as HDF5 in Keras's layouts (see {@link H5ModelReader} for what
 * they are, and {@link Hdf5Out} for how jhdf's strings differ from h5py's).
 *
 * <ul>
 *   <li>{@link KerasFormat#H5}: as tf.keras 2 writes a full model: root attributes {@code
 *       backend}, {@code keras_version}, {@code model_config} and {@code training_config} (when
 *       there is one); group {@code model_weights} with {@code backend}, {@code keras_version} and
 *       {@code layer_names}; per layer a group with {@code weight_names} ({@code
 *       <layer>/<name>:0}) and the float32 datasets at those paths.
 *   <li>{@link KerasFormat#H5_WEIGHTS}: the same weights layout at the root ({@code
 *       save_weights}).
 *   <li>{@link KerasFormat#KERAS_WEIGHTS}: Keras 3's {@code .weights.h5}: {@code
 *       layers/<key>/vars/<i>}, each {@code vars} group carrying the layer's {@code name} as Keras
 *       3.6 and later write it, plus the model's own empty {@code vars} group.
 * </ul>
 *
 * <p>When the file names no backend or version, {@code tensorflow} and {@code 2.15.0} (the last
 * tf.keras 2) are written for the HDF5 layouts, since the config dialect of these layouts is
 * Keras 2's.
 */
public final class H5ModelWriter {
  static final String DEFAULT_VERSION = "2.15.0";
  static final String DEFAULT_BACKEND = "tensorflow";

  private H5ModelWriter() {}

  /** Writes {@code file} to {@code target} in {@code format} (H5, H5_WEIGHTS or KERAS_WEIGHTS). */
  public static void write(KerasModelFile file, Path target, KerasFormat format) throws IOException {
    switch (format) {
      case H5 -> {
        if (file.modelConfig() == null) {
          throw new IllegalArgumentException(
              "a full .h5 model needs a model config; write weights-only (H5_WEIGHTS) instead");
        }
        Hdf5Out.write(target, h -> {
          putMetadata(h, file);
          Hdf5Out.putString(h, "model_config", KerasJson.toText(file.modelConfig()));
          if (file.trainingConfig() != null) {
            Hdf5Out.putString(h, "training_config", KerasJson.toText(file.trainingConfig()));
          }
          legacyWeights(Hdf5Out.newGroup(h, "model_weights"), file);
        });
      }
      case H5_WEIGHTS -> Hdf5Out.write(target, h -> legacyWeights(h, file));
      case KERAS_WEIGHTS -> Hdf5Out.write(target, h -> store(h, file));
      default -> throw new IllegalArgumentException("H5ModelWriter writes H5, H5_WEIGHTS or"
          + " KERAS_WEIGHTS, not " + format);
    }
  }

  private static void putMetadata(WritableNode node, KerasModelFile file) {
    Hdf5Out.putString(node, "backend", file.backend() == null ? DEFAULT_BACKEND : file.backend());
    Hdf5Out.putString(node, "keras_version",
        file.kerasVersion() == null ? DEFAULT_VERSION : file.kerasVersion());
  }

  private static void legacyWeights(WritableGroup g, KerasModelFile file) {
    putMetadata(g, file);
    List<String> names = new ArrayList<>();
    for (LayerWeights l : file.layers()) {
      if (!l.layerName().equals(H5ModelReader.TOP_LEVEL)) {
        names.add(l.layerName());
      }
    }
    Hdf5Out.putStrings(g, "layer_names", names);
    // groups without datasets first: see Hdf5Out on jhdf's closing stamp
    List<LayerWeights> ordered = new ArrayList<>();
    file.layers().stream().filter(l -> l.size() == 0).forEach(ordered::add);
    file.layers().stream().filter(l -> l.size() > 0).forEach(ordered::add);
    for (LayerWeights l : ordered) {
      if (l.layerName().contains("/")) {
        throw new IllegalArgumentException("layer name '" + l.layerName() + "' contains '/'");
      }
      WritableGroup lg = Hdf5Out.newGroup(g, l.layerName());
      List<String> paths = new ArrayList<>();
      for (KerasWeight w : l.weights()) {
        paths.add(h5Name(l.layerName(), w.name()));
      }
      Hdf5Out.putStrings(lg, "weight_names", paths);
      for (int i = 0; i < paths.size(); i++) {
        Hdf5Out.putWeight(lg, paths.get(i), l.get(i));
      }
    }
  }

  /**
   * The name tf.keras gives a weight: {@code <layer>/<name>:0}. A name that already has a path
   * (a nested model's {@code dense_2/kernel}) keeps it; a {@code :N} suffix is replaced.
   */
  static String h5Name(String layer, String name) {
    String n = name;
    int colon = n.lastIndexOf(':');
    if (colon > 0 && n.substring(colon + 1).chars().allMatch(Character::isDigit)
        && colon < n.length() - 1) {
      n = n.substring(0, colon);
    }
    return (n.contains("/") ? n : layer + "/" + n) + ":0";
  }

  /** Keras 3's store layout; keys from the config when there is one, else the layer names. */
  static void store(WritableGroup h, KerasModelFile file) {
    Map<String, String> keys = storeKeys(file);
    WritableGroup modelVars = Hdf5Out.newGroup(h, "vars");
    JsonNode config = file.modelConfig();
    if (config != null && config.path("config").path("name").isTextual()) {
      Hdf5Out.putString(modelVars, "name", config.path("config").path("name").asText());
    }
    WritableGroup layers = Hdf5Out.newGroup(h, "layers");
    // layers without weights first: see Hdf5Out on jhdf's closing stamp
    List<Map.Entry<String, String>> order = new ArrayList<>();
    keys.entrySet().stream().filter(e -> weightCount(file, e.getKey()) == 0).forEach(order::add);
    keys.entrySet().stream().filter(e -> weightCount(file, e.getKey()) > 0).forEach(order::add);
    for (Map.Entry<String, String> e : order) {
      WritableGroup vars = Hdf5Out.newGroup(Hdf5Out.newGroup(layers, e.getValue()), "vars");
      Hdf5Out.putString(vars, "name", e.getKey());
      LayerWeights l = file.layer(e.getKey()).orElse(null);
      if (l == null) {
        continue;
      }
      for (int i = 0; i < l.size(); i++) {
        if (l.get(i).name().contains("/") && !l.get(i).name().startsWith(l.layerName() + "/")) {
          throw new IllegalArgumentException(
              "layer '" + l.layerName() + "': nested models are not written to Keras 3 stores");
        }
        Hdf5Out.putWeight(vars, Integer.toString(i), l.get(i));
      }
    }
  }

  private static int weightCount(KerasModelFile file, String layer) {
    return file.layer(layer).map(LayerWeights::size).orElse(0);
  }

  /** Layer name to store key, in model.layers order. */
  static Map<String, String> storeKeys(KerasModelFile file) {
    Map<String, String> keys = new java.util.LinkedHashMap<>();
    JsonNode config = file.modelConfig();
    if (config == null) {
      for (LayerWeights l : file.layers()) {
        keys.put(l.layerName(), l.layerName());
      }
      return keys;
    }
    Map<String, Boolean> listed = new HashMap<>();
    for (KerasStoreKeys.Entry e : KerasStoreKeys.entries(config)) {
      keys.put(e.layerName(), e.key());
      listed.put(e.layerName(), true);
    }
    for (LayerWeights l : file.layers()) {
      if (!listed.containsKey(l.layerName()) && l.size() > 0) {
        throw new IllegalArgumentException(
            "layer '" + l.layerName() + "' has weights but is not a layer of the model config");
      }
    }
    return keys;
  }
}

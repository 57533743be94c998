package io.github.maxnorm.interop.keras;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.maxnorm.io.ModelFormatException;
import io.jhdf.api.Group;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads Keras HDF5 files into a {@link KerasModelFile}, in each of the layouts Keras has used.
 *
 * <ul>
 *   <li><b>Full model</b> (Keras 1, Keras 2, tf.keras, Keras 3's legacy {@code .h5}): the root
 *       attributes {@code model_config}, {@code training_config}, {@code keras_version}, {@code
 *       backend}, and the group {@code model_weights}.
 *   <li><b>Weights only</b> ({@code save_weights} to {@code .h5}): the same weights layout at the
 *       root.
 *   <li><b>Keras 3 weights</b> ({@code .weights.h5}, and {@code model.weights.h5} inside a {@code
 *       .keras} zip): {@code layers/<key>/vars/<i>}, see {@link KerasStoreKeys}.
 * </ul>
 *
 * <p>In the first two layouts the weights group's attribute {@code layer_names} lists the layers in
 * model order, and each layer group's attribute {@code weight_names} lists its arrays in {@code
 * get_weights()} order; arrays are read in that order, never in HDF5's alphabetical member order
 * (which puts {@code bias} before {@code kernel}). Both attributes may be split by Keras into
 * {@code layer_names0}, {@code layer_names1}, ... when large. A name is a path below the layer
 * group: tf.keras writes {@code dense_1/kernel:0} (a subgroup), Keras 2.0 on Theano and Keras 3.0
 * to 3.2 bare names without {@code :0} ({@code kernel}), Keras 3.3 and later {@code dense_1/kernel},
 * Keras 1 {@code dense_1_W:0} (TensorFlow) or {@code dense_1_W} (Theano). Keras 3's legacy writer
 * adds a group {@code top_level_model_weights} for variables the model holds itself; it is read as
 * a layer of that name when it holds any.
 *
 * <p>Keras 1 files do not name their backend. Variables created by TensorFlow always carry a
 * {@code :N} suffix and Theano's never do, so for a file without a {@code backend} attribute whose
 * weight names all end in {@code :0} the backend is {@code tensorflow}, and when none do it is
 * {@code theano}. The version is {@code null} when the file names none (Keras's own loader treats
 * that as Keras 1).
 */
public final class H5ModelReader {
  static final String TOP_LEVEL = "top_level_model_weights";

  private H5ModelReader() {}

  /** True if {@code path} starts with the HDF5 signature (possibly after a user block). */
  public static boolean isHdf5(Path path) throws IOException {
    return Hdf5In.isHdf5(path);
  }

  /** Reads {@code path} with the default limits. */
  public static KerasModelFile read(Path path) throws IOException {
    return read(path, path.toString(), KerasReadLimits.defaults());
  }

  /** Reads {@code path}; messages name {@code source}. */
  public static KerasModelFile read(Path path, String source, KerasReadLimits limits)
      throws IOException {
    try (Hdf5In h = Hdf5In.open(path, source, limits)) {
      return read(h, limits);
    }
  }

  static KerasModelFile read(Hdf5In h, KerasReadLimits limits) throws ModelFormatException {
    Group root = h.root();
    String modelConfig = h.stringAttribute(root, "model_config");
    if (modelConfig != null) {
      JsonNode config = KerasJson.parse(modelConfig, h.source + ": model_config", limits);
      String training = h.stringAttribute(root, "training_config");
      JsonNode trainingConfig =
          training == null ? null : KerasJson.parse(training, h.source + ": training_config", limits);
      Group weights = h.group(root, "model_weights");
      if (weights == null) {
        throw new ModelFormatException(
            h.source + ": the file has a model_config but no model_weights group");
      }
      return legacy(h, root, weights, KerasFormat.H5, config, trainingConfig, limits);
    }
    if (h.hasAttribute(root, "layer_names") || h.hasAttribute(root, "layer_names0")) {
      return legacy(h, root, root, KerasFormat.H5_WEIGHTS, null, null, limits);
    }
    if (storeRoot(h, root) != null || h.group(root, "vars") != null) {
      return new KerasModelFile(
          KerasFormat.KERAS_WEIGHTS, null, null, null, null, storeByKeys(h, root, limits));
    }
    throw new ModelFormatException(
        h.source + ": not a Keras file: no model_config or layer_names attribute and no layers"
            + " group");
  }

  private static KerasModelFile legacy(
      Hdf5In h, Group root, Group weights, KerasFormat format, JsonNode config,
      JsonNode trainingConfig, KerasReadLimits limits) throws ModelFormatException {
    String version = h.stringAttribute(weights, "keras_version");
    if (version == null) {
      version = h.stringAttribute(root, "keras_version");
    }
    String backend = h.stringAttribute(weights, "backend");
    if (backend == null) {
      backend = h.stringAttribute(root, "backend");
    }
    List<String> names = h.stringsAttribute(weights, "layer_names");
    if (names.size() > limits.maxLayers()) {
      throw new ModelFormatException(
          h.source + ": layer_names lists " + names.size() + " layers, more than the limit of "
              + limits.maxLayers());
    }
    List<LayerWeights> layers = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    List<String> allWeightNames = new ArrayList<>();
    for (String name : names) {
      if (!seen.add(name)) {
        throw new ModelFormatException(h.source + ": layer_names lists '" + name + "' twice");
      }
      if (name.isEmpty()) {
        throw new ModelFormatException(h.source + ": layer_names holds an empty name");
      }
      Group g = h.group(weights, name);
      if (g == null) {
        throw new ModelFormatException(
            h.source + ": layer '" + name + "' is listed in layer_names but has no group");
      }
      List<String> weightNames = readLayer(h, g, name, layers);
      allWeightNames.addAll(weightNames);
    }
    Group top = h.group(weights, TOP_LEVEL);
    if (top != null && !seen.contains(TOP_LEVEL)) {
      List<LayerWeights> extra = new ArrayList<>();
      readLayer(h, top, TOP_LEVEL, extra);
      if (extra.get(0).size() > 0) {
        layers.addAll(extra);
      }
    }
    if (backend == null && KerasModelFile.majorVersion(version) <= 1) {
      backend = inferBackend(allWeightNames);
    }
    return new KerasModelFile(format, version, backend, config, trainingConfig, layers);
  }

  private static List<String> readLayer(Hdf5In h, Group g, String name, List<LayerWeights> out)
      throws ModelFormatException {
    List<String> weightNames = h.stringsAttribute(g, "weight_names");
    Set<String> seenWeights = new HashSet<>();
    List<KerasWeight> ws = new ArrayList<>();
    for (String w : weightNames) {
      if (!seenWeights.add(w)) {
        throw new ModelFormatException(
            h.source + ": layer '" + name + "': weight_names lists '" + w + "' twice");
      }
      if (w.isEmpty()) {
        throw new ModelFormatException(h.source + ": layer '" + name + "': empty weight name");
      }
      ws.add(h.weight(g, w, w, "layer '" + name + "'"));
    }
    out.add(new LayerWeights(name, ws));
    return weightNames;
  }

  /** {@code tensorflow} if every name has a {@code :N} suffix, {@code theano} if none has. */
  static String inferBackend(List<String> weightNames) {
    if (weightNames.isEmpty()) {
      return null;
    }
    long suffixed = weightNames.stream().filter(n -> n.matches(".*:\\d+")).count();
    if (suffixed == weightNames.size()) {
      return "tensorflow";
    }
    return suffixed == 0 ? "theano" : null;
  }

  /** The group holding the layers of a Keras 3 weights store, or {@code null}. */
  static Group storeRoot(Hdf5In h, Group root) throws ModelFormatException {
    Group g = h.group(root, "layers");
    return g != null ? g : h.group(root, "_layer_checkpoint_dependencies");
  }

  /** A Keras 3 store without a config: one entry per key, in the library's member order. */
  private static List<LayerWeights> storeByKeys(Hdf5In h, Group root, KerasReadLimits limits)
      throws ModelFormatException {
    Group layersGroup = storeRoot(h, root);
    List<LayerWeights> out = new ArrayList<>();
    if (layersGroup == null) {
      return out;
    }
    List<String> keys = h.childNames(layersGroup);
    if (keys.size() > limits.maxLayers()) {
      throw new ModelFormatException(h.source + ": the store holds " + keys.size() + " layers");
    }
    for (String key : keys) {
      Group g = h.group(layersGroup, key);
      if (g == null) {
        throw new ModelFormatException(h.source + ": layers/" + key + " is not a group");
      }
      List<KerasWeight> ws = new ArrayList<>();
      collectStore(h, g, "", key, ws, 0, limits);
      out.add(new LayerWeights(key, ws));
    }
    return out;
  }

  private static void collectStore(
      Hdf5In h, Group g, String prefix, String where, List<KerasWeight> out, int depth,
      KerasReadLimits limits) throws ModelFormatException {
    if (depth > limits.maxDepth()) {
      throw new ModelFormatException(h.source + ": layers nested too deeply at " + where);
    }
    out.addAll(vars(h, g, prefix, where, null));
    Group inner = storeRoot(h, g);
    if (inner != null) {
      for (String key : h.childNames(inner)) {
        Group sub = h.group(inner, key);
        if (sub != null) {
          collectStore(h, sub, prefix + key + "/", where + "/" + key, out, depth + 1, limits);
        }
      }
    }
  }

  /**
   * The arrays {@code vars/0}, {@code vars/1}, ... of a store group, named {@code prefix + name}
   * where {@code names} gives names by index (or the index itself when {@code names} is null or of
   * another length). The members must be exactly {@code 0..n-1}.
   */
  static List<KerasWeight> vars(Hdf5In h, Group g, String prefix, String where, List<String> names)
      throws ModelFormatException {
    List<KerasWeight> out = new ArrayList<>();
    Group vars = h.group(g, "vars");
    if (vars == null) {
      return out;
    }
    List<String> members = h.childNames(vars);
    for (int i = 0; i < members.size(); i++) {
      if (!members.contains(Integer.toString(i))) {
        throw new ModelFormatException(
            h.source + ": " + where + ": vars holds " + members + ", expected 0.." + (members.size() - 1));
      }
    }
    boolean named = names != null && names.size() == members.size();
    for (int i = 0; i < members.size(); i++) {
      String name = prefix + (named ? names.get(i) : Integer.toString(i));
      out.add(h.weight(vars, Integer.toString(i), name, where));
    }
    return out;
  }

  /** The layer name a Keras 3.6+ store records on a {@code vars} group, or {@code null}. */
  static String storedName(Hdf5In h, Group layerGroup) throws ModelFormatException {
    Group vars = h.group(layerGroup, "vars");
    return vars == null ? null : h.stringAttribute(vars, "name");
  }
}

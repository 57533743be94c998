package io.github.maxnorm.interop.tfjs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.maxnorm.interop.keras.KerasFormat;
import io.github.maxnorm.interop.keras.KerasJson;
import io.github.maxnorm.interop.keras.KerasModelFile;
import io.github.maxnorm.interop.keras.KerasReadLimits;
import io.github.maxnorm.interop.keras.KerasWeight;
import io.github.maxnorm.interop.keras.LayerWeights;
import io.github.maxnorm.io.AtomicFiles;
import io.github.maxnorm.io.ModelFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * TensorFlow.js layers models: {@code model.json} and its binary weight shards.
 *
 * <p>{@code model.json} holds {@code format} ({@code layers-model}), {@code modelTopology} and
 * {@code weightsManifest}. The topology is either the model itself ({@code class_name}, {@code
 * config}, {@code keras_version}, {@code backend}, as TensorFlow.js's own {@code save} writes it)
 * or, as the Python converter writes it from a Keras file, an object with {@code model_config},
 * {@code training_config}, {@code keras_version} and {@code backend}. The manifest is a list of
 * groups, each listing its shard files ({@code paths}) and its weights ({@code name}, {@code
 * shape}, {@code dtype}, optionally {@code quantization}); a group's weights lie one after the
 * other, little-endian, in the concatenation of its shards. A weight named {@code dense_1/kernel}
 * belongs to layer {@code dense_1}.
 *
 * <p>Weights of the group {@code optimizer} (TensorFlow.js's optimizer state) are skipped.
 * Reading accepts float32 and int32 weights and the converter's quantized forms (uint8 and
 * uint16 with {@code min} and {@code scale}, float16); it checks that shard paths stay in the
 * model's folder, that the declared sizes fit the limit before anything is read, and that the
 * shards hold exactly the bytes the manifest declares. Writing produces the converter's layout:
 * float32 weights in shards of at most 4 MiB named {@code group1-shard<i>of<n>.bin}, from a config
 * that {@link TfjsCompatibility} has adapted to what TensorFlow.js runs as Keras does.
 */
public final class TfjsLayersModel {
  /** The model file's name. */
  public static final String MODEL_JSON = "model.json";
  static final int SHARD_BYTES = 4 * 1024 * 1024;
  private static final int MAX_SHARDS = 100_000;

  private TfjsLayersModel() {}

  /** Reads {@code model.json} at {@code path} and its shards. */
  public static KerasModelFile read(Path path, KerasReadLimits limits) throws IOException {
    String source = path.toString();
    byte[] bytes = KerasJson.readFileBytes(path, source, limits);
    return read(path, KerasJson.parse(bytes, source, limits), limits);
  }

  /** Reads a TF.js model whose {@code model.json} at {@code path} was already parsed. */
  public static KerasModelFile read(Path path, JsonNode json, KerasReadLimits limits)
      throws IOException {
    String source = path.toString();
    if (!json.isObject()) {
      throw new ModelFormatException(source + ": model.json must be an object");
    }
    String format = json.path("format").asText("layers-model");
    if (!format.equals("layers-model")) {
      throw new ModelFormatException(
          source + ": format '" + format + "' is not a layers model (graph models are not supported)");
    }
    JsonNode topology = json.path("modelTopology");
    if (!topology.isObject()) {
      throw new ModelFormatException(source + ": modelTopology must be an object");
    }
    JsonNode config;
    JsonNode training = json.path("trainingConfig");
    if (topology.has("model_config")) {
      config = topology.path("model_config");
      if (topology.path("training_config").isObject()) {
        training = topology.path("training_config");
      }
    } else {
      ObjectNode c = JsonNodeFactory.instance.objectNode();
      c.set("class_name", topology.path("class_name"));
      c.set("config", topology.path("config"));
      config = c;
    }
    if (!config.path("class_name").isTextual()) {
      throw new ModelFormatException(source + ": the model topology has no class_name");
    }
    String version = topology.path("keras_version").isTextual()
        ? topology.path("keras_version").asText() : null;
    String backend = topology.path("backend").isTextual() ? topology.path("backend").asText() : null;
    Map<String, List<KerasWeight>> byLayer = readWeights(path, json.path("weightsManifest"), limits);
    List<LayerWeights> layers = new ArrayList<>();
    for (String layer : layerNames(config)) {
      List<KerasWeight> ws = byLayer.remove(layer);
      layers.add(new LayerWeights(layer, ws == null ? List.of() : ws));
    }
    for (Map.Entry<String, List<KerasWeight>> e : byLayer.entrySet()) {
      layers.add(new LayerWeights(e.getKey(), e.getValue()));
    }
    return new KerasModelFile(KerasFormat.TFJS, version, backend, config,
        training.isObject() ? training : null, layers);
  }

  private static List<String> layerNames(JsonNode config) {
    JsonNode c = config.path("config");
    JsonNode layers = c.isArray() ? c : c.path("layers");
    List<String> names = new ArrayList<>();
    for (JsonNode l : layers) {
      String name = l.path("config").path("name").asText(l.path("name").asText(""));
      if (!name.isEmpty() && !names.contains(name)) {
        names.add(name);
      }
    }
    return names;
  }

  private record Spec(String name, int[] shape, String dtype, String qdtype, double min,
      double scale, long bytes, boolean optimizer) {}

  private static Map<String, List<KerasWeight>> readWeights(
      Path modelJson, JsonNode manifest, KerasReadLimits limits) throws IOException {
    String source = modelJson.toString();
    Map<String, List<KerasWeight>> out = new LinkedHashMap<>();
    if (manifest.isMissingNode() || manifest.isNull()) {
      return out;
    }
    if (!manifest.isArray()) {
      throw new ModelFormatException(source + ": weightsManifest must be a list");
    }
    Path dir = modelJson.toAbsolutePath().getParent();
    long total = 0;
    int shards = 0;
    for (JsonNode group : manifest) {
      JsonNode paths = group.path("paths");
      JsonNode weights = group.path("weights");
      if (!paths.isArray() || !weights.isArray()) {
        throw new ModelFormatException(source + ": each manifest group needs paths and weights");
      }
      List<Spec> specs = new ArrayList<>();
      long groupBytes = 0;
      for (JsonNode w : weights) {
        Spec s = spec(w, source);
        groupBytes += s.bytes;
        total += s.bytes;
        if (total > limits.maxWeightBytes()) {
          throw new ModelFormatException(source + ": the manifest declares more than the limit of "
              + limits.maxWeightBytes() + " bytes of weights");
        }
        specs.add(s);
      }
      List<Path> files = new ArrayList<>();
      long shardBytes = 0;
      for (JsonNode p : paths) {
        if (++shards > MAX_SHARDS) {
          throw new ModelFormatException(source + ": more than " + MAX_SHARDS + " weight shards");
        }
        Path file = shardPath(dir, p, source);
        files.add(file);
        shardBytes += Files.size(file);
      }
      if (shardBytes != groupBytes) {
        throw new ModelFormatException(source + ": the shards " + paths + " hold " + shardBytes
            + " bytes but the manifest declares " + groupBytes);
      }
      ByteBuffer buf = ByteBuffer.allocate((int) Math.min(groupBytes, Integer.MAX_VALUE));
      if (groupBytes > Integer.MAX_VALUE - 8) {
        throw new ModelFormatException(source + ": a manifest group over 2 GiB is not supported");
      }
      for (Path f : files) {
        try (InputStream in = Files.newInputStream(f)) {
          byte[] b = in.readNBytes((int) Math.min(buf.remaining() + 1L, Integer.MAX_VALUE));
          if (b.length > buf.remaining()) {
            throw new ModelFormatException(source + ": shard " + f.getFileName() + " grew while read");
          }
          buf.put(b);
        }
      }
      buf.flip().order(ByteOrder.LITTLE_ENDIAN);
      for (Spec s : specs) {
        KerasWeight w = decode(s, buf);
        if (s.optimizer) {
          continue; // TF.js saves the optimizer's state in the same manifest, grouped apart
        }
        int slash = s.name.lastIndexOf('/');
        String layer = slash > 0 ? s.name.substring(0, s.name.indexOf('/')) : s.name;
        String shortName = slash > 0 ? s.name.substring(s.name.indexOf('/') + 1) : s.name;
        out.computeIfAbsent(layer, k -> new ArrayList<>()).add(w.withName(shortName));
      }
    }
    return out;
  }

  private static Path shardPath(Path dir, JsonNode p, String source) throws ModelFormatException {
    String name = p.asText("");
    if (!p.isTextual() || name.isEmpty() || name.startsWith("/") || name.contains("\\")
        || name.contains(":") || name.indexOf('\0') >= 0
        || Arrays.asList(name.split("/")).contains("..")) {
      throw new ModelFormatException(source + ": unsafe or invalid shard path " + p);
    }
    Path f = dir.resolve(name).normalize();
    if (!f.startsWith(dir) || !Files.isRegularFile(f)) {
      throw new ModelFormatException(source + ": weight shard '" + name + "' is missing");
    }
    return f;
  }

  private static Spec spec(JsonNode w, String source) throws ModelFormatException {
    String name = w.path("name").asText("");
    if (name.isEmpty()) {
      throw new ModelFormatException(source + ": a manifest weight has no name");
    }
    JsonNode shapeNode = w.path("shape");
    if (!shapeNode.isArray() || shapeNode.size() > 32) {
      throw new ModelFormatException(source + ": weight '" + name + "' has no valid shape");
    }
    int[] shape = new int[shapeNode.size()];
    long count = 1;
    for (int i = 0; i < shape.length; i++) {
      JsonNode d = shapeNode.get(i);
      if (!d.canConvertToInt() || d.asInt() < 0 || !d.isIntegralNumber()) {
        throw new ModelFormatException(source + ": weight '" + name + "' has shape " + shapeNode);
      }
      shape[i] = d.asInt();
      count *= shape[i];
      if (count > Integer.MAX_VALUE - 8) {
        throw new ModelFormatException(
            source + ": weight '" + name + "' declares shape " + shapeNode + ", too many values");
      }
    }
    String dtype = w.path("dtype").asText("float32");
    JsonNode q = w.path("quantization");
    String qdtype = null;
    double min = 0;
    double scale = 1;
    int width;
    if (q.isObject()) {
      qdtype = q.path("dtype").asText("");
      width = switch (qdtype) {
        case "uint8" -> 1;
        case "uint16", "float16" -> 2;
        default -> throw new ModelFormatException(
            source + ": weight '" + name + "' has unsupported quantization '" + qdtype + "'");
      };
      if (!qdtype.equals("float16")) {
        if (!q.path("min").isNumber() || !q.path("scale").isNumber()) {
          throw new ModelFormatException(
              source + ": weight '" + name + "' quantization lacks min or scale");
        }
        min = q.path("min").asDouble();
        scale = q.path("scale").asDouble();
      }
    } else if (dtype.equals("float32") || dtype.equals("int32")) {
      width = 4;
    } else {
      throw new ModelFormatException(
          source + ": weight '" + name + "' has unsupported dtype '" + dtype + "'");
    }
    return new Spec(name, shape, dtype, qdtype, min, scale, count * width,
        w.path("group").asText("").equals("optimizer"));
  }

  private static KerasWeight decode(Spec s, ByteBuffer buf) {
    int n = (int) (s.bytes / (s.qdtype == null ? 4 : s.qdtype.equals("uint8") ? 1 : 2));
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      if (s.qdtype == null) {
        v[i] = s.dtype.equals("int32") ? buf.getInt() : buf.getFloat();
      } else if (s.qdtype.equals("uint8")) {
        v[i] = (float) ((buf.get() & 0xff) * s.scale + s.min);
      } else if (s.qdtype.equals("uint16")) {
        v[i] = (float) ((buf.getShort() & 0xffff) * s.scale + s.min);
      } else {
        v[i] = halfToFloat(buf.getShort());
      }
    }
    return new KerasWeight(s.name, s.shape, v, s.qdtype == null ? s.dtype : s.qdtype);
  }

  /** IEEE 754 binary16 to float32. */
  static float halfToFloat(short h) {
    int bits = h & 0xffff;
    int sign = (bits & 0x8000) << 16;
    int exp = (bits >>> 10) & 0x1f;
    int mant = bits & 0x3ff;
    if (exp == 0x1f) {
      return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
    }
    if (exp == 0) {
      float f = mant * 0x1p-24f;
      return sign == 0 ? f : -f;
    }
    return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
  }

  /**
   * Writes {@code file} as a TF.js layers model into the folder {@code dir}: {@code model.json}
   * (topology in the converter's form, weights manifest) and float32 shards. Weight names are
   * {@code <layer>/<name>} with the name's {@code :N} suffix and any path before it removed, which
   * is how TensorFlow.js finds each weight of a model built from the same config.
   */
  public static void write(KerasModelFile file, Path dir) throws IOException {
    if (file.modelConfig() == null) {
      throw new IllegalArgumentException("a TensorFlow.js layers model needs a model config");
    }
    JsonNode config = file.modelConfig();
    TfjsCompatibility.adapt(config);
    Files.createDirectories(dir);
    ArrayNode specs = JsonNodeFactory.instance.arrayNode();
    long total = 0;
    for (LayerWeights l : file.layers()) {
      for (KerasWeight w : l.weights()) {
        ObjectNode s = specs.addObject();
        s.put("name", l.layerName() + "/" + KerasWeight.shortName(w.name()));
        ArrayNode shape = s.putArray("shape");
        for (int d : w.shape()) {
          shape.add(d);
        }
        s.put("dtype", "float32");
        total += 4L * w.size();
      }
    }
    if (total > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("weights over 2 GiB are not written as TF.js");
    }
    ByteBuffer all = ByteBuffer.allocate((int) total).order(ByteOrder.LITTLE_ENDIAN);
    for (LayerWeights l : file.layers()) {
      for (KerasWeight w : l.weights()) {
        for (float f : w.values()) {
          all.putFloat(f);
        }
      }
    }
    byte[] bytes = all.array();
    int n = Math.max(1, (int) ((total + SHARD_BYTES - 1) / SHARD_BYTES));
    ArrayNode paths = JsonNodeFactory.instance.arrayNode();
    for (int i = 0; i < n; i++) {
      String name = "group1-shard" + (i + 1) + "of" + n + ".bin";
      paths.add(name);
      int from = i * SHARD_BYTES;
      int to = (int) Math.min(total, (long) from + SHARD_BYTES);
      AtomicFiles.write(dir.resolve(name), out -> out.write(bytes, from, to - from));
    }
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.put("format", "layers-model");
    json.put("generatedBy", "keras v" + (file.kerasVersion() == null ? "2.15.0" : file.kerasVersion()));
    json.put("convertedBy", "maxnorm");
    ObjectNode topology = json.putObject("modelTopology");
    topology.put("keras_version", file.kerasVersion() == null ? "2.15.0" : file.kerasVersion());
    topology.put("backend", file.backend() == null ? "tensorflow" : file.backend());
    topology.set("model_config", config);
    if (file.trainingConfig() != null) {
      topology.set("training_config", file.trainingConfig());
    }
    ObjectNode group = json.putArray("weightsManifest").addObject();
    group.set("paths", paths);
    group.set("weights", specs);
    byte[] model = KerasJson.toBytes(json);
    AtomicFiles.write(dir.resolve(MODEL_JSON), out -> out.write(model));
  }
}

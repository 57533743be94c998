package io.github.maxnorm.interop.keras;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.maxnorm.io.AtomicFiles;
import io.github.maxnorm.io.CheckedEntryStream;
import io.github.maxnorm.io.ModelFormatException;
import io.jhdf.api.Group;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Keras 3's {@code .keras} format: a zip (or, unzipped, a folder) holding {@code config.json} (the
 * model serialized with {@code module}, {@code class_name}, {@code config}, {@code
 * registered_name}, and its {@code compile_config}), {@code metadata.json} ({@code keras_version},
 * {@code date_saved}) and {@code model.weights.h5} (a weights store, see {@link KerasStoreKeys}).
 * tf.keras 2.13 to 2.15 wrote the same container with the store's layers under {@code
 * _layer_checkpoint_dependencies}; both are read.
 *
 * <p>Reading maps the store's class-based keys back to layer names through the config, checks the
 * layer name Keras 3.6 and later record in each {@code vars} group, and refuses a store key that no
 * layer accounts for. Variables get their tf.keras names ({@link KerasWeightNames}) when the layer
 * class is known and the count matches, else their index. A nested model's variables are listed
 * under the outer layer as {@code <inner layer>/<name>}, inner layer by inner layer. The model
 * config is {@code config.json} without its {@code compile_config}, which becomes the training
 * config (and is put back on writing). Weights in
 * {@code .npz} or sharded form and assets are not read.
 */
public final class KerasArchive {
  /** The name of the model config inside a {@code .keras} archive or folder. */
  public static final String CONFIG_JSON = "config.json";
  static final String CONFIG = CONFIG_JSON;
  static final String METADATA = "metadata.json";
  static final String WEIGHTS = "model.weights.h5";
  private static final int MAX_ENTRIES = 10_000;
  private static final LocalDateTime ENTRY_TIME = LocalDateTime.of(1980, 1, 1, 0, 0);
  private static final Set<String> MODELS = Set.of("Sequential", "Functional", "Model");

  private KerasArchive() {}

  /** Reads a {@code .keras} zip or an unzipped model folder. */
  public static KerasModelFile read(Path path, KerasReadLimits limits) throws IOException {
    String source = path.toString();
    if (Files.isDirectory(path)) {
      byte[] config = readCapped(path.resolve(CONFIG), source + "/" + CONFIG, limits.maxJsonBytes());
      Path meta = path.resolve(METADATA);
      byte[] metadata = Files.exists(meta)
          ? readCapped(meta, source + "/" + METADATA, limits.maxJsonBytes()) : null;
      Path weights = path.resolve(WEIGHTS);
      if (!Files.isRegularFile(weights)) {
        throw missingWeights(source, Files.exists(path.resolve("model.weights.npz")),
            Files.exists(path.resolve("model.weights.json")));
      }
      return assemble(source, KerasFormat.KERAS_DIR, config, metadata, weights,
          source + "/" + WEIGHTS, limits);
    }
    try (ZipFile zip = openZip(path, source)) {
      Map<String, ZipEntry> entries = entries(zip, source);
      ZipEntry c = entries.get(CONFIG);
      if (c == null) {
        throw new ModelFormatException(source + ": not a .keras archive: no " + CONFIG);
      }
      byte[] config = readEntry(zip, c, source, limits.maxJsonBytes());
      ZipEntry m = entries.get(METADATA);
      byte[] metadata = m == null ? null : readEntry(zip, m, source, limits.maxJsonBytes());
      ZipEntry w = entries.get(WEIGHTS);
      if (w == null) {
        throw missingWeights(source, entries.containsKey("model.weights.npz"),
            entries.containsKey("model.weights.json"));
      }
      Path tmp = Files.createTempFile("maxnorm-keras-", ".h5");
      try {
        // the weights as float64 at most, plus the file's own structure
        long cap = limits.maxWeightBytes() * 2 + (1L << 20);
        try (InputStream in = entryStream(zip, w, source + "!/" + WEIGHTS, cap);
            OutputStream out = Files.newOutputStream(tmp)) {
          in.transferTo(out);
        }
        return assemble(source, KerasFormat.KERAS_ZIP, config, metadata, tmp,
            source + "!/" + WEIGHTS, limits);
      } finally {
        Files.deleteIfExists(tmp);
      }
    }
  }

  private static ModelFormatException missingWeights(String source, boolean npz, boolean sharded) {
    if (npz) {
      return new ModelFormatException(source + ": weights stored as model.weights.npz are not"
          + " supported; save with weights_format='h5'");
    }
    if (sharded) {
      return new ModelFormatException(source + ": sharded weights (model.weights.json) are not"
          + " supported");
    }
    return new ModelFormatException(source + ": no " + WEIGHTS);
  }

  private static KerasModelFile assemble(
      String source, KerasFormat format, byte[] configBytes, byte[] metadataBytes, Path weights,
      String weightsSource, KerasReadLimits limits) throws IOException {
    JsonNode config = KerasJson.parse(configBytes, source + ": " + CONFIG, limits);
    if (!config.isObject() || !config.path("class_name").isTextual()) {
      throw new ModelFormatException(
          source + ": " + CONFIG + " must be an object with a class_name");
    }
    String version = null;
    if (metadataBytes != null) {
      JsonNode meta = KerasJson.parse(metadataBytes, source + ": " + METADATA, limits);
      if (meta.path("keras_version").isTextual()) {
        version = meta.path("keras_version").asText();
      }
    }
    JsonNode compile = ((ObjectNode) config).remove("compile_config");
    compile = compile == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : compile;
    List<LayerWeights> layers;
    try (Hdf5In h = Hdf5In.open(weights, weightsSource, limits)) {
      layers = readStore(h, config, limits);
    }
    return new KerasModelFile(format, version, null, config,
        compile.isObject() ? compile : null, layers);
  }

  /** The layers of a store, named through {@code config}. */
  static List<LayerWeights> readStore(Hdf5In h, JsonNode config, KerasReadLimits limits)
      throws ModelFormatException {
    Group root = h.root();
    Group layersGroup = H5ModelReader.storeRoot(h, root);
    List<LayerWeights> out = new ArrayList<>();
    collect(h, layersGroup, config, "", out, null, 0, limits);
    return out;
  }

  private static void collect(
      Hdf5In h, Group layersGroup, JsonNode model, String where, List<LayerWeights> out,
      List<KerasWeight> nestedInto, int depth, KerasReadLimits limits)
      throws ModelFormatException {
    if (depth > limits.maxDepth()) {
      throw new ModelFormatException(h.source + ": models nested too deeply");
    }
    List<KerasStoreKeys.Entry> entries = KerasStoreKeys.entries(model);
    if (entries.size() > limits.maxLayers()) {
      throw new ModelFormatException(h.source + ": the config lists " + entries.size() + " layers");
    }
    Set<String> mapped = new HashSet<>();
    Set<String> names = new HashSet<>();
    for (KerasStoreKeys.Entry e : entries) {
      if (e.layerName().isEmpty()) {
        throw new ModelFormatException(h.source + ": a layer of class " + e.className()
            + " in the config has no name");
      }
      if (!names.add(e.layerName())) {
        throw new ModelFormatException(
            h.source + ": the config names two layers '" + e.layerName() + "'");
      }
      mapped.add(e.key());
      String place = where + "layers/" + e.key();
      Group g = layersGroup == null ? null : h.group(layersGroup, e.key());
      List<KerasWeight> ws = new ArrayList<>();
      if (g != null) {
        String stored = H5ModelReader.storedName(h, g);
        if (stored != null && !stored.equals(e.layerName())) {
          throw new ModelFormatException(
              h.source + ": " + place + " belongs to layer '" + stored + "' but the config puts"
                  + " layer '" + e.layerName() + "' (" + e.className() + ") there");
        }
        String layerWhere = "layer '" + e.layerName() + "' (" + e.className() + ", " + place + ")";
        List<String> expected =
            KerasWeightNames.expected(e.className(), e.layerConfig().path("config"));
        ws.addAll(H5ModelReader.vars(h, g, "", layerWhere, expected));
        if (MODELS.contains(e.className())) {
          List<KerasWeight> inner = new ArrayList<>();
          collect(h, H5ModelReader.storeRoot(h, g), e.layerConfig(), place + "/", null, inner,
              depth + 1, limits);
          ws.addAll(inner);
        }
      }
      if (nestedInto != null) {
        for (KerasWeight w : ws) {
          nestedInto.add(w.withName(e.layerName() + "/" + w.name()));
        }
      } else {
        out.add(new LayerWeights(e.layerName(), ws));
      }
    }
    if (layersGroup != null) {
      for (String key : h.childNames(layersGroup)) {
        if (!mapped.contains(key)) {
          throw new ModelFormatException(
              h.source + ": " + where + "layers/" + key + " matches no layer of the config");
        }
      }
    }
  }

  /**
   * Writes {@code file} as a {@code .keras} zip ({@link KerasFormat#KERAS_ZIP}) or a folder
   * ({@link KerasFormat#KERAS_DIR}). {@code config.json} is the file's model config with its
   * training config as {@code compile_config}, both in the form Keras 3 loads ({@link
   * Keras3Dialect}); entries are stored (not deflated) as Keras stores
   * them, with fixed timestamps, so equal content gives equal bytes.
   */
  public static void write(KerasModelFile file, Path target, KerasFormat format)
      throws IOException {
    if (file.modelConfig() == null || !file.modelConfig().isObject()) {
      throw new IllegalArgumentException("a .keras file needs a model config");
    }
    ObjectNode config = Keras3Dialect.model(file.modelConfig());
    if (file.trainingConfig() != null) {
      config.set("compile_config", Keras3Dialect.compileConfig(file.trainingConfig()));
    }
    ObjectNode meta = JsonNodeFactory.instance.objectNode();
    meta.put("keras_version", file.kerasVersion() == null ? "3.0.0" : file.kerasVersion());
    meta.put("saved_by", "maxnorm");
    byte[] configBytes = KerasJson.toBytes(config);
    byte[] metaBytes = KerasJson.toBytes(meta);
    if (format == KerasFormat.KERAS_DIR) {
      Files.createDirectories(target);
      AtomicFiles.write(target.resolve(METADATA), out -> out.write(metaBytes));
      AtomicFiles.write(target.resolve(CONFIG), out -> out.write(configBytes));
      H5ModelWriter.write(file, target.resolve(WEIGHTS), KerasFormat.KERAS_WEIGHTS);
      return;
    }
    if (format != KerasFormat.KERAS_ZIP) {
      throw new IllegalArgumentException("KerasArchive writes KERAS_ZIP or KERAS_DIR, not " + format);
    }
    Path dir = target.toAbsolutePath().getParent();
    Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".h5tmp");
    try {
      Hdf5Out.writeTo(tmp, h -> H5ModelWriter.store(h, file));
      byte[] weights = Files.readAllBytes(tmp);
      AtomicFiles.write(target, out -> {
        ZipOutputStream zip = new ZipOutputStream(out);
        stored(zip, METADATA, metaBytes);
        stored(zip, CONFIG, configBytes);
        stored(zip, WEIGHTS, weights);
        zip.finish();
      });
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static void stored(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
    ZipEntry e = new ZipEntry(name);
    e.setMethod(ZipEntry.STORED);
    e.setSize(bytes.length);
    e.setCompressedSize(bytes.length);
    CRC32 crc = new CRC32();
    crc.update(bytes);
    e.setCrc(crc.getValue());
    e.setTimeLocal(ENTRY_TIME);
    zip.putNextEntry(e);
    zip.write(bytes);
    zip.closeEntry();
  }

  static ZipFile openZip(Path path, String source) throws IOException {
    try {
      return new ZipFile(path.toFile());
    } catch (ZipException | EOFException | IllegalArgumentException | IllegalStateException e) {
      throw new ModelFormatException(source + ": not a valid zip archive: " + e.getMessage(), e);
    }
  }

  private static Map<String, ZipEntry> entries(ZipFile zip, String source)
      throws ModelFormatException {
    Map<String, ZipEntry> found = new HashMap<>();
    try {
      Enumeration<? extends ZipEntry> it = zip.entries();
      int n = 0;
      while (it.hasMoreElements()) {
        ZipEntry e = it.nextElement();
        if (++n > MAX_ENTRIES) {
          throw new ModelFormatException(source + ": more than " + MAX_ENTRIES + " zip entries");
        }
        if (found.putIfAbsent(e.getName(), e) != null) {
          throw new ModelFormatException(source + ": duplicate zip entry '" + e.getName() + "'");
        }
      }
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new ModelFormatException(source + ": corrupt zip directory: " + e.getMessage(), e);
    }
    return found;
  }

  private static InputStream entryStream(ZipFile zip, ZipEntry e, String entrySource, long cap)
      throws IOException {
    if (e.getSize() > cap) {
      throw new ModelFormatException(
          entrySource + ": entry declares " + e.getSize() + " bytes, over the limit of " + cap);
    }
    InputStream raw;
    try {
      raw = zip.getInputStream(e);
    } catch (ZipException | EOFException | IllegalArgumentException | IllegalStateException ex) {
      throw new ModelFormatException(entrySource + ": cannot open entry: " + ex.getMessage(), ex);
    }
    if (raw == null) {
      throw new ModelFormatException(entrySource + ": entry vanished from the archive");
    }
    return new CheckedEntryStream(raw, entrySource, e.getSize(), e.getCrc(), cap);
  }

  private static byte[] readEntry(ZipFile zip, ZipEntry e, String source, long cap)
      throws IOException {
    try (InputStream in = entryStream(zip, e, source + "!/" + e.getName(), cap)) {
      return in.readAllBytes();
    }
  }

  /** The bytes of {@code path}, refusing files over {@code cap}. */
  public static byte[] readCapped(Path path, String source, long cap) throws IOException {
    long size = Files.size(path);
    if (size > cap) {
      throw new ModelFormatException(
          source + ": " + size + " bytes, over the limit of " + cap);
    }
    return Files.readAllBytes(path);
  }
}

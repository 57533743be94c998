package io.github.maxnorm.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.maxnorm.tensor.Tensor;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.LocalDateTime;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Saves and loads {@link ModelArchive}s as zip files.
 *
 * <p>An archive holds exactly these entries at its root: {@value #MANIFEST} ({@code
 * {"maxnorm_format": 1}}), {@value #CONFIG}, {@value #STATE}, {@value #WEIGHTS} and {@value
 * #OPTIMIZER}. The tensor entries use the {@link SafeTensors} format.
 *
 * <p>{@link #save} replaces the target atomically: a reader sees either the previous file or the
 * complete new one, never a partial file, even if the writing process is killed.
 *
 * <p>{@link #load} treats the file as untrusted and throws {@link ModelFormatException} naming the
 * file and the problem when an entry name is unsafe (a {@code ..} segment, an absolute path, a drive
 * letter or a backslash), an entry appears twice, an entry is not one of the five above (unknown
 * entries are rejected, not skipped: anything new in the layout comes with a new format version),
 * a required entry is missing, an entry's declared or actual size exceeds the limit, the actual
 * bytes disagree with the declared size or CRC, the manifest's format version is missing, unknown
 * or newer than {@link #FORMAT_VERSION}, or any JSON or tensor entry is malformed. Loading builds
 * only JSON trees and float arrays; it never deserializes Java objects or runs code from the file.
 * Failures to access the file itself are other {@link IOException}s.
 */
public final class ModelFiles {
  /** The format version this library writes and the newest it reads. */
  public static final int FORMAT_VERSION = 1;

  /** The manifest field holding the format version. */
  public static final String FORMAT_FIELD = "maxnorm_format";

  public static final String MANIFEST = "manifest.json";
  public static final String CONFIG = "config.json";
  public static final String STATE = "state.json";
  public static final String WEIGHTS = "weights.safetensors";
  public static final String OPTIMIZER = "optimizer.safetensors";

  /** The entries of a format-1 archive, in the order they are written. */
  public static final List<String> ENTRIES = List.of(MANIFEST, CONFIG, STATE, WEIGHTS, OPTIMIZER);

  /** The default limit on the uncompressed size of one entry: 4 GiB. */
  public static final long DEFAULT_MAX_ENTRY_BYTES = 4L << 30;

  /** The limit on a JSON entry's size, whatever the entry limit: 64 MiB. */
  public static final long MAX_JSON_ENTRY_BYTES = 64L << 20;

  private static final LocalDateTime ENTRY_TIME = LocalDateTime.of(1980, 1, 1, 0, 0);

  private ModelFiles() {}

  // ----------------------------------------------------------------------------------- saving

  /** Atomically replaces {@code path} with an archive of {@code archive}. */
  public static void save(Path path, ModelArchive archive) throws IOException {
    if (archive == null) {
      throw new IllegalArgumentException("ModelFiles.save: archive must not be null");
    }
    AtomicFiles.write(path, out -> write(out, archive));
  }

  /**
   * Writes an archive of {@code archive} to {@code out}, which is left open. The bytes depend only
   * on the archive's contents (entry times are fixed).
   */
  public static void write(OutputStream out, ModelArchive archive) throws IOException {
    if (archive == null) {
      throw new IllegalArgumentException("ModelFiles.write: archive must not be null");
    }
    ObjectNode manifest = Json.MAPPER.createObjectNode();
    manifest.put(FORMAT_FIELD, FORMAT_VERSION);
    try (ZipOutputStream zip = new ZipOutputStream(new KeepOpen(out))) {
      zip.setLevel(Deflater.BEST_SPEED);
      putJson(zip, MANIFEST, manifest);
      putJson(zip, CONFIG, archive.config());
      putJson(zip, STATE, archive.trainingState());
      begin(zip, WEIGHTS);
      SafeTensors.write(zip, archive.weights());
      zip.closeEntry();
      begin(zip, OPTIMIZER);
      SafeTensors.write(zip, archive.optimizerState());
      zip.closeEntry();
    }
  }

  private static void begin(ZipOutputStream zip, String name) throws IOException {
    ZipEntry e = new ZipEntry(name);
    e.setTimeLocal(ENTRY_TIME);
    zip.putNextEntry(e);
  }

  private static void putJson(ZipOutputStream zip, String name, JsonNode node)
      throws IOException {
    begin(zip, name);
    zip.write(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(node));
    zip.write('\n');
    zip.closeEntry();
  }

  /** Passes writes through but only flushes on close, so the zip stream can be closed safely. */
  private static final class KeepOpen extends FilterOutputStream {
    KeepOpen(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      out.flush();
    }
  }

  // ----------------------------------------------------------------------------------- loading

  /** Loads the archive at {@code path} with the {@linkplain #DEFAULT_MAX_ENTRY_BYTES default} limit. */
  public static ModelArchive load(Path path) throws IOException {
    return load(path, DEFAULT_MAX_ENTRY_BYTES);
  }

  /**
   * Loads the archive at {@code path}, rejecting any entry whose uncompressed size exceeds {@code
   * maxEntryBytes} (JSON entries are further limited to {@link #MAX_JSON_ENTRY_BYTES}).
   */
  public static ModelArchive load(Path path, long maxEntryBytes) throws IOException {
    if (maxEntryBytes <= 0) {
      throw new IllegalArgumentException(
          "ModelFiles.load: maxEntryBytes must be > 0, received " + maxEntryBytes);
    }
    String source = path.toString();
    BasicFileAttributes attrs = Files.readAttributes(path, BasicFileAttributes.class);
    if (!attrs.isRegularFile()) {
      throw new FileSystemException(source, null, "not a regular file");
    }
    try (ZipFile zip = open(path, source)) {
      Map<String, ZipEntry> entries = entries(zip, source, maxEntryBytes);
      for (String required : ENTRIES) {
        if (!entries.containsKey(required)) {
          throw ModelFormatException.of(source, "missing required entry '" + required + "'");
        }
      }
      JsonNode manifest = readJson(zip, entries.get(MANIFEST), source, maxEntryBytes);
      checkVersion(manifest, source);
      JsonNode config = readJson(zip, entries.get(CONFIG), source, maxEntryBytes);
      JsonNode state = readJson(zip, entries.get(STATE), source, maxEntryBytes);
      Map<String, Tensor> weights = readTensors(zip, entries.get(WEIGHTS), source, maxEntryBytes);
      Map<String, Tensor> optimizer =
          readTensors(zip, entries.get(OPTIMIZER), source, maxEntryBytes);
      return new ModelArchive(config, weights, optimizer, state);
    }
  }

  private static ZipFile open(Path path, String source) throws IOException {
    try {
      return new ZipFile(path.toFile());
    } catch (ZipException | EOFException | IllegalArgumentException | IllegalStateException e) {
      // The file was readable; a zip directory pointing past its end shows up as EOFException.
      throw ModelFormatException.of(source, "not a valid zip archive: " + e, e);
    }
  }

  private static Map<String, ZipEntry> entries(ZipFile zip, String source, long maxEntryBytes)
      throws ModelFormatException {
    Map<String, ZipEntry> found = new HashMap<>();
    try {
      Enumeration<? extends ZipEntry> it = zip.entries();
      while (it.hasMoreElements()) {
        ZipEntry e = it.nextElement();
        String name = e.getName();
        String unsafe = unsafeReason(name);
        if (unsafe != null) {
          throw ModelFormatException.of(
              source, "entry '" + printable(name) + "' has an unsafe name: " + unsafe);
        }
        if (found.putIfAbsent(name, e) != null) {
          throw ModelFormatException.of(source, "duplicate entry '" + name + "'");
        }
        if (!ENTRIES.contains(name)) {
          throw ModelFormatException.of(
              source,
              "unknown entry '" + printable(name) + "'; format " + FORMAT_VERSION
                  + " archives hold only " + ENTRIES);
        }
        long limit = limitFor(name, maxEntryBytes);
        if (e.getSize() > limit) {
          throw ModelFormatException.of(
              source,
              "entry '" + name + "' declares " + e.getSize() + " bytes, over the limit of "
                  + limit);
        }
      }
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw ModelFormatException.of(source, "corrupt zip directory: " + e.getMessage(), e);
    }
    return found;
  }

  /** Why {@code name} is unsafe to use as a path, or null when it is not. */
  static String unsafeReason(String name) {
    if (name.isEmpty()) {
      return "empty name";
    }
    if (name.indexOf('\\') >= 0) {
      return "contains a backslash";
    }
    if (name.startsWith("/")) {
      return "absolute path";
    }
    if (name.indexOf(':') >= 0) {
      return "contains a drive or stream separator ':'";
    }
    if (name.indexOf('\0') >= 0) {
      return "contains a NUL character";
    }
    for (String segment : name.split("/", -1)) {
      if (segment.equals("..")) {
        return "parent-directory segment '..'";
      }
    }
    return null;
  }

  private static String printable(String name) {
    StringBuilder b = new StringBuilder();
    name.codePoints()
        .limit(200)
        .forEach(c -> {
          if (c < 0x20 || c == 0x7f) {
            b.append(String.format("\\u%04x", c));
          } else {
            b.appendCodePoint(c);
          }
        });
    return b.toString();
  }

  private static long limitFor(String name, long maxEntryBytes) {
    return name.endsWith(".json") ? Math.min(maxEntryBytes, MAX_JSON_ENTRY_BYTES) : maxEntryBytes;
  }

  private static InputStream stream(ZipFile zip, ZipEntry e, String entrySource, long limit)
      throws IOException {
    InputStream raw;
    try {
      raw = zip.getInputStream(e);
    } catch (ZipException | EOFException | IllegalArgumentException | IllegalStateException ex) {
      throw ModelFormatException.of(entrySource, "cannot open entry: " + ex.getMessage(), ex);
    }
    if (raw == null) {
      throw ModelFormatException.of(entrySource, "entry vanished from the archive");
    }
    return new CheckedEntryStream(raw, entrySource, e.getSize(), e.getCrc(), limit);
  }

  private static JsonNode readJson(ZipFile zip, ZipEntry e, String source, long maxEntryBytes)
      throws IOException {
    String entrySource = source + "!/" + e.getName();
    try (InputStream in = stream(zip, e, entrySource, limitFor(e.getName(), maxEntryBytes))) {
      byte[] bytes = in.readAllBytes();
      return Json.parse(bytes, bytes.length, entrySource);
    }
  }

  private static Map<String, Tensor> readTensors(
      ZipFile zip, ZipEntry e, String source, long maxEntryBytes) throws IOException {
    String entrySource = source + "!/" + e.getName();
    try (InputStream in =
        new BufferedInputStream(stream(zip, e, entrySource, maxEntryBytes), 1 << 16)) {
      return SafeTensors.read(in, e.getSize(), entrySource, true).tensors();
    }
  }

  private static void checkVersion(JsonNode manifest, String source) throws ModelFormatException {
    String where = source + "!/" + MANIFEST;
    if (!manifest.isObject()) {
      throw ModelFormatException.of(where, "must be a JSON object, found " + manifest.getNodeType());
    }
    JsonNode v = manifest.get(FORMAT_FIELD);
    if (v == null) {
      throw ModelFormatException.of(where, "has no '" + FORMAT_FIELD + "' version");
    }
    if (!v.isIntegralNumber() || !v.canConvertToInt()) {
      throw ModelFormatException.of(where, "'" + FORMAT_FIELD + "' must be an integer, found " + v);
    }
    int version = v.intValue();
    if (version > FORMAT_VERSION) {
      throw ModelFormatException.of(
          where,
          "format version " + version + " is newer than this library supports ("
              + FORMAT_VERSION + "); upgrade to read it");
    }
    if (version < 1) {
      throw ModelFormatException.of(where, "unknown format version " + version);
    }
  }
}

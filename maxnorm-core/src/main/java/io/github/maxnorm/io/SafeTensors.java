package io.github.maxnorm.io;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.maxnorm.tensor.Tensor;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads and writes the float32 subset of the safetensors format.
 *
 * <p>A file is: an unsigned 64-bit little-endian header length {@code N}; {@code N} bytes of UTF-8
 * JSON mapping each tensor name to {@code {"dtype": "F32", "shape": [...], "data_offsets": [begin,
 * end]}}, plus an optional {@code "__metadata__"} object of string values; then the data buffer, in
 * which each tensor occupies {@code [begin, end)} as little-endian float32 in row-major order.
 *
 * <p>The writer sorts tensors by name (Unicode code point order), lays their data out in that order
 * without gaps, writes {@code __metadata__} first (keys sorted) when it is not empty, writes compact
 * JSON, and pads the header with spaces to a multiple of 8 bytes.
 *
 * <p>The reader checks the whole header against the bytes present before it allocates tensor
 * storage: the header length (at most {@link #MAX_HEADER_BYTES} and within the file), well-formed
 * strict JSON, dtype {@code F32} only, non-negative dimensions whose element count times 4 equals
 * the byte range, offsets that tile the buffer exactly (no overlap, no gap, nothing after it) and no
 * duplicate names. Any violation is a {@link ModelFormatException}. Tensors are returned in the
 * order the header lists them.
 */
public final class SafeTensors {
  /** The largest header accepted, in bytes. */
  public static final long MAX_HEADER_BYTES = 100_000_000L;

  /** The reserved header key for string metadata. */
  public static final String METADATA_KEY = "__metadata__";

  private static final int CHUNK_FLOATS = 1 << 14;

  private SafeTensors() {}

  // ----------------------------------------------------------------------------------- writing

  /** Writes {@code tensors} (no metadata) to {@code out}, which is left open. */
  public static void write(OutputStream out, Map<String, Tensor> tensors) throws IOException {
    write(out, tensors, Map.of());
  }

  /** Writes {@code tensors} and {@code metadata} to {@code out}, which is left open. */
  public static void write(
      OutputStream out, Map<String, Tensor> tensors, Map<String, String> metadata)
      throws IOException {
    List<Map.Entry<String, Tensor>> sorted = sortedEntries(tensors);
    byte[] header = header(sorted, metadata);
    ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    lengthBytes.putLong(header.length);
    out.write(lengthBytes.array());
    out.write(header);
    ByteBuffer chunk = ByteBuffer.allocate(CHUNK_FLOATS * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (Map.Entry<String, Tensor> e : sorted) {
      float[] values = e.getValue().toArray();
      for (int from = 0; from < values.length; from += CHUNK_FLOATS) {
        int n = Math.min(CHUNK_FLOATS, values.length - from);
        chunk.clear();
        for (int i = 0; i < n; i++) {
          chunk.putInt(Float.floatToRawIntBits(values[from + i]));
        }
        out.write(chunk.array(), 0, n * 4);
      }
    }
    out.flush();
  }

  /** Atomically replaces {@code path} with a file holding {@code tensors} (no metadata). */
  public static void write(Path path, Map<String, Tensor> tensors) throws IOException {
    write(path, tensors, Map.of());
  }

  /** Atomically replaces {@code path} with a file holding {@code tensors} and {@code metadata}. */
  public static void write(Path path, Map<String, Tensor> tensors, Map<String, String> metadata)
      throws IOException {
    List<Map.Entry<String, Tensor>> checked = sortedEntries(tensors);
    header(checked, metadata); // validate before touching the file system
    AtomicFiles.write(path, out -> write(out, tensors, metadata));
  }

  /** The bytes of a file holding {@code tensors} and {@code metadata}. */
  public static byte[] toBytes(Map<String, Tensor> tensors, Map<String, String> metadata) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      write(out, tensors, metadata);
    } catch (IOException e) {
      throw new IllegalStateException("writing to memory failed", e);
    }
    return out.toByteArray();
  }

  /** Throws if {@code name} cannot name a tensor: null, empty or the reserved metadata key. */
  static void checkName(String what, String name) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException(what + ": tensor names must not be null or empty");
    }
    if (name.equals(METADATA_KEY)) {
      throw new IllegalArgumentException(
          what + ": the tensor name " + METADATA_KEY + " is reserved for metadata");
    }
  }

  private static final Comparator<String> CODE_POINT_ORDER =
      (a, b) -> {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
          int ca = a.codePointAt(i);
          int cb = b.codePointAt(j);
          if (ca != cb) {
            return Integer.compare(ca, cb);
          }
          i += Character.charCount(ca);
          j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
      };

  private static List<Map.Entry<String, Tensor>> sortedEntries(Map<String, Tensor> tensors) {
    if (tensors == null) {
      throw new IllegalArgumentException("SafeTensors.write: tensors must not be null");
    }
    List<Map.Entry<String, Tensor>> list = new ArrayList<>(tensors.size());
    for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
      checkName("SafeTensors.write", e.getKey());
      if (e.getValue() == null) {
        throw new IllegalArgumentException(
            "SafeTensors.write: tensor '" + e.getKey() + "' is null");
      }
      list.add(Map.entry(e.getKey(), e.getValue()));
    }
    list.sort(Map.Entry.comparingByKey(CODE_POINT_ORDER));
    return list;
  }

  private static byte[] header(List<Map.Entry<String, Tensor>> sorted, Map<String, String> metadata)
      throws IllegalArgumentException {
    if (metadata == null) {
      throw new IllegalArgumentException("SafeTensors.write: metadata must not be null");
    }
    Map<String, String> meta = new TreeMap<>(CODE_POINT_ORDER);
    for (Map.Entry<String, String> e : metadata.entrySet()) {
      if (e.getKey() == null || e.getValue() == null) {
        throw new IllegalArgumentException(
            "SafeTensors.write: metadata keys and values must not be null, received " + e);
      }
      meta.put(e.getKey(), e.getValue());
    }
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(buf, JsonEncoding.UTF8)) {
      g.writeStartObject();
      if (!meta.isEmpty()) {
        g.writeObjectFieldStart(METADATA_KEY);
        for (Map.Entry<String, String> e : meta.entrySet()) {
          g.writeStringField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
      }
      long offset = 0;
      for (Map.Entry<String, Tensor> e : sorted) {
        Tensor t = e.getValue();
        long bytes = 4L * t.size();
        g.writeObjectFieldStart(e.getKey());
        g.writeStringField("dtype", "F32");
        g.writeArrayFieldStart("shape");
        for (int d : t.shape().dims()) {
          g.writeNumber(d);
        }
        g.writeEndArray();
        g.writeArrayFieldStart("data_offsets");
        g.writeNumber(offset);
        g.writeNumber(offset + bytes);
        g.writeEndArray();
        g.writeEndObject();
        offset += bytes;
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new IllegalStateException("writing a header to memory failed", e);
    }
    int padding = (8 - buf.size() % 8) % 8;
    for (int i = 0; i < padding; i++) {
      buf.write(' ');
    }
    if (buf.size() > MAX_HEADER_BYTES) {
      throw new IllegalArgumentException(
          "SafeTensors.write: header of " + buf.size() + " bytes exceeds " + MAX_HEADER_BYTES);
    }
    return buf.toByteArray();
  }

  // ----------------------------------------------------------------------------------- reading

  /** Reads the tensors of the file at {@code path}. */
  public static Map<String, Tensor> read(Path path) throws IOException {
    return readWithMetadata(path).tensors();
  }

  /**
   * Reads the tensors from {@code in}, which must hold exactly one file and nothing after it; the
   * stream is read to its end but not closed.
   */
  public static Map<String, Tensor> read(InputStream in) throws IOException {
    return readWithMetadata(in).tensors();
  }

  /** Reads the tensors and metadata of the file at {@code path}. */
  public static SafeTensorsFile readWithMetadata(Path path) throws IOException {
    long size = Files.size(path);
    try (InputStream in = new BufferedInputStream(Files.newInputStream(path), 1 << 16)) {
      return read(in, size, path.toString(), true);
    }
  }

  /** Reads the tensors and metadata from {@code in}; see {@link #read(InputStream)}. */
  public static SafeTensorsFile readWithMetadata(InputStream in) throws IOException {
    return read(in, -1, "safetensors stream", true);
  }

  /** Reads only the metadata of the file at {@code path}, validating its header but no data. */
  public static Map<String, String> readMetadata(Path path) throws IOException {
    long size = Files.size(path);
    try (InputStream in = new BufferedInputStream(Files.newInputStream(path), 1 << 16)) {
      return read(in, size, path.toString(), false).metadata();
    }
  }

  /** One tensor as the header describes it. */
  private record Entry(String name, int[] dims, int elements, long begin, long end) {}

  /**
   * Reads one file from {@code in}. {@code size} is the total number of bytes the source holds, or
   * -1 when unknown; when known, the header is checked against it before anything is allocated.
   */
  static SafeTensorsFile read(InputStream in, long size, String source, boolean withData)
      throws IOException {
    byte[] lengthBytes = in.readNBytes(8);
    if (lengthBytes.length < 8) {
      throw ModelFormatException.of(
          source, "truncated: " + lengthBytes.length + " bytes, need at least 8 for the header length");
    }
    long n = ByteBuffer.wrap(lengthBytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
    if (n < 0 || n > MAX_HEADER_BYTES) {
      throw ModelFormatException.of(
          source,
          "header length " + Long.toUnsignedString(n) + " exceeds the limit of " + MAX_HEADER_BYTES
              + " bytes");
    }
    if (size >= 0 && n > size - 8) {
      throw ModelFormatException.of(
          source, "header length " + n + " exceeds the " + (size - 8) + " bytes after it");
    }
    if (n < 2) {
      throw ModelFormatException.of(source, "header length " + n + " is too small for JSON");
    }
    byte[] headerBytes = in.readNBytes((int) n);
    if (headerBytes.length < n) {
      throw ModelFormatException.of(
          source, "truncated: header declares " + n + " bytes, found " + headerBytes.length);
    }
    JsonNode header = Json.parse(headerBytes, headerBytes.length, source + " header");
    if (!header.isObject()) {
      throw ModelFormatException.of(
          source, "header must be a JSON object, found " + header.getNodeType());
    }
    Map<String, String> metadata = new LinkedHashMap<>();
    List<Entry> entries = new ArrayList<>();
    for (Map.Entry<String, JsonNode> field : header.properties()) {
      if (field.getKey().equals(METADATA_KEY)) {
        readMetadata(field.getValue(), metadata, source);
      } else {
        entries.add(entry(field.getKey(), field.getValue(), source));
      }
    }
    long bufferBytes = checkLayout(entries, source);
    if (size >= 0 && bufferBytes != size - 8 - n) {
      throw ModelFormatException.of(
          source,
          "header describes a data buffer of " + bufferBytes + " bytes, but the file holds "
              + (size - 8 - n));
    }
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    if (withData) {
      List<Entry> byOffset = new ArrayList<>(entries);
      byOffset.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
      Map<String, Tensor> loaded = new HashMap<>();
      for (Entry e : byOffset) {
        float[] values = readFloats(in, e.elements(), source, e.name());
        loaded.put(e.name(), Tensor.of(values, e.dims()));
      }
      if (in.read() != -1) {
        throw ModelFormatException.of(
            source, "unexpected bytes after the " + bufferBytes + "-byte data buffer");
      }
      for (Entry e : entries) {
        tensors.put(e.name(), loaded.get(e.name()));
      }
    }
    return new SafeTensorsFile(tensors, metadata);
  }

  private static void readMetadata(JsonNode node, Map<String, String> out, String source)
      throws ModelFormatException {
    if (!node.isObject()) {
      throw ModelFormatException.of(
          source, METADATA_KEY + " must be an object of strings, found " + node.getNodeType());
    }
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      if (!e.getValue().isTextual()) {
        throw ModelFormatException.of(
            source,
            METADATA_KEY + " value for '" + e.getKey() + "' must be a string, found "
                + e.getValue().getNodeType());
      }
      out.put(e.getKey(), e.getValue().textValue());
    }
  }

  private static final Set<String> ENTRY_KEYS = Set.of("dtype", "shape", "data_offsets");

  private static Entry entry(String name, JsonNode node, String source)
      throws ModelFormatException {
    String where = "tensor '" + name + "'";
    if (name.isEmpty()) {
      throw ModelFormatException.of(source, "tensor names must not be empty");
    }
    if (!node.isObject()) {
      throw ModelFormatException.of(
          source, where + " must be described by an object, found " + node.getNodeType());
    }
    for (Map.Entry<String, JsonNode> property : node.properties()) {
      String key = property.getKey();
      if (!ENTRY_KEYS.contains(key)) {
        throw ModelFormatException.of(source, where + " has unknown field '" + key + "'");
      }
    }
    JsonNode dtype = node.get("dtype");
    if (dtype == null || !dtype.isTextual()) {
      throw ModelFormatException.of(source, where + " needs a string dtype");
    }
    if (!dtype.textValue().equals("F32")) {
      throw ModelFormatException.of(
          source, where + " has dtype " + dtype.textValue() + "; only F32 is supported");
    }
    JsonNode shape = node.get("shape");
    if (shape == null || !shape.isArray()) {
      throw ModelFormatException.of(source, where + " needs a shape array");
    }
    int[] dims = new int[shape.size()];
    long elements = 1;
    boolean overflow = false;
    for (int i = 0; i < dims.length; i++) {
      JsonNode d = shape.get(i);
      if (!d.isIntegralNumber() || !d.canConvertToLong() || d.longValue() < 0) {
        throw ModelFormatException.of(
            source, where + " has invalid dimension " + d + " in shape " + shape);
      }
      if (d.longValue() > Integer.MAX_VALUE) {
        throw ModelFormatException.of(
            source, where + " has dimension " + d + " larger than " + Integer.MAX_VALUE);
      }
      dims[i] = d.intValue();
      if (!overflow) {
        elements *= dims[i];
        overflow = elements > Integer.MAX_VALUE;
      }
    }
    if (overflow && Arrays.stream(dims).noneMatch(d -> d == 0)) {
      throw ModelFormatException.of(
          source, where + " with shape " + shape + " has more than " + Integer.MAX_VALUE
              + " elements");
    }
    if (Arrays.stream(dims).anyMatch(d -> d == 0)) {
      elements = 0;
    }
    JsonNode offsets = node.get("data_offsets");
    if (offsets == null || !offsets.isArray() || offsets.size() != 2) {
      throw ModelFormatException.of(source, where + " needs data_offsets [begin, end]");
    }
    long[] be = new long[2];
    for (int i = 0; i < 2; i++) {
      JsonNode o = offsets.get(i);
      if (!o.isIntegralNumber() || !o.canConvertToLong() || o.longValue() < 0) {
        throw ModelFormatException.of(
            source, where + " has invalid data_offsets " + offsets);
      }
      be[i] = o.longValue();
    }
    if (be[1] < be[0]) {
      throw ModelFormatException.of(
          source, where + " has data_offsets " + offsets + " that end before they begin");
    }
    if (be[1] - be[0] != 4 * elements) {
      throw ModelFormatException.of(
          source,
          where + " with shape " + shape + " needs " + (4 * elements) + " bytes, but data_offsets "
              + offsets + " span " + (be[1] - be[0]));
    }
    return new Entry(name, dims, (int) elements, be[0], be[1]);
  }

  /** Checks that the entries tile {@code [0, total)} and returns {@code total}. */
  private static long checkLayout(List<Entry> entries, String source)
      throws ModelFormatException {
    List<Entry> byOffset = new ArrayList<>(entries);
    byOffset.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
    long cursor = 0;
    String previous = null;
    for (Entry e : byOffset) {
      if (e.begin() < cursor) {
        throw ModelFormatException.of(
            source,
            "tensor '" + e.name() + "' at [" + e.begin() + ", " + e.end() + ") overlaps tensor '"
                + previous + "' ending at " + cursor);
      }
      if (e.begin() > cursor) {
        throw ModelFormatException.of(
            source,
            "gap in the data buffer: bytes [" + cursor + ", " + e.begin() + ") belong to no tensor");
      }
      cursor = e.end();
      previous = e.name();
    }
    return cursor;
  }

  /** Reads {@code count} floats, growing storage only as bytes actually arrive. */
  private static float[] readFloats(InputStream in, int count, String source, String name)
      throws IOException {
    float[] out = new float[Math.min(count, CHUNK_FLOATS)];
    byte[] buf = new byte[Math.min(count, CHUNK_FLOATS) * 4];
    int filled = 0;
    while (filled < count) {
      int n = Math.min(CHUNK_FLOATS, count - filled);
      int got = in.readNBytes(buf, 0, n * 4);
      if (got < n * 4) {
        throw ModelFormatException.of(
            source,
            "truncated: data of tensor '" + name + "' ends after " + (4L * filled + got) + " of "
                + (4L * count) + " bytes");
      }
      if (filled + n > out.length) {
        out = Arrays.copyOf(out, (int) Math.min(count, Math.max(2L * out.length, filled + n)));
      }
      ByteBuffer.wrap(buf, 0, n * 4).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out, filled, n);
      filled += n;
    }
    return out;
  }
}

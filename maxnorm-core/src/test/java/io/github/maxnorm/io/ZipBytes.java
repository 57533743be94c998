package io.github.maxnorm.io;

import io.github.maxnorm.tensor.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Builds zip archives byte by byte for tests, including ones no honest writer would produce. */
final class ZipBytes {
  private ZipBytes() {}

  /** The entries of a minimal valid archive, in writing order; the map is mutable. */
  static Map<String, byte[]> validEntries() {
    Map<String, byte[]> m = new LinkedHashMap<>();
    m.put(ModelFiles.MANIFEST, utf8("{\"maxnorm_format\": 1}"));
    m.put(ModelFiles.CONFIG, utf8("{\"class_name\": \"Sequential\"}"));
    m.put(ModelFiles.STATE, utf8("{\"epoch\": 2}"));
    m.put(ModelFiles.WEIGHTS,
        SafeTensors.toBytes(Map.of("w", Tensor.of(new float[] {1f, 2f, 3f}, 3)), Map.of()));
    m.put(ModelFiles.OPTIMIZER, SafeTensors.toBytes(Map.of(), Map.of()));
    return m;
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** A zip of {@code entries} in order, STORED (raw bytes in the file) or DEFLATED. */
  static byte[] zip(Map<String, byte[]> entries, boolean stored) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        ZipEntry z = new ZipEntry(e.getKey());
        if (stored) {
          CRC32 crc = new CRC32();
          crc.update(e.getValue());
          z.setMethod(ZipEntry.STORED);
          z.setSize(e.getValue().length);
          z.setCompressedSize(e.getValue().length);
          z.setCrc(crc.getValue());
        }
        zip.putNextEntry(z);
        zip.write(e.getValue());
        zip.closeEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** Replaces every occurrence of {@code from} by {@code to} (same length) in {@code bytes}. */
  static byte[] replaceAll(byte[] bytes, String from, String to) {
    byte[] f = utf8(from);
    byte[] t = utf8(to);
    if (f.length != t.length) {
      throw new IllegalArgumentException("replacement must keep the length");
    }
    byte[] out = bytes.clone();
    int hits = 0;
    for (int i = 0; i + f.length <= out.length; i++) {
      boolean match = true;
      for (int j = 0; j < f.length && match; j++) {
        match = out[i + j] == f[j];
      }
      if (match) {
        System.arraycopy(t, 0, out, i, t.length);
        hits++;
      }
    }
    if (hits == 0) {
      throw new IllegalArgumentException("'" + from + "' not found");
    }
    return out;
  }

  /**
   * Sets the uncompressed size recorded in the central directory for {@code name} (and in its
   * local header, for entries whose local header carries sizes).
   */
  static byte[] withDeclaredSize(byte[] zip, String name, int size) {
    byte[] out = zip.clone();
    ByteBuffer b = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
    byte[] n = utf8(name);
    int patched = 0;
    for (int i = 0; i + 46 <= out.length; i++) {
      int sig = b.getInt(i);
      if (sig == 0x02014b50 && nameAt(out, i + 46, b.getShort(i + 28) & 0xffff, n)) {
        b.putInt(i + 24, size);
        patched++;
      } else if (sig == 0x04034b50 && nameAt(out, i + 30, b.getShort(i + 26) & 0xffff, n)) {
        if (b.getInt(i + 22) != 0) {
          b.putInt(i + 22, size);
        }
      }
    }
    if (patched == 0) {
      throw new IllegalArgumentException(name + " not found in the central directory");
    }
    return out;
  }

  private static boolean nameAt(byte[] out, int at, int len, byte[] name) {
    if (len != name.length || at + len > out.length) {
      return false;
    }
    for (int j = 0; j < len; j++) {
      if (out[at + j] != name[j]) {
        return false;
      }
    }
    return true;
  }
}

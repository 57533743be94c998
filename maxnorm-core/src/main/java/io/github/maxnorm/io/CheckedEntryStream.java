package io.github.maxnorm.io;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.CRC32;
import java.util.zip.ZipException;

/**
 * The bytes of one zip entry, counted as they are produced: more than the cap or the declared size
 * is an error as soon as it happens, and at the end the count and the CRC must match what the zip
 * directory declared. Errors from the zip decoder become {@link ModelFormatException}s. Public so
 * that other containers built on zip (Keras's {@code .keras}) check their entries the same way.
 */
public final class CheckedEntryStream extends InputStream {
  private final InputStream in;
  private final String source;
  private final long declaredSize;
  private final long declaredCrc;
  private final long cap;
  private final CRC32 crc = new CRC32();
  private long count;
  private boolean ended;

  /**
   * @param declaredSize the uncompressed size the directory declares, or -1 if unknown
   * @param declaredCrc the CRC-32 the directory declares, or -1 if unknown
   * @param cap the most bytes the entry may hold
   */
  public CheckedEntryStream(InputStream in, String source, long declaredSize, long declaredCrc, long cap) {
    this.in = in;
    this.source = source;
    this.declaredSize = declaredSize;
    this.declaredCrc = declaredCrc;
    this.cap = cap;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (ended) {
      return -1;
    }
    if (len == 0) {
      return 0;
    }
    int n;
    try {
      n = in.read(b, off, len);
    } catch (ZipException | EOFException e) {
      throw ModelFormatException.of(source, "corrupt compressed data: " + e.getMessage(), e);
    }
    if (n < 0) {
      ended = true;
      verifyEnd();
      return -1;
    }
    count += n;
    crc.update(b, off, n);
    if (count > cap) {
      throw ModelFormatException.of(source, "entry exceeds the size limit of " + cap + " bytes");
    }
    if (declaredSize >= 0 && count > declaredSize) {
      throw ModelFormatException.of(
          source, "entry holds more than its declared " + declaredSize + " bytes");
    }
    return n;
  }

  private void verifyEnd() throws ModelFormatException {
    if (declaredSize >= 0 && count != declaredSize) {
      throw ModelFormatException.of(
          source, "entry declares " + declaredSize + " bytes but holds " + count);
    }
    if (declaredCrc >= 0 && crc.getValue() != declaredCrc) {
      throw ModelFormatException.of(
          source,
          "CRC-32 mismatch: declared " + Long.toHexString(declaredCrc) + ", computed "
              + Long.toHexString(crc.getValue()));
    }
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}

package io.github.maxnorm.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * Reader of IDX files (the MNIST file format), raw or gzip-compressed (detected by the gzip magic
 * bytes {@code 1f 8b}).
 *
 * <p>Layout: a magic number {@code 00 00 <type> <rank>}, then {@code rank} big-endian 32-bit
 * dimensions, then the product of the dimensions in data values. Only the unsigned-byte type
 * ({@code 0x08}) is accepted. Every size is checked against the bytes actually present before
 * memory is committed to it: a raw file's length is compared with the header, and a gzip stream is
 * read into a buffer that grows with the data found, never beyond what the header claims.
 */
final class Idx {

  /** The largest payload accepted from one file (1 GiB). */
  static final long MAX_PAYLOAD_BYTES = 1L << 30;

  private static final int TRAILING_COUNT_LIMIT = 1 << 20;

  /** What a file must hold. */
  enum Kind {
    /** Rank 3 {@code (count, rows, columns)} or rank 4 {@code (count, rows, columns, channels)}. */
    IMAGES,
    /** Rank 1 {@code (count)}. */
    LABELS
  }

  /** The dimensions and unsigned-byte payload of one IDX file. */
  static final class Data {
    final int[] dims;
    final byte[] bytes;

    Data(int[] dims, byte[] bytes) {
      this.dims = dims;
      this.bytes = bytes;
    }

    int count() {
      return dims[0];
    }

    /** The sample shape: {@code [rows, columns, 1]} for rank 3, the trailing dims otherwise. */
    int[] sampleShape() {
      if (dims.length == 3) {
        return new int[] {dims[1], dims[2], 1};
      }
      return Arrays.copyOfRange(dims, 1, dims.length);
    }
  }

  private Idx() {}

  /** Reads {@code file}; a missing file is reported as an {@link InvalidDataException}. */
  static Data read(Path file, Kind kind) throws IOException {
    String source = file.toString();
    if (!Files.isRegularFile(file)) {
      throw new InvalidDataException(source + ": file not found");
    }
    long length = Files.size(file);
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      return read(in, source, length, kind);
    }
  }

  /**
   * Reads an IDX stream.
   *
   * @param source the name used in error messages
   * @param rawLength the length of the stream in bytes, or -1 if unknown
   */
  static Data read(InputStream in, String source, long rawLength, Kind kind) throws IOException {
    InputStream s = in.markSupported() ? in : new BufferedInputStream(in);
    s.mark(2);
    int b0 = s.read();
    int b1 = s.read();
    s.reset();
    if (b0 != 0x1f || b1 != 0x8b) {
      return parse(s, source, rawLength, kind);
    }
    GZIPInputStream gz;
    try {
      gz = new GZIPInputStream(s, 1 << 16);
    } catch (InvalidDataException e) {
      throw e;
    } catch (IOException e) {
      throw new InvalidDataException(source + ": corrupt gzip header (" + e.getMessage() + ")", e);
    }
    try {
      return parse(gz, source, -1, kind);
    } catch (InvalidDataException e) {
      throw e;
    } catch (IOException e) {
      throw new InvalidDataException(
          source + ": corrupt or truncated gzip stream (" + e.getMessage() + ")", e);
    }
  }

  private static Data parse(InputStream in, String source, long rawLength, Kind kind)
      throws IOException {
    byte[] magic = in.readNBytes(4);
    if (magic.length < 4) {
      throw new InvalidDataException(
          source + ": holds only " + magic.length
              + " bytes; an IDX file starts with a 4-byte magic number");
    }
    int magicValue = readInt(magic, 0);
    if (magic[0] != 0 || magic[1] != 0) {
      throw new InvalidDataException(
          source + ": magic number 0x" + hex(magicValue)
              + " is not an IDX magic number (00 00 <type> <rank>)");
    }
    int type = magic[2] & 0xFF;
    int rank = magic[3] & 0xFF;
    if (type != 0x08) {
      throw new InvalidDataException(
          source + ": magic number 0x" + hex(magicValue) + " has data type 0x"
              + String.format("%02X", type) + " (" + typeName(type)
              + "); only unsigned bytes (0x08) are supported");
    }
    boolean rankOk = kind == Kind.LABELS ? rank == 1 : rank == 3 || rank == 4;
    if (!rankOk) {
      throw new InvalidDataException(
          source + ": magic number 0x" + hex(magicValue) + " has rank " + rank + ", but "
              + (kind == Kind.LABELS
                  ? "a label file has rank 1 (count)"
                  : "an image file has rank 3 (count, rows, columns) or 4 (count, rows, columns,"
                      + " channels)"));
    }
    byte[] header = in.readNBytes(4 * rank);
    if (header.length < 4 * rank) {
      throw new InvalidDataException(
          source + ": header is truncated: rank " + rank + " needs " + (4 + 4 * rank)
              + " header bytes but the file holds " + (4 + header.length));
    }
    int[] dims = new int[rank];
    long total = 1;
    for (int i = 0; i < rank; i++) {
      long d = Integer.toUnsignedLong(readInt(header, 4 * i));
      if (d == 0 || d > Integer.MAX_VALUE) {
        throw new InvalidDataException(
            source + ": header dimension " + i + " is " + d + "; dimensions must be in [1, "
                + Integer.MAX_VALUE + "] (header says " + describeRaw(header, rank, kind) + ")");
      }
      dims[i] = (int) d;
      total *= d; // each factor < 2^31 and total <= MAX_PAYLOAD_BYTES before it: no overflow
      if (total > MAX_PAYLOAD_BYTES) {
        throw new InvalidDataException(
            source + ": header says " + describeRaw(header, rank, kind)
                + ", more than the limit of " + MAX_PAYLOAD_BYTES + " bytes of data per file");
      }
    }
    int expected = (int) total;
    long headerBytes = 4L + 4L * rank;
    if (rawLength >= 0) {
      long present = rawLength - headerBytes;
      if (present != expected) {
        throw sizeMismatch(source, dims, kind, present, expected);
      }
    }
    byte[] payload = readUpTo(in, expected);
    if (payload.length < expected) {
      throw sizeMismatch(source, dims, kind, payload.length, expected);
    }
    long extra = countRemaining(in);
    if (extra > 0) {
      throw new InvalidDataException(
          source + ": " + (extra > TRAILING_COUNT_LIMIT ? "more than " + TRAILING_COUNT_LIMIT
              : String.valueOf(extra)) + " trailing bytes after the " + expected + " bytes of "
              + dataWord(kind) + " the header describes (" + describe(dims, kind) + ")");
    }
    return new Data(dims, payload);
  }

  private static InvalidDataException sizeMismatch(
      String source, int[] dims, Kind kind, long present, int expected) {
    return new InvalidDataException(
        source + ": header says " + describe(dims, kind) + " but the file holds " + present
            + " bytes of " + dataWord(kind) + " (expected " + expected + ")");
  }

  /**
   * Reads up to {@code limit} bytes, growing the buffer with the data found: the result is shorter
   * than {@code limit} only when the stream ended first.
   */
  static byte[] readUpTo(InputStream in, int limit) throws IOException {
    byte[] buf = new byte[Math.min(limit, 1 << 16)];
    int n = 0;
    while (n < limit) {
      if (n == buf.length) {
        buf = Arrays.copyOf(buf, (int) Math.min(limit, 2L * buf.length));
      }
      int r = in.read(buf, n, buf.length - n);
      if (r < 0) {
        break;
      }
      n += r;
    }
    return n == buf.length ? buf : Arrays.copyOf(buf, n);
  }

  /** Counts the bytes left in the stream, stopping once more than the trailing limit are seen. */
  private static long countRemaining(InputStream in) throws IOException {
    byte[] buf = new byte[8192];
    long n = 0;
    while (n <= TRAILING_COUNT_LIMIT) {
      int r = in.read(buf);
      if (r < 0) {
        break;
      }
      n += r;
    }
    return n;
  }

  private static String dataWord(Kind kind) {
    return kind == Kind.LABELS ? "label data" : "pixel data";
  }

  private static String describe(int[] dims, Kind kind) {
    if (kind == Kind.LABELS) {
      return dims[0] + " labels";
    }
    StringBuilder b = new StringBuilder().append(dims[0]).append(" images of ");
    for (int i = 1; i < dims.length; i++) {
      if (i > 1) {
        b.append('x');
      }
      b.append(dims[i]);
    }
    return b.toString();
  }

  private static String describeRaw(byte[] header, int rank, Kind kind) {
    long[] d = new long[rank];
    for (int i = 0; i < rank; i++) {
      d[i] = Integer.toUnsignedLong(readInt(header, 4 * i));
    }
    if (kind == Kind.LABELS) {
      return d[0] + " labels";
    }
    StringBuilder b = new StringBuilder().append(d[0]).append(" images of ");
    for (int i = 1; i < rank; i++) {
      if (i > 1) {
        b.append('x');
      }
      b.append(d[i]);
    }
    return b.toString();
  }

  private static int readInt(byte[] b, int off) {
    return (b[off] & 0xFF) << 24 | (b[off + 1] & 0xFF) << 16 | (b[off + 2] & 0xFF) << 8
        | (b[off + 3] & 0xFF);
  }

  private static String hex(int v) {
    return String.format("%08X", v);
  }

  private static String typeName(int type) {
    return switch (type) {
      case 0x08 -> "unsigned byte";
      case 0x09 -> "signed byte";
      case 0x0B -> "short";
      case 0x0C -> "int";
      case 0x0D -> "float";
      case 0x0E -> "double";
      default -> "unknown type";
    };
  }
}

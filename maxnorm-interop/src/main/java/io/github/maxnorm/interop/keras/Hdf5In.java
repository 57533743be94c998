package io.github.maxnorm.interop.keras;

import io.github.maxnorm.io.ModelFormatException;
import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jhdf.object.datatype.DataType;
import io.jhdf.object.datatype.FixedPoint;
import io.jhdf.object.datatype.FloatingPoint;
import io.jhdf.object.message.DataLayout;
import java.io.IOException;
import java.lang.reflect.Array;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * Read access to an HDF5 file through jhdf, for untrusted files: every call into the library is
 * guarded so that a broken structure becomes a {@link ModelFormatException} naming the file, sizes
 * are checked against the file and the weight budget before anything is allocated, and links
 * (soft or external) are never followed.
 */
final class Hdf5In implements AutoCloseable {
  /** Keras splits string-array attributes larger than this into {@code name0}, {@code name1}, ... */
  static final int MAX_ATTRIBUTE_CHUNKS = 100_000;

  private final HdfFile file;
  final String source;
  private final long fileSize;
  private final KerasReadLimits limits;
  private long weightBytes;

  private Hdf5In(HdfFile file, String source, long fileSize, KerasReadLimits limits) {
    this.file = file;
    this.source = source;
    this.fileSize = fileSize;
    this.limits = limits;
  }

  /** Opens {@code path}; problems reaching the file stay plain {@link IOException}s. */
  static Hdf5In open(Path path, String source, KerasReadLimits limits) throws IOException {
    long size = Files.size(path);
    if (!isHdf5(path)) {
      throw new ModelFormatException(source + ": not an HDF5 file (no HDF5 signature)");
    }
    HdfFile f;
    try {
      if (size <= Integer.MAX_VALUE - 8) {
        // jhdf reads a mapped buffer by slicing it, so a length declared inside the file can never
        // make it allocate more than the file holds (reading a file channel, it allocates first)
        java.nio.MappedByteBuffer mapped;
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
          mapped = ch.map(FileChannel.MapMode.READ_ONLY, 0, size);
        }
        f = HdfFile.fromByteBuffer(mapped);
      } else {
        f = new HdfFile(path);
      }
    } catch (RuntimeException | StackOverflowError e) {
      throw broken(source, "cannot open", e);
    }
    return new Hdf5In(f, source, size, limits);
  }

  /** True if the file starts with the HDF5 signature (at 0, or after a user block of 512 * 2^k). */
  static boolean isHdf5(Path path) throws IOException {
    long size = Files.size(path);
    try (var ch = Files.newByteChannel(path)) {
      for (long at = 0; at + 8 <= size && at <= (1L << 20); at = at == 0 ? 512 : at * 2) {
        ch.position(at);
        var buf = java.nio.ByteBuffer.allocate(8);
        while (buf.hasRemaining() && ch.read(buf) > 0) {
          // read fully
        }
        if (Arrays.equals(buf.array(), SIGNATURE)) {
          return true;
        }
      }
    }
    return false;
  }

  private static final byte[] SIGNATURE = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

  static ModelFormatException broken(String source, String what, Throwable e) {
    String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return new ModelFormatException(
        source + ": " + what + ": broken HDF5 structure (" + KerasJson.firstLine(detail) + ")", e);
  }

  private <T> T guard(String what, Supplier<T> action) throws ModelFormatException {
    try {
      return action.get();
    } catch (RuntimeException | StackOverflowError e) {
      throw broken(source, what, e);
    }
  }

  Group root() {
    return file;
  }

  long weightBytesRead() {
    return weightBytes;
  }

  /** The node at {@code path} under {@code parent}, or {@code null}; links are refused. */
  Node node(Group parent, String path) throws ModelFormatException {
    Group g = parent;
    String[] parts = path.split("/", -1);
    Node n = null;
    for (int i = 0; i < parts.length; i++) {
      String part = parts[i];
      if (part.isEmpty()) {
        throw new ModelFormatException(source + ": invalid HDF5 path '" + path + "'");
      }
      final Group at = g;
      n = guard("reading '" + path + "'", () -> at.getChildren().get(part));
      if (n == null) {
        return null;
      }
      final Node cur = n;
      if (guard("reading '" + path + "'", cur::isLink)) {
        throw new ModelFormatException(
            source + ": '" + path + "' is an HDF5 link; links are not followed");
      }
      if (i < parts.length - 1) {
        if (!guard("reading '" + path + "'", cur::isGroup)) {
          return null;
        }
        g = (Group) cur;
      }
    }
    return n;
  }

  /** The group at {@code path}, or {@code null} if there is none (or it is not a group). */
  Group group(Group parent, String path) throws ModelFormatException {
    Node n = node(parent, path);
    if (n == null) {
      return null;
    }
    final Node cur = n;
    return guard("reading '" + path + "'", cur::isGroup) ? (Group) n : null;
  }

  /** The names of the children of {@code g}, in the library's order. */
  List<String> childNames(Group g) throws ModelFormatException {
    List<String> names =
        guard("listing '" + g.getPath() + "'", () -> new ArrayList<>(g.getChildren().keySet()));
    if (names.size() > limits.maxLayers() * 16L) {
      throw new ModelFormatException(
          source + ": group '" + g.getPath() + "' has " + names.size() + " members, too many");
    }
    return names;
  }

  boolean hasAttribute(Node n, String name) throws ModelFormatException {
    return guard("reading attributes of '" + n.getPath() + "'",
        () -> n.getAttributes().containsKey(name));
  }

  private Object attributeData(Node n, String name) throws ModelFormatException {
    String what = "attribute '" + name + "' of '" + n.getPath() + "'";
    Attribute a = guard(what, () -> n.getAttributes().get(name));
    if (a == null) {
      return null;
    }
    long bytes = guard(what, a::getSizeInBytes);
    if (bytes < 0 || bytes > fileSize) {
      throw new ModelFormatException(
          source + ": " + what + " declares " + bytes + " bytes in a file of " + fileSize);
    }
    return guard(what, a::getData);
  }

  /** A scalar string attribute (or a one-element string array), or {@code null} if absent. */
  String stringAttribute(Node n, String name) throws ModelFormatException {
    Object data = attributeData(n, name);
    if (data == null) {
      return null;
    }
    if (data instanceof String s) {
      return s;
    }
    if (data instanceof String[] a && a.length == 1) {
      return a[0];
    }
    throw new ModelFormatException(
        source + ": attribute '" + name + "' of '" + n.getPath() + "' must be a string, found "
            + describe(data));
  }

  /**
   * A string-array attribute as Keras writes it: {@code name}, or when Keras had to split it, the
   * chunks {@code name0}, {@code name1}, ... in order. An absent attribute or an empty numeric array
   * (what h5py stores for an empty list) is an empty list.
   */
  List<String> stringsAttribute(Node n, String name) throws ModelFormatException {
    List<String> out = new ArrayList<>();
    if (hasAttribute(n, name)) {
      addStrings(out, n, name);
      return out;
    }
    for (int chunk = 0; hasAttribute(n, name + chunk); chunk++) {
      if (chunk >= MAX_ATTRIBUTE_CHUNKS) {
        throw new ModelFormatException(source + ": attribute '" + name + "' has too many chunks");
      }
      addStrings(out, n, name + chunk);
    }
    return out;
  }

  private void addStrings(List<String> out, Node n, String name) throws ModelFormatException {
    Object data = attributeData(n, name);
    if (data instanceof String s) {
      out.add(s);
    } else if (data instanceof String[] a) {
      out.addAll(Arrays.asList(a));
    } else if (data == null || data.getClass().isArray() && Array.getLength(data) == 0) {
      // an empty attribute (h5py stores an empty list as a zero-length float64 array)
      return;
    } else {
      throw new ModelFormatException(
          source + ": attribute '" + name + "' of '" + n.getPath() + "' must hold strings, found "
              + describe(data));
    }
    if (out.size() > limits.maxLayers() * 16L) {
      throw new ModelFormatException(source + ": attribute '" + name + "' lists too many names");
    }
  }

  private static String describe(Object data) {
    if (data == null) {
      return "nothing";
    }
    if (data.getClass().isArray()) {
      return data.getClass().getComponentType().getSimpleName() + "[" + Array.getLength(data) + "]";
    }
    return data.getClass().getSimpleName();
  }

  /**
   * Reads the dataset at {@code path} under {@code g} as a weight named {@code weightName}, within
   * the weight budget. {@code where} names the layer for messages.
   */
  KerasWeight weight(Group g, String path, String weightName, String where)
      throws ModelFormatException {
    Node n = node(g, path);
    String what = where + ": weight '" + weightName + "'";
    if (n == null) {
      throw new ModelFormatException(source + ": " + what + " is listed but has no dataset");
    }
    if (!(n instanceof Dataset ds)) {
      throw new ModelFormatException(source + ": " + what + " is not a dataset");
    }
    long[] dims = guard(what, ds::getDimensionsAsLong);
    long count = 1;
    int[] shape = new int[dims.length];
    if (dims.length > 32) {
      throw new ModelFormatException(source + ": " + what + " has rank " + dims.length);
    }
    for (int i = 0; i < dims.length; i++) {
      if (dims[i] < 0) {
        throw new ModelFormatException(
            source + ": " + what + " has invalid shape " + Arrays.toString(dims));
      }
      if (dims[i] > Integer.MAX_VALUE - 8) {
        throw new ModelFormatException(source + ": " + what + " declares shape "
            + Arrays.toString(dims) + ", more values than one array can hold");
      }
      shape[i] = (int) dims[i];
      count = Math.multiplyHigh(count, dims[i]) != 0 ? Long.MAX_VALUE : count * dims[i];
      if (count > Integer.MAX_VALUE - 8) {
        throw new ModelFormatException(
            source + ": " + what + " declares shape " + Arrays.toString(dims)
                + ", more values than one array can hold");
      }
    }
    DataType type = guard(what, ds::getDataType);
    String dtype = dtypeName(type);
    if (dtype == null) {
      throw new ModelFormatException(
          source + ": " + what + " has an unsupported element type ("
              + type.getClass().getSimpleName() + ", " + type.getSize() + " bytes)");
    }
    long asFloat = count * 4;
    if (weightBytes + asFloat > limits.maxWeightBytes()) {
      throw new ModelFormatException(
          source + ": " + what + " " + Arrays.toString(shape) + " brings the weights past the limit of "
              + limits.maxWeightBytes() + " bytes");
    }
    DataLayout layout = guard(what, ds::getDataLayout);
    long declared = count * type.getSize();
    if (layout != DataLayout.CHUNKED && declared > fileSize) {
      throw new ModelFormatException(
          source + ": " + what + " declares " + declared + " bytes in a file of " + fileSize);
    }
    weightBytes += asFloat;
    float[] values = new float[(int) count];
    if (count > 0) {
      Object data = guard(what, () -> dims.length == 0 ? ds.getData() : ds.getDataFlat());
      copyValues(data, values, what);
    }
    return new KerasWeight(weightName, shape, values, dtype);
  }

  private void copyValues(Object data, float[] out, String what) throws ModelFormatException {
    if (data instanceof Number num && out.length == 1) {
      out[0] = num.floatValue();
      return;
    }
    if (data == null || !data.getClass().isArray() || Array.getLength(data) != out.length) {
      throw new ModelFormatException(
          source + ": " + what + ": the library returned " + describe(data) + " for "
              + out.length + " values");
    }
    if (data instanceof float[] f) {
      System.arraycopy(f, 0, out, 0, out.length);
    } else if (data instanceof double[] d) {
      for (int i = 0; i < out.length; i++) {
        out[i] = (float) d[i];
      }
    } else if (data instanceof int[] a) {
      for (int i = 0; i < out.length; i++) {
        out[i] = a[i];
      }
    } else if (data instanceof long[] a) {
      for (int i = 0; i < out.length; i++) {
        out[i] = a[i];
      }
    } else if (data instanceof short[] a) {
      for (int i = 0; i < out.length; i++) {
        out[i] = a[i];
      }
    } else if (data instanceof byte[] a) {
      for (int i = 0; i < out.length; i++) {
        out[i] = a[i];
      }
    } else {
      throw new ModelFormatException(source + ": " + what + ": unsupported values " + describe(data));
    }
  }

  /** The numpy name of a numeric HDF5 type, or {@code null} if it is not one. */
  static String dtypeName(DataType t) {
    if (t instanceof FloatingPoint) {
      return switch (t.getSize()) {
        case 2 -> "float16";
        case 4 -> "float32";
        case 8 -> "float64";
        default -> null;
      };
    }
    if (t instanceof FixedPoint fp) {
      String base = fp.isSigned() ? "int" : "uint";
      return switch (t.getSize()) {
        case 1, 2, 4, 8 -> base + (t.getSize() * 8);
        default -> null;
      };
    }
    return null;
  }

  @Override
  public void close() {
    try {
      file.close();
    } catch (RuntimeException e) {
      // closing a broken file must not hide the error that brought us here
    }
  }
}

package io.github.maxnorm.interop.keras;

import io.github.maxnorm.io.AtomicFiles;
import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.Node;
import io.jhdf.api.WritableGroup;
import io.jhdf.api.WritableNode;
import java.io.IOException;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.util.LinkedHashMap;
import java.util.Map;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Writing HDF5 through jhdf the way Keras's files are laid out: nested groups, float32 datasets,
 * string attributes and string-array attributes.
 *
 * <p>Three things jhdf 0.13 writes differently from h5py, all read alike by h5py and by Keras's
 * loaders (which call {@code .decode} on what they find or accept both): strings are fixed-length
 * UTF-8 (h5py writes the scalar attributes {@code model_config}, {@code keras_version} and {@code
 * backend} as variable-length strings, and the name arrays as fixed-length ASCII); an empty list
 * cannot be written, so a layer without weights gets no {@code weight_names} attribute, which
 * Keras 2.2 and later and Keras 3 read as an empty list (Keras 2.0 and 2.1 require it); and one
 * attribute cannot exceed about 59 KB (jhdf writes a corrupt header past that; measured), so
 * attributes are limited to {@link #MAX_ATTRIBUTE_BYTES} and string arrays above it are split into
 * {@code name0}, {@code name1}, ... exactly as Keras splits those over its own 64,512-byte limit.
 *
 * <p>jhdf 0.13 also stamps its version into the file at the channel's current position when it
 * closes, which is the end of the last dataset written; an object written after that dataset (a
 * group without datasets, as a layer without weights has) is overwritten and the file is corrupt
 * (found by this project's tests; h5py fails on such files too). jhdf writes a group's members in
 * the iteration order of its member map, a hash map; this class replaces that map with an
 * insertion-ordered one ({@link #ordered}) so that writers can add groups without datasets before
 * those with, and then every file is read back ({@link #verify}) before it replaces the target.
 */
final class Hdf5Out {
  /** The most bytes this writer puts into one attribute. */
  static final int MAX_ATTRIBUTE_BYTES = 48_000;

  private Hdf5Out() {}

  /** Builds an HDF5 file's content. */
  @FunctionalInterface
  interface Content {
    void build(WritableHdfFile file) throws IOException;
  }

  private static final Field CHILDREN = field("io.jhdf.WritableGroupImpl", "children");
  private static final Field ROOT = field("io.jhdf.WritableHdfFile", "rootGroup");

  private static Field field(String cls, String name) {
    try {
      Field f = Class.forName(cls).getDeclaredField(name);
      f.setAccessible(true);
      return f;
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new ExceptionInInitializerError("jhdf changed: no field " + cls + "." + name
          + "; the HDF5 writer relies on it (see Hdf5Out)");
    }
  }

  /** Makes the members of {@code g} (still empty) be written in insertion order. */
  static <G extends WritableGroup> G ordered(G g) {
    try {
      @SuppressWarnings("unchecked")
      Map<String, Object> current = (Map<String, Object>) CHILDREN.get(g);
      if (!current.isEmpty()) {
        throw new IllegalStateException("group " + g.getName() + " already has members");
      }
      CHILDREN.set(g, new LinkedHashMap<String, Object>());
    } catch (IllegalAccessException e) {
      throw new IllegalStateException("cannot order the members of an HDF5 group", e);
    }
    return g;
  }

  /** A new member group of {@code parent} whose own members keep insertion order. */
  static WritableGroup newGroup(WritableGroup parent, String name) {
    return ordered(parent.putGroup(name));
  }

  /** Writes an HDF5 file to {@code target}, replacing it atomically. */
  static void write(Path target, Content content) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".h5tmp");
    try {
      writeTo(tmp, content);
      AtomicFiles.write(target, out -> Files.copy(tmp, out));
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Writes an HDF5 file to {@code path} directly (a temporary file of the caller's) and checks it. */
  static void writeTo(Path path, Content content) throws IOException {
    try (WritableHdfFile f = HdfFile.write(path)) {
      f.removeAttribute("_jHDF");
      try {
        ordered((WritableGroup) ROOT.get(f));
      } catch (IllegalAccessException e) {
        throw new IllegalStateException("cannot order the members of the HDF5 root group", e);
      }
      content.build(f);
    } catch (RuntimeException e) {
      throw new IOException(path + ": the HDF5 library failed to write: " + e.getMessage(), e);
    }
    verify(path);
  }

  /** Reads every group, attribute and dataset header of a written file back, or throws. */
  static void verify(Path path) throws IOException {
    try (HdfFile f = new HdfFile(path)) {
      walk(f, 0);
    } catch (RuntimeException | StackOverflowError e) {
      throw new IOException(path + ": the HDF5 library wrote a file it cannot read back: "
          + e.getMessage(), e);
    }
  }

  private static void walk(Node n, int depth) {
    if (depth > 64) {
      throw new IllegalStateException("groups nested deeper than 64");
    }
    for (var a : n.getAttributes().values()) {
      a.getData();
    }
    if (n instanceof io.jhdf.api.Group g) {
      for (Node c : g.getChildren().values()) {
        walk(c, depth + 1);
      }
    } else if (n instanceof io.jhdf.api.Dataset d) {
      d.getDimensions();
      d.getDataType();
    }
  }

  /** A scalar string attribute. */
  static void putString(WritableNode node, String name, String value) {
    int bytes = value.getBytes(StandardCharsets.UTF_8).length;
    if (bytes + 1 > MAX_ATTRIBUTE_BYTES) {
      throw new IllegalArgumentException(
          "attribute '" + name + "' would hold " + bytes + " bytes; this writer stores at most "
              + MAX_ATTRIBUTE_BYTES + " bytes in one HDF5 attribute (save as .keras instead)");
    }
    node.putAttribute(name, value);
  }

  /**
   * A string-array attribute, split like Keras's {@code save_attributes_to_hdf5_group} when it
   * would exceed {@link #MAX_ATTRIBUTE_BYTES}; nothing is written for an empty list.
   */
  static void putStrings(WritableNode node, String name, List<String> values) {
    if (values.isEmpty()) {
      return;
    }
    int item = 1;
    for (String v : values) {
      int bytes = v.getBytes(StandardCharsets.UTF_8).length + 1;
      if (bytes > MAX_ATTRIBUTE_BYTES) {
        throw new IllegalArgumentException(
            "attribute '" + name + "': the name '" + v.substring(0, Math.min(40, v.length()))
                + "...' alone exceeds " + MAX_ATTRIBUTE_BYTES + " bytes");
      }
      item = Math.max(item, bytes);
    }
    int n = values.size();
    int chunks = 1;
    while ((long) ((n + chunks - 1) / chunks) * item > MAX_ATTRIBUTE_BYTES) {
      chunks++;
    }
    if (chunks == 1) {
      node.putAttribute(name, values.toArray(new String[0]));
      return;
    }
    int from = 0;
    for (int c = 0; c < chunks; c++) {
      int len = n / chunks + (c < n % chunks ? 1 : 0);
      node.putAttribute(name + c, values.subList(from, from + len).toArray(new String[0]));
      from += len;
    }
  }

  /** The group at {@code path} below {@code g}, creating what is missing. */
  static WritableGroup group(WritableGroup g, String path) {
    WritableGroup at = g;
    for (String part : path.split("/")) {
      if (part.isEmpty()) {
        throw new IllegalArgumentException("invalid HDF5 path '" + path + "'");
      }
      Node child = at.getChild(part);
      if (child == null) {
        at = newGroup(at, part);
      } else if (child instanceof WritableGroup wg) {
        at = wg;
      } else {
        throw new IllegalArgumentException("'" + path + "': '" + part + "' is already a dataset");
      }
    }
    return at;
  }

  /** A float32 dataset at {@code path} below {@code g} holding {@code w}'s values and shape. */
  static void putWeight(WritableGroup g, String path, KerasWeight w) {
    int slash = path.lastIndexOf('/');
    WritableGroup parent = slash < 0 ? g : group(g, path.substring(0, slash));
    String leaf = path.substring(slash + 1);
    if (parent.getChild(leaf) != null) {
      throw new IllegalArgumentException("'" + path + "' is written twice");
    }
    parent.putDataset(leaf, nested(w));
  }

  /** The weight's values as the nested Java array (or boxed scalar) jhdf writes. */
  static Object nested(KerasWeight w) {
    int[] shape = w.shape();
    float[] values = w.values();
    if (shape.length == 0) {
      return values[0];
    }
    for (int d : shape) {
      if (d == 0) {
        throw new IllegalArgumentException(
            "weight '" + w.name() + "' " + Arrays.toString(shape)
                + " is empty; the HDF5 writer (jhdf 0.13) cannot store empty arrays");
      }
    }
    Object array = Array.newInstance(float.class, shape);
    fill(array, shape, 0, values, new int[] {0});
    return array;
  }

  private static void fill(Object array, int[] shape, int dim, float[] values, int[] at) {
    if (dim == shape.length - 1) {
      float[] row = (float[]) array;
      System.arraycopy(values, at[0], row, 0, row.length);
      at[0] += row.length;
      return;
    }
    for (int i = 0; i < shape[dim]; i++) {
      fill(Array.get(array, i), shape, dim + 1, values, at);
    }
  }
}

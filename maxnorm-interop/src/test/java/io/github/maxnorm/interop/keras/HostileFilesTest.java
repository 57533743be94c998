package io.github.maxnorm.interop.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.maxnorm.interop.KerasFiles;
import io.github.maxnorm.io.ModelFormatException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files built to exhaust memory or escape their folder fail fast with one clear line. */
class HostileFilesTest {
  static final KerasReadLimits LIMITS = new KerasReadLimits(1 << 20, 1 << 20, 1000, 64);

  @TempDir Path dir;

  String refusal(Path p) {
    return assertThrows(ModelFormatException.class, () -> KerasFiles.read(p, LIMITS)).getMessage();
  }

  Path tfjs(String weights, byte[] shard) throws IOException {
    Path d = Files.createDirectories(dir.resolve("tfjs" + System.nanoTime()));
    Files.writeString(d.resolve("model.json"), "{\"format\": \"layers-model\", \"modelTopology\":"
        + " {\"class_name\": \"Sequential\", \"config\": {\"name\": \"s\", \"layers\": []}},"
        + " \"weightsManifest\": [{\"paths\": [\"w.bin\"], \"weights\": [" + weights + "]}]}");
    Files.write(d.resolve("w.bin"), shard);
    return d;
  }

  @Test
  void tfjsHugeDeclaredShapeIsRefusedBeforeReading() throws IOException {
    Path d = tfjs("{\"name\": \"d/kernel\", \"shape\": [100000, 100000], \"dtype\": \"float32\"}",
        new byte[16]);
    assertEquals(d.resolve("model.json") + ": weight 'd/kernel' declares shape [100000,100000],"
        + " too many values", refusal(d));
    Path d2 = tfjs("{\"name\": \"d/kernel\", \"shape\": [1000, 1000], \"dtype\": \"float32\"}",
        new byte[16]);
    assertEquals(d2.resolve("model.json") + ": the manifest declares more than the limit of"
        + " 1048576 bytes of weights", refusal(d2));
  }

  @Test
  void tfjsShardsMustHoldExactlyTheDeclaredBytesAndStayInTheFolder() throws IOException {
    Path d = tfjs("{\"name\": \"d/kernel\", \"shape\": [2, 2], \"dtype\": \"float32\"}", new byte[12]);
    assertEquals(d.resolve("model.json") + ": the shards [\"w.bin\"] hold 12 bytes but the manifest"
        + " declares 16", refusal(d));
    Path e = tfjs("{\"name\": \"d/kernel\", \"shape\": [1], \"dtype\": \"float32\"}", new byte[4]);
    Files.writeString(e.resolve("model.json"), Files.readString(e.resolve("model.json"))
        .replace("\"w.bin\"", "\"../w.bin\""));
    assertEquals(e.resolve("model.json") + ": unsafe or invalid shard path \"../w.bin\"", refusal(e));
  }

  @Test
  void kerasZipBombIsCutAtTheLimit() throws IOException {
    Path p = dir.resolve("bomb.keras");
    try (OutputStream out = Files.newOutputStream(p); ZipOutputStream zip = new ZipOutputStream(out)) {
      zip.putNextEntry(new ZipEntry("config.json"));
      zip.write("{\"class_name\": \"Sequential\", \"config\": {\"name\": \"s\", \"layers\": []}}"
          .getBytes(StandardCharsets.UTF_8));
      zip.putNextEntry(new ZipEntry("model.weights.h5"));
      byte[] zeros = new byte[1 << 20];
      for (int i = 0; i < 8; i++) {
        zip.write(zeros); // 8 MiB of zeros deflate to a few KB
      }
      zip.closeEntry();
    }
    assertTrue(Files.size(p) < 100_000);
    String m = refusal(p);
    assertEquals(p + "!/model.weights.h5: entry declares 8388608 bytes, over the limit of 3145728",
        m);
  }

  @Test
  void hdf5DatasetDeclaringAHugeShapeIsRefusedBeforeAllocating() throws IOException {
    // written by Keras (h5py's version 1 object headers carry no checksum to update)
    byte[] b = Files.readAllBytes(Resources.keras("weights/dense_tensorflow_2.h5"));
    Path p = dir.resolve("w.h5");
    // the dataspace message stores the kernel's dimensions as two little-endian 8-byte values: 4, 6
    ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    // (followed by the maximum dimensions, the same two values)
    int at = -1;
    for (int i = 0; i + 16 <= b.length && at < 0; i++) {
      if (bb.getLong(i) == 4 && bb.getLong(i + 8) == 6) {
        at = i;
      }
    }
    assertTrue(at > 0, "dims not found");
    bb.putLong(at + 8, 1L << 40);
    bb.putLong(at + 24, 1L << 40);
    Files.write(p, b);
    String msg = refusal(p);
    assertEquals(p + ": layer 'dense_1': weight 'dense_1/kernel:0' declares shape"
        + " [4, 1099511627776], more values than one array can hold", msg);
    bb.putLong(at + 8, 100_000);
    bb.putLong(at + 24, 100_000);
    Files.write(p, b);
    msg = refusal(p);
    assertTrue(msg.contains("brings the weights past the limit of 1048576 bytes"), msg);
  }

  @Test
  void notAKerasFile() throws IOException {
    Path p = dir.resolve("x.bin");
    Files.write(p, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
    assertEquals(p + ": not a Keras model file (neither a zip, HDF5 nor JSON)", refusal(p));
    Path h = dir.resolve("plain.h5");
    KerasModelFile m = new KerasModelFile(KerasFormat.H5_WEIGHTS, null, null, null, null,
        List.of(new LayerWeights("d", List.of(KerasWeight.of("k", new int[] {1}, new float[1])))));
    KerasFiles.write(m, h, KerasFormat.H5_WEIGHTS);
    // an HDF5 file that is a weights file, read as a full model, names what is missing
    assertTrue(KerasFiles.read(h).modelConfig() == null);
  }
}

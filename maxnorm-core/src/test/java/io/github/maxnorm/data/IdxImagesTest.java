package io.github.maxnorm.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Datasets#idxImages}: an IDX image file without labels. */
class IdxImagesTest {
  @TempDir Path tmp;

  @Test
  void readsImagesWithZeroLabels() throws IOException {
    SplittableRandom rng = new SplittableRandom(4);
    byte[] pixels = new byte[5 * 3 * 2];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (byte) rng.nextInt(256);
    }
    ByteBuffer b = ByteBuffer.allocate(16 + pixels.length);
    b.putInt(0x00000803).putInt(5).putInt(3).putInt(2).put(pixels);
    Path f = Files.write(tmp.resolve("x-idx3-ubyte"), b.array());
    Dataset d = Datasets.idxImages(f);
    assertEquals(5, d.size());
    assertEquals(1, d.numClasses());
    assertArrayEquals(new int[] {3, 2, 1}, d.sampleShape().dims());
    assertArrayEquals(new int[5], d.labels());
    float[] x = d.all().x().toArray();
    for (int i = 0; i < pixels.length; i++) {
      assertEquals((pixels[i] & 0xFF) / 255f, x[i]);
    }
  }

  @Test
  void rejectsALabelFile() throws IOException {
    ByteBuffer b = ByteBuffer.allocate(10);
    b.putInt(0x00000801).putInt(2).put((byte) 1).put((byte) 0);
    Path f = Files.write(tmp.resolve("y-idx1-ubyte"), b.array());
    assertThrows(InvalidDataException.class, () -> Datasets.idxImages(f));
  }
}

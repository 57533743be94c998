package io.github.maxnorm.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.maxnorm.tensor.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CifarReaderTest {

  @TempDir Path dir;

  @Test
  void convertsChannelPlanesToChannelsLast() throws IOException {
    SplittableRandom rng = new SplittableRandom(4);
    byte[] file = DataFiles.cifar(new int[] {7, 0, 9}, rng);
    Dataset d = Cifar.parse(file, "b.bin");
    assertEquals(3, d.size());
    assertEquals(Shape.of(32, 32, 3), d.sampleShape());
    assertArrayEquals(new int[] {7, 0, 9}, d.labels());
    float[] x = d.all().x().toArray();
    for (int s = 0; s < 3; s++) {
      for (int row = 0; row < 32; row++) {
        for (int col = 0; col < 32; col++) {
          for (int ch = 0; ch < 3; ch++) {
            int src = s * 3073 + 1 + ch * 1024 + row * 32 + col;
            int dst = ((s * 32 + row) * 32 + col) * 3 + ch;
            assertEquals((file[src] & 0xFF) / 255f, x[dst], 0f);
          }
        }
      }
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 3072, 3074, 3073 * 2 - 1, 3073 * 2 + 100})
  void lengthMustBeAPositiveMultipleOfTheRecord(int length) {
    InvalidDataException e = assertThrows(InvalidDataException.class,
        () -> Cifar.parse(new byte[length], "b.bin"));
    assertTrue(e.getMessage().startsWith("b.bin: holds " + length + " bytes, not a positive"
        + " multiple of 3073"), e.getMessage());
  }

  @Test
  void labelsAboveNineAreRejected() {
    byte[] file = DataFiles.cifar(new int[] {1, 2, 10}, new SplittableRandom(1));
    InvalidDataException e = assertThrows(InvalidDataException.class,
        () -> Cifar.parse(file, "b.bin"));
    assertTrue(e.getMessage().contains("record 2 (byte offset 6146) has label 10"),
        e.getMessage());
  }

  private void writeBatches(Path where) throws IOException {
    Files.createDirectories(where);
    SplittableRandom rng = new SplittableRandom(2);
    for (int i = 1; i <= 5; i++) {
      Files.write(where.resolve("data_batch_" + i + ".bin"),
          DataFiles.cifar(new int[] {i, i + 1}, rng));
    }
    Files.write(where.resolve("test_batch.bin"), DataFiles.cifar(new int[] {3}, rng));
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void readsDirectoryOrItsBatchesSubfolder(boolean subfolder) throws IOException {
    writeBatches(subfolder ? dir.resolve("cifar-10-batches-bin") : dir);
    TrainTest tt = Datasets.cifar10(dir);
    assertArrayEquals(new int[] {1, 2, 2, 3, 3, 4, 4, 5, 5, 6}, tt.train().labels());
    assertArrayEquals(new int[] {3}, tt.test().labels());
    assertEquals(10, tt.train().numClasses());
  }

  @Test
  void missingBatchNamesTheFile() throws IOException {
    writeBatches(dir);
    Files.delete(dir.resolve("data_batch_4.bin"));
    InvalidDataException e = assertThrows(InvalidDataException.class, () -> Datasets.cifar10(dir));
    assertTrue(e.getMessage().contains(dir.resolve("data_batch_4.bin") + ": file not found"),
        e.getMessage());
    Files.write(dir.resolve("data_batch_4.bin"), Arrays.copyOf(
        DataFiles.cifar(new int[] {1}, new SplittableRandom(1)), 3000));
    e = assertThrows(InvalidDataException.class, () -> Datasets.cifar10(dir));
    assertTrue(e.getMessage().contains("data_batch_4.bin: holds 3000 bytes"), e.getMessage());
  }
}

package io.github.maxnorm.data;

import static io.github.maxnorm.data.DataFiles.gzip;
import static io.github.maxnorm.data.DataFiles.idx;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.maxnorm.tensor.Shape;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdxReaderTest {

  @TempDir Path dir;

  static Idx.Data parse(byte[] bytes, Idx.Kind kind) throws IOException {
    return Idx.read(new ByteArrayInputStream(bytes), "test.idx", bytes.length, kind);
  }

  static InvalidDataException invalid(byte[] bytes, Idx.Kind kind) {
    return assertThrows(InvalidDataException.class, () -> parse(bytes, kind));
  }

  /** Both the raw and the gzip form fail, each with a message containing {@code text}. */
  static void bothInvalid(byte[] raw, Idx.Kind kind, String text) throws IOException {
    InvalidDataException e = invalid(raw, kind);
    assertTrue(e.getMessage().startsWith("test.idx: "), e.getMessage());
    assertTrue(e.getMessage().contains(text), e.getMessage());
    // Unknown length (as for class-path resources) and gzip.
    e = assertThrows(InvalidDataException.class,
        () -> Idx.read(new ByteArrayInputStream(raw), "test.idx", -1, kind));
    assertTrue(e.getMessage().contains(text), e.getMessage());
    e = invalid(gzip(raw), kind);
    assertTrue(e.getMessage().contains(text), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void readsRawAndGzipImages(boolean compress) throws IOException {
    byte[] px = DataFiles.randomBytes(new SplittableRandom(1), 5 * 4 * 3, 256);
    byte[] file = idx(new int[] {5, 4, 3}, px);
    Idx.Data d = parse(compress ? gzip(file) : file, Idx.Kind.IMAGES);
    assertArrayEquals(new int[] {5, 4, 3}, d.dims);
    assertArrayEquals(new int[] {4, 3, 1}, d.sampleShape());
    assertArrayEquals(px, d.bytes);
  }

  @Test
  void readsRank4ImagesAsChannelsLast() throws IOException {
    byte[] px = new byte[2 * 2 * 2 * 3];
    Idx.Data d = parse(idx(new int[] {2, 2, 2, 3}, px), Idx.Kind.IMAGES);
    assertArrayEquals(new int[] {2, 2, 3}, d.sampleShape());
  }

  @Test
  void truncatedPayloadNamesClaimAndBytesPresent() throws IOException {
    byte[] full = idx(new int[] {10, 28, 28}, new byte[10 * 784]);
    byte[] cut = Arrays.copyOf(full, full.length - 1000);
    bothInvalid(cut, Idx.Kind.IMAGES,
        "header says 10 images of 28x28 but the file holds 6840 bytes of pixel data");
    bothInvalid(Arrays.copyOf(full, 9), Idx.Kind.IMAGES, "header is truncated");
    bothInvalid(new byte[] {0, 0}, Idx.Kind.IMAGES, "holds only 2 bytes");
    bothInvalid(new byte[0], Idx.Kind.LABELS, "holds only 0 bytes");
  }

  @Test
  void trailingBytesAreRejected() throws IOException {
    byte[] file = idx(new int[] {3}, new byte[] {1, 2, 3});
    byte[] longer = Arrays.copyOf(file, file.length + 5);
    InvalidDataException e = invalid(longer, Idx.Kind.LABELS);
    assertTrue(e.getMessage().contains("header says 3 labels but the file holds 8 bytes"),
        e.getMessage());
    e = invalid(gzip(longer), Idx.Kind.LABELS);
    assertTrue(e.getMessage().contains("5 trailing bytes"), e.getMessage());
  }

  @Test
  void wrongMagicTypeAndRankAreRejected() throws IOException {
    byte[] file = idx(new int[] {2}, new byte[] {0, 1});
    byte[] m = file.clone();
    m[0] = 0x42;
    bothInvalid(m, Idx.Kind.LABELS, "is not an IDX magic number");
    m = file.clone();
    m[2] = 0x0D;
    bothInvalid(m, Idx.Kind.LABELS, "data type 0x0D (float)");
    bothInvalid(file, Idx.Kind.IMAGES, "has rank 1, but an image file has rank 3");
    bothInvalid(idx(new int[] {1, 1, 1}, new byte[1]), Idx.Kind.LABELS,
        "has rank 3, but a label file has rank 1");
  }

  @Test
  void zeroAndNegativeDimensionsAreRejected() throws IOException {
    bothInvalid(idx(new int[] {0, 28, 28}, new byte[0]), Idx.Kind.IMAGES,
        "dimension 0 is 0");
    bothInvalid(idx(new int[] {-1}, new byte[0]), Idx.Kind.LABELS,
        "dimension 0 is 4294967295");
  }

  @Test
  void hugeClaimedCountsFailFastWithoutAllocating() {
    assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
      // 2^31-1 images of 28x28 in a file of a few bytes: over the per-file limit.
      bothInvalid(idx(new int[] {Integer.MAX_VALUE, 28, 28}, new byte[10]), Idx.Kind.IMAGES,
          "header says 2147483647 images of 28x28, more than the limit");
      bothInvalid(idx(new int[] {Integer.MAX_VALUE}, new byte[10]), Idx.Kind.LABELS,
          "2147483647 labels");
      // Within the limit (1 GiB claimed) but only 10 bytes present: no 1 GiB buffer.
      long before = usedHeap();
      bothInvalid(idx(new int[] {1 << 30}, new byte[10]), Idx.Kind.LABELS,
          "header says 1073741824 labels but the file holds 10 bytes");
      assertTrue(usedHeap() - before < 256L << 20, "heap grew by " + (usedHeap() - before));
    });
  }

  private static long usedHeap() {
    Runtime r = Runtime.getRuntime();
    return r.totalMemory() - r.freeMemory();
  }

  @Test
  void gzipGarbageIsInvalidData() {
    SplittableRandom rng = new SplittableRandom(3);
    byte[] gz = gzip(idx(new int[] {100}, DataFiles.randomBytes(rng, 100, 10)));
    byte[] cut = Arrays.copyOf(gz, gz.length / 2);
    InvalidDataException e = invalid(cut, Idx.Kind.LABELS);
    assertTrue(e.getMessage().contains("gzip"), e.getMessage());
    byte[] garbage = DataFiles.randomBytes(rng, 500, 256);
    garbage[0] = 0x1f;
    garbage[1] = (byte) 0x8b;
    e = invalid(garbage, Idx.Kind.LABELS);
    assertTrue(e.getMessage().contains("gzip"), e.getMessage());
    byte[] body = gz.clone();
    for (int i = 12; i < body.length - 8; i++) {
      body[i] ^= 0x5A;
    }
    e = invalid(body, Idx.Kind.LABELS);
    assertTrue(e.getMessage().startsWith("test.idx: "), e.getMessage());
  }

  // ------------------------------------------------------------------------- directories

  private void write(String name, byte[] content) throws IOException {
    Files.write(dir.resolve(name), content);
  }

  private void writeSet(String trainPrefix, String testPrefix, boolean compress, int classes)
      throws IOException {
    SplittableRandom rng = new SplittableRandom(9);
    String gz = compress ? ".gz" : "";
    byte[] trainImages = idx(new int[] {6, 2, 2}, DataFiles.randomBytes(rng, 24, 256));
    byte[] trainLabels = idx(new int[] {6}, DataFiles.randomBytes(rng, 6, classes));
    byte[] testImages = idx(new int[] {3, 2, 2}, DataFiles.randomBytes(rng, 12, 256));
    byte[] testLabels = idx(new int[] {3}, DataFiles.randomBytes(rng, 3, classes));
    write(trainPrefix + "-images-idx3-ubyte" + gz, compress ? gzip(trainImages) : trainImages);
    write(trainPrefix + "-labels-idx1-ubyte" + gz, compress ? gzip(trainLabels) : trainLabels);
    write(testPrefix + "-images-idx3-ubyte" + gz, compress ? gzip(testImages) : testImages);
    write(testPrefix + "-labels-idx1-ubyte" + gz, compress ? gzip(testLabels) : testLabels);
  }

  @Test
  void readsDebianFashionMnistNames() throws IOException {
    writeSet("train", "t10k", true, 10);
    TrainTest tt = Datasets.fashionMnist(dir);
    assertEquals(6, tt.train().size());
    assertEquals(3, tt.test().size());
    assertEquals(Shape.of(2, 2, 1), tt.train().sampleShape());
    assertEquals(10, tt.train().numClasses());
  }

  @Test
  void readsUncompressedTestPrefixedNamesAndInfersClasses() throws IOException {
    writeSet("train", "test", false, 3);
    TrainTest tt = Datasets.idxDirectory(dir);
    assertEquals(6, tt.train().size());
    int max = Math.max(Arrays.stream(tt.train().labels()).max().getAsInt(),
        Arrays.stream(tt.test().labels()).max().getAsInt());
    assertEquals(max + 1, tt.train().numClasses());
    assertEquals(tt.train().numClasses(), tt.test().numClasses());
  }

  @Test
  void mnistRejectsLabelsAboveNineAndCountMismatch() throws IOException {
    writeSet("train", "t10k", false, 10);
    write("train-labels-idx1-ubyte", idx(new int[] {6}, new byte[] {0, 1, 2, 12, 4, 5}));
    InvalidDataException e = assertThrows(InvalidDataException.class, () -> Datasets.mnist(dir));
    assertTrue(e.getMessage().contains("train-labels-idx1-ubyte: label 12 at index 3 is outside 0-9"),
        e.getMessage());
    write("train-labels-idx1-ubyte", idx(new int[] {5}, new byte[5]));
    e = assertThrows(InvalidDataException.class, () -> Datasets.mnist(dir));
    assertTrue(e.getMessage().contains("holds 6 images but"), e.getMessage());
    assertTrue(e.getMessage().contains("holds 5 labels"), e.getMessage());
  }

  @Test
  void missingFilesAndDirectoriesNameThePathExpected() throws IOException {
    InvalidDataException e = assertThrows(InvalidDataException.class,
        () -> Datasets.mnist(dir.resolve("nope")));
    assertTrue(e.getMessage().contains("nope"), e.getMessage());
    writeSet("train", "t10k", true, 10);
    Files.delete(dir.resolve("t10k-labels-idx1-ubyte.gz"));
    e = assertThrows(InvalidDataException.class, () -> Datasets.mnist(dir));
    assertTrue(e.getMessage().contains("no test labels file; looked for t10k-labels-idx1-ubyte.gz"),
        e.getMessage());
    assertTrue(e.getCause() instanceof NoSuchFileException);
    e = assertThrows(InvalidDataException.class,
        () -> Datasets.idx(dir.resolve("a"), dir.resolve("b")));
    assertTrue(e.getMessage().contains(dir.resolve("a") + ": file not found"), e.getMessage());
  }

  @Test
  void idxPairInfersClasses() throws IOException {
    write("im", gzip(idx(new int[] {2, 1, 1}, new byte[] {5, 6})));
    write("lb", idx(new int[] {2}, new byte[] {0, 4}));
    Dataset d = Datasets.idx(dir.resolve("im"), dir.resolve("lb"));
    assertEquals(5, d.numClasses());
    assertArrayEquals(new float[] {5 / 255f, 6 / 255f}, d.all().x().toArray());
  }
}

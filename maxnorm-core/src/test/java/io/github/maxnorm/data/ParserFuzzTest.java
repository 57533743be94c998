package io.github.maxnorm.data;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Seeded mutation fuzzing of every parser: each mutated input must either parse or fail with an
 * {@link InvalidDataException}; any other exception or error (including running out of memory or
 * time) fails the test. The number of inputs per parser is the system property {@code
 * maxnorm.fuzz.iterations} (default 300).
 */
class ParserFuzzTest {

  static final int ITERATIONS = Integer.getInteger("maxnorm.fuzz.iterations", 300);
  static final int[] EXTREMES = {
    0, 1, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, 1 << 30, 1 << 24, 65536, 255, 28, 3073
  };

  interface Parser {
    void parse(byte[] input) throws Exception;
  }

  static byte[] mutate(byte[] base, SplittableRandom rng, int headerBytes) {
    byte[] b = base.clone();
    int rounds = 1 + rng.nextInt(3);
    for (int r = 0; r < rounds; r++) {
      switch (rng.nextInt(6)) {
        case 0 -> { // bit flips
          int flips = 1 + rng.nextInt(8);
          for (int i = 0; i < flips && b.length > 0; i++) {
            int pos = rng.nextInt(b.length);
            b[pos] ^= (byte) (1 << rng.nextInt(8));
          }
        }
        case 1 -> b = Arrays.copyOf(b, b.length == 0 ? 0 : rng.nextInt(b.length)); // truncate
        case 2 -> { // insert bytes
          int pos = rng.nextInt(b.length + 1);
          int n = 1 + rng.nextInt(16);
          byte[] c = new byte[b.length + n];
          System.arraycopy(b, 0, c, 0, pos);
          for (int i = 0; i < n; i++) {
            c[pos + i] = (byte) rng.nextInt(256);
          }
          System.arraycopy(b, pos, c, pos + n, b.length - pos);
          b = c;
        }
        case 3 -> { // overwrite a header field with an extreme int
          if (b.length >= 4) {
            int field = rng.nextInt(Math.max(1, Math.min(headerBytes, b.length) / 4));
            int v = rng.nextInt(4) == 0 ? rng.nextInt() : EXTREMES[rng.nextInt(EXTREMES.length)];
            int off = Math.min(field * 4, b.length - 4);
            b[off] = (byte) (v >>> 24);
            b[off + 1] = (byte) (v >>> 16);
            b[off + 2] = (byte) (v >>> 8);
            b[off + 3] = (byte) v;
          }
        }
        case 4 -> { // delete a range
          if (b.length > 1) {
            int from = rng.nextInt(b.length);
            int to = Math.min(b.length, from + 1 + rng.nextInt(32));
            byte[] c = new byte[b.length - (to - from)];
            System.arraycopy(b, 0, c, 0, from);
            System.arraycopy(b, to, c, from, b.length - to);
            b = c;
          }
        }
        default -> { // random byte values
          for (int i = 0; i < 1 + rng.nextInt(4) && b.length > 0; i++) {
            b[rng.nextInt(b.length)] = (byte) rng.nextInt(256);
          }
        }
      }
    }
    return b;
  }

  static void fuzz(String name, byte[] base, int headerBytes, long seed, Parser parser) {
    assertTimeoutPreemptively(Duration.ofSeconds(Math.max(20, ITERATIONS / 20)), () -> {
      SplittableRandom rng = new SplittableRandom(seed);
      int rejected = 0;
      parser.parse(base); // the unmutated input parses
      for (int i = 0; i < ITERATIONS; i++) {
        byte[] input = mutate(base, rng, headerBytes);
        try {
          parser.parse(input);
        } catch (InvalidDataException e) {
          rejected++;
        } catch (Throwable t) {
          fail(name + " input " + i + " (seed " + seed + ", " + input.length + " bytes) threw "
              + t, t);
        }
      }
      System.out.println(
          "fuzz " + name + ": " + ITERATIONS + " inputs, " + rejected + " rejected");
    });
  }

  static byte[] idxImages() {
    return DataFiles.idx(new int[] {20, 8, 8},
        DataFiles.randomBytes(new SplittableRandom(11), 20 * 64, 256));
  }

  @Test
  void idxRawImages() {
    fuzz("idx raw images", idxImages(), 16, 1, in -> Idx.read(
        new ByteArrayInputStream(in), "f", in.length, Idx.Kind.IMAGES));
  }

  @Test
  void idxRawLabelsUnknownLength() {
    byte[] base = DataFiles.idx(new int[] {50},
        DataFiles.randomBytes(new SplittableRandom(12), 50, 10));
    fuzz("idx raw labels", base, 8, 2, in -> Idx.read(
        new ByteArrayInputStream(in), "f", -1, Idx.Kind.LABELS));
  }

  @Test
  void idxGzipImages() {
    fuzz("idx gzip images", DataFiles.gzip(idxImages()), 24, 3, in -> Idx.read(
        new ByteArrayInputStream(in), "f", in.length, Idx.Kind.IMAGES));
  }

  @Test
  void idxHeaderInsideGzip() {
    // Mutate the raw file, then compress: exercises header checks behind gzip.
    byte[] raw = idxImages();
    assertTimeoutPreemptively(Duration.ofSeconds(Math.max(20, ITERATIONS / 20)), () -> {
      SplittableRandom rng = new SplittableRandom(4);
      for (int i = 0; i < ITERATIONS; i++) {
        byte[] gz = DataFiles.gzip(mutate(raw, rng, 16));
        try {
          Idx.read(new ByteArrayInputStream(gz), "f", gz.length, Idx.Kind.IMAGES);
        } catch (InvalidDataException e) {
          // expected for most inputs
        } catch (Throwable t) {
          fail("gzip-wrapped input " + i + " threw " + t, t);
        }
      }
    });
  }

  @Test
  void cifar() {
    byte[] base = DataFiles.cifar(new int[] {3, 9, 0}, new SplittableRandom(13));
    fuzz("cifar", base, 4, 5, in -> Cifar.parse(in, "f"));
  }

  @Test
  void csv() {
    StringBuilder b = new StringBuilder("label,a,b,c\n");
    SplittableRandom r = new SplittableRandom(14);
    for (int i = 0; i < 30; i++) {
      b.append(r.nextInt(10)).append(',').append(r.nextDouble()).append(',')
          .append(-r.nextInt(100)).append(',').append(r.nextDouble() * 1e3).append('\n');
    }
    byte[] base = b.toString().getBytes(StandardCharsets.UTF_8);
    fuzz("csv", base, 12, 6, in -> {
      Csv.Table t = Csv.read(new ByteArrayInputStream(in), "f", CsvFormat.defaults());
      t.toDataset(t.maxLabel + 1);
    });
    fuzz("csv named label", base, 12, 7, in -> Csv.read(
        new ByteArrayInputStream(in), "f", CsvFormat.defaults().withLabelColumn("label")
            .withNumClasses(10)));
  }
}

package io.github.maxnorm.io;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded mutation fuzzing of both readers: every mutated input must either load or be rejected with
 * a {@link ModelFormatException}; any other exception (or error) fails the test. The number of
 * iterations per target comes from the system property {@code maxnorm.fuzz.iterations}. Public,
 * with {@link #mutate}, for the fuzz tests of other modules (maxnorm-interop).
 */
public class FormatFuzzTest {
  static final int ITERATIONS = Integer.getInteger("maxnorm.fuzz.iterations", 300);
  static final long SEED = 0x6d61786e6f726dL;

  @TempDir Path dir;

  /** One seeded mutation of {@code base}: flips, overwrites, truncation, insertion, extreme integers. */
  public static byte[] mutate(byte[] base, SplittableRandom rng) {
    byte[] b = base;
    int rounds = 1 + rng.nextInt(4);
    for (int r = 0; r < rounds; r++) {
      int len = b.length;
      int pos = len == 0 ? 0 : rng.nextInt(len);
      switch (rng.nextInt(8)) {
        case 0 -> {
          if (len > 0) {
            b = b.clone();
            b[pos] ^= (byte) (1 << rng.nextInt(8));
          }
        }
        case 1 -> {
          if (len > 0) {
            b = b.clone();
            b[pos] = (byte) rng.nextInt(256);
          }
        }
        case 2 -> b = Arrays.copyOf(b, pos);
        case 3 -> {
          byte[] ins = new byte[1 + rng.nextInt(16)];
          rng.nextBytes(ins);
          b = splice(b, pos, 0, ins);
        }
        case 4 -> b = splice(b, pos, Math.min(len - pos, 1 + rng.nextInt(32)), new byte[0]);
        case 5 -> {
          if (len >= 8) {
            long[] interesting = {0, -1, 1, 7, 8, Integer.MAX_VALUE, 0xffffffffL, 100_000_000,
                100_000_001, rng.nextLong()};
            b = b.clone();
            int at = rng.nextInt(len - 7);
            int width = rng.nextBoolean() ? 4 : 8;
            ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
            long v = interesting[rng.nextInt(interesting.length)];
            if (width == 4) {
              bb.putInt(at, (int) v);
            } else {
              bb.putLong(at, v);
            }
          }
        }
        case 6 -> {
          if (len > 0) {
            int from = rng.nextInt(len);
            int n = Math.min(len - from, 1 + rng.nextInt(64));
            b = splice(b, pos, 0, Arrays.copyOfRange(b, from, from + n));
          }
        }
        default -> {
          if (len > 0) {
            byte[] json = "\"{}[],:0-9e.\\ ".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            b = b.clone();
            b[pos] = json[rng.nextInt(json.length)];
          }
        }
      }
    }
    return b;
  }

  static byte[] splice(byte[] b, int at, int remove, byte[] insert) {
    byte[] out = new byte[b.length - remove + insert.length];
    System.arraycopy(b, 0, out, 0, at);
    System.arraycopy(insert, 0, out, at, insert.length);
    System.arraycopy(b, at + remove, out, at + insert.length, b.length - at - remove);
    return out;
  }

  /** Reads one input; a rejection must be a {@link ModelFormatException}. */
  public interface Reader {
    void read(byte[] bytes) throws IOException;
  }

  /**
   * Feeds {@link #ITERATIONS} seeded mutations of {@code base} to {@code reader}: each must load
   * or be rejected with a {@link ModelFormatException} carrying a message.
   */
  public static void fuzz(String what, byte[] base, Reader reader) {
    SplittableRandom root = new SplittableRandom(SEED ^ what.hashCode());
    int loaded = 0;
    for (int i = 0; i < ITERATIONS; i++) {
      SplittableRandom rng = root.split();
      byte[] input = mutate(base, rng);
      try {
        reader.read(input);
        loaded++;
      } catch (ModelFormatException expected) {
        if (expected.getMessage() == null || expected.getMessage().isBlank()) {
          fail(what + " iteration " + i + ": rejection without a message");
        }
      } catch (Throwable t) {
        throw new AssertionError(
            what + " iteration " + i + " (seed " + SEED + "): expected ModelFormatException, got "
                + t, t);
      }
    }
    // Mutations that keep a file valid happen (e.g. flips inside float data), but never always.
    if (loaded == ITERATIONS && ITERATIONS > 20) {
      fail(what + ": no mutated input was rejected; the mutator is broken");
    }
  }

  static byte[] safetensorsBase() {
    return SafeTensors.toBytes(SafeTensorsTest.specials(), Map.of("k", "v", "epoch", "3"));
  }

  @Test
  void safetensorsStream() {
    fuzz("safetensors stream", safetensorsBase(),
        bytes -> SafeTensors.readWithMetadata(new ByteArrayInputStream(bytes)));
  }

  @Test
  void safetensorsFile() {
    Path p = dir.resolve("fuzz.safetensors");
    fuzz("safetensors file", safetensorsBase(), bytes -> {
      Files.write(p, bytes);
      SafeTensors.readWithMetadata(p);
    });
  }

  @Test
  void archiveDeflated() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ModelFiles.write(out, ModelFilesTest.sample(9));
    Path p = dir.resolve("fuzz-deflated.zip");
    fuzz("deflated archive", out.toByteArray(), bytes -> {
      Files.write(p, bytes);
      ModelFiles.load(p, 1 << 20);
    });
  }

  @Test
  void archiveStored() {
    Path p = dir.resolve("fuzz-stored.zip");
    fuzz("stored archive", ZipBytes.zip(ZipBytes.validEntries(), true), bytes -> {
      Files.write(p, bytes);
      ModelFiles.load(p, 1 << 20);
    });
  }
}

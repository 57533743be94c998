package io.github.maxnorm.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.maxnorm.tensor.Shape;
import io.github.maxnorm.tensor.Tensor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SafeTensorsTest {

  @TempDir Path dir;

  static int[] bits(Tensor t) {
    float[] v = t.toArray();
    int[] b = new int[v.length];
    for (int i = 0; i < v.length; i++) {
      b[i] = Float.floatToRawIntBits(v[i]);
    }
    return b;
  }

  static void assertSameTensors(Map<String, Tensor> expected, Map<String, Tensor> actual) {
    assertEquals(expected.keySet(), actual.keySet());
    for (String name : expected.keySet()) {
      assertEquals(expected.get(name).shape(), actual.get(name).shape(), name);
      assertArrayEquals(bits(expected.get(name)), bits(actual.get(name)), name);
    }
  }

  static Map<String, Tensor> specials() {
    Map<String, Tensor> m = new LinkedHashMap<>();
    m.put("z", Tensor.of(new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
        -0.0f, 0.0f, Float.MIN_VALUE, Float.MAX_VALUE, Float.intBitsToFloat(0x7fc00123)}, 2, 4));
    m.put("a.scalar", Tensor.scalar(-3.5f));
    m.put("empty", Tensor.zeros(0));
    m.put("empty2d", Tensor.zeros(3, 0));
    m.put("layer/kernel", Tensor.randomNormal(new SplittableRandom(7), 0f, 1f, 5, 3));
    return m;
  }

  @Test
  void roundTripIsBitExactThroughStreamsAndFiles() throws IOException {
    Map<String, Tensor> tensors = specials();
    Map<String, String> meta = Map.of("epoch", "3", "note", "ünïcode ✓");
    byte[] bytes = SafeTensors.toBytes(tensors, meta);
    SafeTensorsFile fromStream = SafeTensors.readWithMetadata(new ByteArrayInputStream(bytes));
    assertSameTensors(tensors, fromStream.tensors());
    assertEquals(meta, fromStream.metadata());

    Path p = dir.resolve("t.safetensors");
    SafeTensors.write(p, tensors, meta);
    assertArrayEquals(bytes, Files.readAllBytes(p));
    assertSameTensors(tensors, SafeTensors.read(p));
    assertEquals(meta, SafeTensors.readMetadata(p));
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4})
  void randomRoundTrips(long seed) throws IOException {
    SplittableRandom rng = new SplittableRandom(seed);
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    int count = rng.nextInt(0, 8);
    for (int i = 0; i < count; i++) {
      int rank = rng.nextInt(0, 4);
      int[] dims = new int[rank];
      for (int d = 0; d < rank; d++) {
        dims[d] = rng.nextInt(0, 6);
      }
      int size = Shape.of(dims).size();
      float[] v = new float[size];
      for (int j = 0; j < size; j++) {
        v[j] = Float.intBitsToFloat(rng.nextInt()); // every bit pattern, NaN payloads included
      }
      tensors.put("t" + rng.nextInt(1000) + "_" + i, Tensor.of(v, dims));
    }
    Map<String, Tensor> back =
        SafeTensors.read(new ByteArrayInputStream(SafeTensors.toBytes(tensors, Map.of())));
    assertSameTensors(tensors, back);
  }

  @Test
  void writerSortsByNameAndPadsHeader() throws IOException {
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    tensors.put("b", Tensor.of(new float[] {2f}, 1));
    tensors.put("a", Tensor.of(new float[] {1f, 1f}, 2));
    byte[] bytes = SafeTensors.toBytes(tensors, Map.of());
    long n = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
    assertEquals(0, n % 8);
    String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
    assertEquals(
        "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
            + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}",
        header.stripTrailing());
    assertEquals(8 + n + 12, bytes.length);
    assertEquals(List.of("a", "b"), new ArrayList<>(SafeTensors.read(
        new ByteArrayInputStream(bytes)).keySet()));
  }

  @Test
  void emptyFileRoundTrips() throws IOException {
    byte[] bytes = SafeTensors.toBytes(Map.of(), Map.of());
    assertEquals(16, bytes.length); // length + "{}" padded to 8
    assertTrue(SafeTensors.read(new ByteArrayInputStream(bytes)).isEmpty());
  }

  @Test
  void writerRejectsBadNames() {
    Map<String, Tensor> reserved = Map.of("__metadata__", Tensor.scalar(1f));
    assertThrows(IllegalArgumentException.class, () -> SafeTensors.toBytes(reserved, Map.of()));
    Map<String, Tensor> empty = Map.of("", Tensor.scalar(1f));
    assertThrows(IllegalArgumentException.class, () -> SafeTensors.toBytes(empty, Map.of()));
  }

  // ----------------------------------------------------------------------------------- fixture

  static byte[] fixtureBytes() throws IOException {
    try (InputStream in = SafeTensorsTest.class.getResourceAsStream("fixtures/fixture.safetensors")) {
      if (in == null) {
        throw new IllegalStateException("fixtures/fixture.safetensors is missing");
      }
      return in.readAllBytes();
    }
  }

  static Map<String, Tensor> fixtureContent() {
    Map<String, Tensor> m = new LinkedHashMap<>();
    m.put("dense/kernel",
        Tensor.of(new float[] {1.0f, -2.5f, 0.125f, 3.0e-38f, 1.0e-45f, 65504.0f}, 2, 3));
    m.put("dense/bias", Tensor.of(new float[] {0.5f, -0.0f, Float.POSITIVE_INFINITY}, 3));
    m.put("scalar", Tensor.scalar(-7.75f));
    m.put("empty", Tensor.zeros(0, 4));
    m.put("specials",
        Tensor.of(new float[] {Float.NaN, Float.NEGATIVE_INFINITY, 0.0f, -1.0f}, 2, 2));
    return m;
  }

  static final Map<String, String> FIXTURE_META =
      Map.of("producer", "make_fixture.py", "purpose", "reader and writer conformance");

  @Test
  void readsFixtureWrittenByIndependentScript() throws IOException {
    SafeTensorsFile f = SafeTensors.readWithMetadata(new ByteArrayInputStream(fixtureBytes()));
    assertSameTensors(fixtureContent(), f.tensors());
    assertEquals(FIXTURE_META, f.metadata());
    assertEquals(
        List.of("dense/bias", "dense/kernel", "empty", "scalar", "specials"),
        new ArrayList<>(f.tensors().keySet()));
    assertEquals(1, Float.floatToRawIntBits(f.tensors().get("dense/kernel").get(4)));
    assertEquals(0x80000000, Float.floatToRawIntBits(f.tensors().get("dense/bias").get(1)));
  }

  @Test
  void writerReproducesFixtureByteForByte() throws IOException {
    assertArrayEquals(fixtureBytes(), SafeTensors.toBytes(fixtureContent(), FIXTURE_META));
  }

  // ----------------------------------------------------------------------------------- malformed

  static byte[] file(String header, int dataBytes) {
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(h.length).put(h);
    return b.array();
  }

  static ModelFormatException rejects(byte[] bytes) {
    ModelFormatException e = assertThrows(ModelFormatException.class,
        () -> SafeTensors.read(new ByteArrayInputStream(bytes)));
    assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
    return e;
  }

  static void assertMentions(Throwable e, String fragment) {
    assertTrue(e.getMessage().contains(fragment),
        () -> "expected '" + fragment + "' in: " + e.getMessage());
  }

  @Test
  void rejectsTruncatedFiles() throws IOException {
    byte[] good = SafeTensors.toBytes(specials(), Map.of());
    for (int cut : new int[] {0, 3, 7, 8, 20, good.length - 1}) {
      byte[] truncated = java.util.Arrays.copyOf(good, cut);
      assertMentions(rejects(truncated), "truncated");
      Path p = dir.resolve("cut" + cut);
      Files.write(p, truncated);
      assertThrows(ModelFormatException.class, () -> SafeTensors.read(p));
    }
  }

  @Test
  void rejectsHugeHeaderLengthWithoutAllocating() throws IOException {
    byte[] bytes = new byte[16];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(-1L); // 2^64 - 1
    assertMentions(rejects(bytes), "18446744073709551615");
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(SafeTensors.MAX_HEADER_BYTES + 1);
    assertMentions(rejects(bytes), "exceeds the limit");
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(1000);
    Path p = dir.resolve("long-header");
    Files.write(p, bytes);
    assertMentions(assertThrows(ModelFormatException.class, () -> SafeTensors.read(p)),
        "exceeds the 8 bytes after it");
  }

  @Test
  void rejectsBadJson() {
    assertMentions(rejects(file("{\"a\": {\"dtype\": ", 0)), "malformed JSON");
    assertMentions(rejects(file("[1,2]   ", 0)), "must be a JSON object");
    assertMentions(rejects(file("{} {}   ", 0)), "malformed JSON");
    byte[] badUtf8 = file("{\"\u00e9\":1}", 0);
    badUtf8[10] = (byte) 0xff;
    assertMentions(rejects(badUtf8), "UTF-8");
    String dup = "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
        + "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}";
    assertMentions(rejects(file(dup, 4)), "Duplicate field");
  }

  @Test
  void rejectsOtherDtypes() {
    assertMentions(
        rejects(file("{\"w\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[0,4]}}", 4)),
        "dtype BF16; only F32 is supported");
  }

  @Test
  void rejectsBadShapes() {
    assertMentions(
        rejects(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", 4)),
        "invalid dimension -1");
    assertMentions(
        rejects(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1.5],\"data_offsets\":[0,4]}}", 4)),
        "invalid dimension");
    assertMentions(
        rejects(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[65536,65536],"
            + "\"data_offsets\":[0,4]}}", 4)),
        "elements");
  }

  @Test
  void rejectsSizeMismatch() {
    assertMentions(
        rejects(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8)),
        "needs 12 bytes");
  }

  @Test
  void rejectsOverlapsGapsAndTrailingBytes() throws IOException {
    String overlap = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
        + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}";
    assertMentions(rejects(file(overlap, 12)), "overlaps");
    String gap = "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
        + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}";
    assertMentions(rejects(file(gap, 12)), "gap");
    String one = "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}";
    assertMentions(rejects(file(one, 8)), "unexpected bytes");
    Path p = dir.resolve("trailing");
    Files.write(p, file(one, 8));
    assertMentions(assertThrows(ModelFormatException.class, () -> SafeTensors.read(p)),
        "file holds 8");
    String beyond = "{\"a\":{\"dtype\":\"F32\",\"shape\":[1000000],\"data_offsets\":[0,4000000]}}";
    Path q = dir.resolve("beyond");
    Files.write(q, file(beyond, 4));
    assertMentions(assertThrows(ModelFormatException.class, () -> SafeTensors.read(q)),
        "4000000");
  }

  @Test
  void rejectsBadEntriesAndMetadata() {
    assertMentions(
        rejects(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"x\":1}}", 4)),
        "unknown field 'x'");
    assertMentions(rejects(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1]}}", 4)),
        "data_offsets");
    assertMentions(rejects(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],"
        + "\"data_offsets\":[0,99999999999999999999999]}}", 4)), "invalid data_offsets");
    assertMentions(rejects(file("{\"__metadata__\":{\"k\":1}}", 0)), "must be a string");
    assertMentions(rejects(file("{\"__metadata__\":[]}", 0)), "must be an object");
  }
}

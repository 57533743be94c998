package io.github.maxnorm.io;

import static io.github.maxnorm.io.SafeTensorsTest.assertMentions;
import static io.github.maxnorm.io.SafeTensorsTest.assertSameTensors;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.maxnorm.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ModelFilesTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  static ModelArchive sample(long seed) throws IOException {
    SplittableRandom rng = new SplittableRandom(seed);
    JsonNode config = JSON.readTree(
        "{\"class_name\":\"Sequential\",\"config\":{\"layers\":[{\"class_name\":\"Dense\","
            + "\"config\":{\"units\":4,\"kernel_constraint\":{\"class_name\":\"MaxNorm\","
            + "\"config\":{\"max_value\":3.0}}}}]}}");
    Map<String, Tensor> weights = new LinkedHashMap<>(SafeTensorsTest.specials());
    weights.put("dense/kernel", Tensor.randomNormal(rng, 0f, 1f, 3, 4));
    Map<String, Tensor> slots = new LinkedHashMap<>();
    slots.put("dense/kernel/momentum", Tensor.randomUniform(rng, -1f, 1f, 3, 4));
    ObjectNode state = JSON.createObjectNode();
    state.put("format", 1).put("epoch", 7).put("step", 1234L).put("seed", seed);
    state.putObject("optimizer").put("class_name", "SGD").put("learning_rate", 0.01);
    state.putArray("history").add(0.9).add(0.5).add(0.25);
    return new ModelArchive(config, weights, slots, state);
  }

  /** Equal as JSON text: the tree may hold 1234 as a long and read it back as an int. */
  static void assertSameJson(JsonNode expected, JsonNode actual) {
    assertEquals(expected.toString(), actual.toString());
  }

  static void assertSameArchive(ModelArchive expected, ModelArchive actual) {
    assertSameJson(expected.config(), actual.config());
    assertSameJson(expected.trainingState(), actual.trainingState());
    assertSameTensors(expected.weights(), actual.weights());
    assertSameTensors(expected.optimizerState(), actual.optimizerState());
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 42})
  void roundTripIsExact(long seed) throws IOException {
    ModelArchive a = sample(seed);
    Path p = dir.resolve("model.zip");
    ModelFiles.save(p, a);
    assertSameArchive(a, ModelFiles.load(p));
  }

  @Test
  void emptyOptimizerStateAndScalarJsonRoundTrip() throws IOException {
    ModelArchive a = new ModelArchive(
        JSON.readTree("\"just a string\""), Map.of("b", Tensor.zeros(0)), Map.of(),
        JSON.nullNode());
    Path p = dir.resolve("m.zip");
    ModelFiles.save(p, a);
    assertSameArchive(a, ModelFiles.load(p));
  }

  @Test
  void savingIsDeterministicAndReplacesAtomically() throws IOException {
    Path p = dir.resolve("model.zip");
    ModelFiles.save(p, sample(3));
    byte[] first = Files.readAllBytes(p);
    ModelFiles.save(p, sample(4));
    assertSameArchive(sample(4), ModelFiles.load(p));
    ModelFiles.save(p, sample(3));
    assertArrayEquals(first, Files.readAllBytes(p));
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of(p), files.toList(), "no temporary files are left behind");
    }
  }

  @Test
  void archiveHoldsExactlyTheDocumentedEntries() throws IOException {
    Path p = dir.resolve("model.zip");
    ModelFiles.save(p, sample(5));
    try (ZipFile zip = new ZipFile(p.toFile())) {
      List<String> names = new ArrayList<>();
      Collections.list(zip.entries()).forEach(e -> names.add(e.getName()));
      assertEquals(ModelFiles.ENTRIES, names);
      JsonNode manifest = JSON.readTree(zip.getInputStream(zip.getEntry("manifest.json")));
      assertEquals(1, manifest.get("maxnorm_format").intValue());
      assertSameTensors(sample(5).weights(),
          SafeTensors.read(zip.getInputStream(zip.getEntry("weights.safetensors"))));
    }
  }

  @Test
  void archiveIsASnapshot() throws IOException {
    ObjectNode config = JSON.createObjectNode().put("units", 3);
    ModelArchive a = new ModelArchive(config, Map.of(), Map.of(), JSON.createObjectNode());
    config.put("units", 99);
    assertEquals(3, a.config().get("units").intValue());
    ((ObjectNode) a.config()).put("units", 100);
    assertEquals(3, a.config().get("units").intValue());
    assertThrows(UnsupportedOperationException.class,
        () -> a.weights().put("x", Tensor.scalar(1f)));
    assertThrows(IllegalArgumentException.class,
        () -> new ModelArchive(null, Map.of(), Map.of(), config));
  }

  // ----------------------------------------------------------------------------------- attacks

  Path write(byte[] zip) throws IOException {
    Path p = Files.createTempFile(dir, "attack", ".zip");
    Files.write(p, zip);
    return p;
  }

  ModelFormatException rejects(byte[] zip) throws IOException {
    Path p = write(zip);
    ModelFormatException e =
        assertThrows(ModelFormatException.class, () -> ModelFiles.load(p));
    assertMentions(e, p.toString());
    return e;
  }

  @Test
  void validHandBuiltArchiveLoads() throws IOException {
    for (boolean stored : new boolean[] {true, false}) {
      ModelArchive a = ModelFiles.load(write(ZipBytes.zip(ZipBytes.validEntries(), stored)));
      assertEquals(2, a.trainingState().get("epoch").intValue());
      assertArrayEquals(new float[] {1f, 2f, 3f}, a.weights().get("w").toArray());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"../evil", "a/../../evil", "..", "/abs", "/etc/passwd", "C:/x",
      "dir\\file", "config.json/.."})
  void rejectsUnsafeEntryNames(String name) throws IOException {
    Map<String, byte[]> entries = ZipBytes.validEntries();
    entries.put(name, ZipBytes.utf8("x"));
    assertMentions(rejects(ZipBytes.zip(entries, false)), "unsafe name");
  }

  @Test
  void rejectsDuplicateEntries() throws IOException {
    Map<String, byte[]> entries = ZipBytes.validEntries();
    entries.put("config.jsoX", ZipBytes.utf8("{\"evil\": true}"));
    byte[] zip = ZipBytes.replaceAll(ZipBytes.zip(entries, false), "config.jsoX", "config.json");
    assertMentions(rejects(zip), "duplicate entry 'config.json'");
  }

  @Test
  void rejectsUnknownEntries() throws IOException {
    Map<String, byte[]> entries = ZipBytes.validEntries();
    entries.put("extra.bin", new byte[] {1, 2, 3});
    assertMentions(rejects(ZipBytes.zip(entries, false)), "unknown entry 'extra.bin'");
  }

  @ParameterizedTest
  @ValueSource(strings = {"manifest.json", "config.json", "state.json", "weights.safetensors",
      "optimizer.safetensors"})
  void rejectsMissingEntries(String name) throws IOException {
    Map<String, byte[]> entries = ZipBytes.validEntries();
    entries.remove(name);
    assertMentions(rejects(ZipBytes.zip(entries, false)), "missing required entry '" + name);
  }

  @Test
  void rejectsEntriesOverTheLimitByDeclaredSize() throws IOException {
    Map<String, byte[]> entries = ZipBytes.validEntries();
    entries.put(ModelFiles.WEIGHTS,
        SafeTensors.toBytes(Map.of("w", Tensor.zeros(1000)), Map.of()));
    Path p = write(ZipBytes.zip(entries, false));
    ModelFormatException e =
        assertThrows(ModelFormatException.class, () -> ModelFiles.load(p, 2000));
    assertMentions(e, "over the limit of 2000");
    assertEquals(1000, ModelFiles.load(p, 5000).weights().get("w").size());
  }

  @Test
  void neverTrustsTheDeclaredSize() throws IOException {
    Map<String, byte[]> entries = ZipBytes.validEntries();
    entries.put(ModelFiles.CONFIG,
        ZipBytes.utf8("{\"pad\": \"" + "a".repeat(100_000) + "\"}"));
    byte[] zip = ZipBytes.withDeclaredSize(ZipBytes.zip(entries, false), ModelFiles.CONFIG, 10);
    assertMentions(rejects(zip), "more than its declared 10 bytes");
    Path p = write(ZipBytes.zip(entries, false));
    assertMentions(assertThrows(ModelFormatException.class, () -> ModelFiles.load(p, 50_000)),
        "limit of 50000");
  }

  @Test
  void rejectsCorruptedStoredData() throws IOException {
    Map<String, byte[]> entries = ZipBytes.validEntries();
    entries.put(ModelFiles.STATE, ZipBytes.utf8("{\"epoch\": 2}"));
    byte[] zip = ZipBytes.replaceAll(ZipBytes.zip(entries, true), "{\"epoch\": 2}", "{\"epoch\": 9}");
    assertMentions(rejects(zip), "CRC-32 mismatch");
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"maxnorm_format\": 2}", "{\"maxnorm_format\": 0}",
      "{\"maxnorm_format\": \"1\"}", "{}", "[1]", "{\"maxnorm_format\": 1.5}"})
  void rejectsUnknownFormatVersions(String manifest) throws IOException {
    Map<String, byte[]> entries = ZipBytes.validEntries();
    entries.put(ModelFiles.MANIFEST, ZipBytes.utf8(manifest));
    assertMentions(rejects(ZipBytes.zip(entries, false)), "manifest.json");
  }

  @Test
  void newerVersionSaysSo() throws IOException {
    Map<String, byte[]> entries = ZipBytes.validEntries();
    entries.put(ModelFiles.MANIFEST, ZipBytes.utf8("{\"maxnorm_format\": 2}"));
    assertMentions(rejects(ZipBytes.zip(entries, false)), "format version 2 is newer");
  }

  @Test
  void namesTheBrokenEntry() throws IOException {
    Map<String, byte[]> entries = ZipBytes.validEntries();
    entries.put(ModelFiles.CONFIG, ZipBytes.utf8("{\"units\": "));
    assertMentions(rejects(ZipBytes.zip(entries, false)), "config.json: malformed JSON");
    entries = ZipBytes.validEntries();
    entries.put(ModelFiles.WEIGHTS, new byte[] {1, 2, 3});
    assertMentions(rejects(ZipBytes.zip(entries, false)), "weights.safetensors: truncated");
  }

  @Test
  void distinguishesBadFilesFromMissingFiles() throws IOException {
    assertMentions(rejects(ZipBytes.utf8("this is not a zip file")), "not a valid zip");
    assertMentions(rejects(new byte[0]), "not a valid zip");
    IOException missing =
        assertThrows(IOException.class, () -> ModelFiles.load(dir.resolve("absent.zip")));
    assertTrue(missing instanceof NoSuchFileException, missing.toString());
    assertFalse(missing instanceof ModelFormatException);
  }

  @Test
  void packageNeverDeserializesJavaObjects() throws IOException {
    Path src = Path.of("src/main/java/io/github/maxnorm/io");
    assertTrue(Files.isDirectory(src), "run from the module directory");
    try (Stream<Path> files = Files.list(src)) {
      for (Path f : files.toList()) {
        String text = Files.readString(f);
        assertFalse(text.contains("ObjectInputStream"), f.toString());
        assertFalse(text.contains("enableDefaultTyping"), f.toString());
        assertFalse(text.contains("activateDefaultTyping"), f.toString());
      }
    }
  }
}

package io.github.maxnorm.interop.tfjs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.maxnorm.interop.KerasFiles;
import io.github.maxnorm.interop.keras.KerasFormat;
import io.github.maxnorm.interop.keras.KerasJson;
import io.github.maxnorm.interop.keras.KerasModelFile;
import io.github.maxnorm.interop.keras.KerasNormalizer;
import io.github.maxnorm.interop.keras.KerasReadLimits;
import io.github.maxnorm.interop.keras.KerasWeight;
import io.github.maxnorm.interop.keras.LayerWeights;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TfjsLayersModelTest {
  @TempDir Path dir;

  static Path consumers() throws URISyntaxException {
    return Path.of(TfjsLayersModelTest.class.getResource("/consumers/tfjs-check.json").toURI())
        .getParent();
  }

  /** A model saved by TensorFlow.js 4.22 itself (consumers/run.sh), weights set to 0, 1, 2, ... */
  @Test
  void readsAModelSavedByTensorFlowJs() throws Exception {
    KerasModelFile f = KerasFiles.read(consumers().resolve("tfjs-saved"));
    assertEquals(KerasFormat.TFJS, f.format());
    assertEquals("tfjs-layers 4.22.0", f.kerasVersion());
    assertEquals(List.of("first", "norm", "last"),
        f.layers().stream().map(LayerWeights::layerName).toList());
    // TensorFlow.js lists (and numbered) the weights in its get_weights order, as the check says
    JsonNode listed = KerasJson.parse(
        Files.readAllBytes(consumers().resolve("tfjs-check.json")), "fixture",
        KerasReadLimits.defaults()).path("saved_by_tfjs").path("weights");
    int next = 0;
    for (JsonNode w : listed) {
      String[] name = w.path("name").asText().split("/");
      KerasWeight read = f.layer(name[0]).orElseThrow().weights().stream()
          .filter(x -> x.name().equals(name[1])).findFirst().orElseThrow();
      int n = read.size();
      float[] expected = new float[n];
      for (int i = 0; i < n; i++) {
        expected[i] = next + i;
      }
      next += n;
      assertEquals(w.path("shape").toString(), java.util.Arrays.toString(read.shape()).replace(" ", ""));
      assertArrayEquals(expected, read.values(), w.path("name").asText());
    }
    assertEquals(42, next);
    KerasModelFile n = KerasNormalizer.normalize(f, "tfjs-saved");
    assertEquals(List.of("gamma", "beta", "moving_mean", "moving_variance"),
        n.layer("norm").orElseThrow().weights().stream().map(KerasWeight::name).toList());
    JsonNode optimizer = n.trainingConfig().path("optimizer_config");
    assertEquals("Adam", optimizer.path("class_name").asText());
    assertEquals(0.01, optimizer.path("config").path("learning_rate").asDouble(), 1e-9);
    assertEquals(0.9, optimizer.path("config").path("beta_1").asDouble(), 1e-9);
  }

  @Test
  void readsQuantizedAndIntegerWeights() throws IOException {
    ByteBuffer b = ByteBuffer.allocate(4 + 8 + 6 + 8).order(ByteOrder.LITTLE_ENDIAN);
    b.put((byte) 0).put((byte) 1).put((byte) 2).put((byte) 255);
    b.putShort((short) 0).putShort((short) 1).putShort((short) 2).putShort((short) 65535);
    b.putShort((short) 0x3C00).putShort((short) 0xC000).putShort((short) 0x3800);
    b.putInt(-7).putInt(123456);
    Files.write(dir.resolve("w.bin"), b.array());
    Files.writeString(dir.resolve("model.json"), """
        {"format": "layers-model", "modelTopology": {"class_name": "Sequential", "config":
          {"name": "s", "layers": [{"class_name": "Dense", "config": {"name": "d", "units": 2}}]}},
         "weightsManifest": [{"paths": ["w.bin"], "weights": [
          {"name": "d/u8", "shape": [4], "dtype": "float32",
           "quantization": {"dtype": "uint8", "min": -1.0, "scale": 0.5}},
          {"name": "d/u16", "shape": [2, 2], "dtype": "float32",
           "quantization": {"dtype": "uint16", "min": 10.0, "scale": 0.25}},
          {"name": "d/f16", "shape": [3], "dtype": "float32", "quantization": {"dtype": "float16"}},
          {"name": "d/i", "shape": [2], "dtype": "int32"}]}]}""");
    LayerWeights d = KerasFiles.read(dir).layer("d").orElseThrow();
    assertArrayEquals(new float[] {-1f, -0.5f, 0f, 126.5f}, d.get(0).values());
    assertEquals("uint8", d.get(0).dtype());
    assertArrayEquals(new float[] {10f, 10.25f, 10.5f, 10f + 65535 * 0.25f}, d.get(1).values());
    assertArrayEquals(new float[] {1f, -2f, 0.5f}, d.get(2).values());
    assertArrayEquals(new float[] {-7f, 123456f}, d.get(3).values());
  }
}

package io.github.maxnorm.interop.keras;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.maxnorm.interop.KerasFiles;
import io.github.maxnorm.io.ModelFormatException;
import io.jhdf.api.WritableGroup;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code .keras} archives laid out as Keras 3's {@code saving_lib} lays them out, built here by
 * hand (no file written by Keras 3 is available, see {@code keras3/README.md}): store keys map
 * back to layer names by class and order, and mismatches are refused.
 */
class KerasArchiveTest {
  @TempDir Path dir;

  /** layer key -> arrays (shape, then values start) for vars/0, vars/1, ... */
  Path archive(String configFile, Map<String, int[][]> store, Map<String, String> names)
      throws IOException {
    Path h5 = dir.resolve("model.weights.h5");
    Hdf5Out.writeTo(h5, f -> {
      WritableGroup vars = Hdf5Out.newGroup(f, "vars");
      WritableGroup layers = Hdf5Out.newGroup(f, "layers");
      for (Map.Entry<String, int[][]> e : store.entrySet()) {
        WritableGroup v = Hdf5Out.newGroup(Hdf5Out.newGroup(layers, e.getKey()), "vars");
        if (names.containsKey(e.getKey())) {
          Hdf5Out.putString(v, "name", names.get(e.getKey()));
        }
        for (int i = 0; i < e.getValue().length; i++) {
          int[] shape = e.getValue()[i];
          int n = 1;
          for (int d : shape) {
            n *= d;
          }
          float[] values = new float[n];
          for (int j = 0; j < n; j++) {
            values[j] = i * 1000 + j;
          }
          Hdf5Out.putWeight(v, Integer.toString(i), KerasWeight.of("x", shape, values));
        }
      }
      vars.putAttribute("name", "functional");
    });
    Path keras = dir.resolve("model.keras");
    byte[] config = Files.readAllBytes(Resources.keras("README.md").getParent().getParent()
        .resolve("keras3").resolve(configFile));
    try (OutputStream out = Files.newOutputStream(keras); ZipOutputStream zip = new ZipOutputStream(out)) {
      zip.putNextEntry(new ZipEntry("metadata.json"));
      zip.write("{\"keras_version\": \"3.6.0\", \"date_saved\": \"2026-01-01@00:00:00\"}".getBytes());
      zip.putNextEntry(new ZipEntry("config.json"));
      zip.write(config);
      zip.putNextEntry(new ZipEntry("model.weights.h5"));
      zip.write(Files.readAllBytes(h5));
      zip.closeEntry();
    }
    return keras;
  }

  static Map<String, int[][]> functionalStore() {
    Map<String, int[][]> s = new LinkedHashMap<>();
    s.put("input_layer", new int[0][]);
    s.put("conv2d", new int[][] {{3, 3, 1, 4}, {4}});
    s.put("batch_normalization", new int[][] {{4}, {4}, {4}, {4}});
    s.put("re_lu", new int[0][]);
    s.put("conv2d_1", new int[][] {{1, 1, 1, 4}});
    s.put("add", new int[0][]);
    s.put("global_average_pooling2d", new int[0][]);
    s.put("dense", new int[][] {{4, 3}, {3}});
    return s;
  }

  static Map<String, String> namesOf(Map<String, int[][]> store) {
    Map<String, String> n = new LinkedHashMap<>();
    store.keySet().forEach(k -> n.put(k, k));
    return n;
  }

  @Test
  void functionalStoreMapsByClassAndOrder() throws IOException {
    Map<String, int[][]> store = functionalStore();
    KerasModelFile f = KerasFiles.read(archive("functional_cnn.json", store, namesOf(store)));
    assertEquals(KerasFormat.KERAS_ZIP, f.format());
    assertEquals("3.6.0", f.kerasVersion());
    assertEquals("Adam", f.trainingConfig().path("optimizer").path("class_name").asText());
    assertEquals(List.of("input_layer", "conv2d", "batch_normalization", "re_lu", "conv2d_1", "add",
        "global_average_pooling2d", "dense"), f.layers().stream().map(LayerWeights::layerName).toList());
    LayerWeights bn = f.layer("batch_normalization").orElseThrow();
    assertEquals(List.of("gamma", "beta", "moving_mean", "moving_variance"),
        bn.weights().stream().map(KerasWeight::name).toList());
    assertArrayEquals(new float[] {3000, 3001, 3002, 3003}, bn.get(3).values());
    assertEquals(List.of("kernel"), f.layer("conv2d_1").orElseThrow().weights().stream()
        .map(KerasWeight::name).toList(), "use_bias=false");

    KerasModelFile n = KerasNormalizer.normalize(f, "model.keras");
    assertEquals("Model", n.modelConfig().path("class_name").asText());
    assertArrayEquals(new int[] {4, 3}, n.layer("dense").orElseThrow().get(0).shape());
  }

  @Test
  void sequentialStoreLeavesOutTheInputLayerAndNumbersRepeatedClasses() throws IOException {
    Map<String, int[][]> store = new LinkedHashMap<>();
    store.put("dense", new int[][] {{784, 16}, {16}});
    store.put("dropout", new int[0][]);
    store.put("leaky_re_lu", new int[0][]);
    store.put("dense_1", new int[][] {{16, 10}, {10}});
    Map<String, String> names = Map.of("dense", "dense", "dense_1", "dense_1");
    KerasModelFile f = KerasFiles.read(archive("sequential_mlp.json", store, names));
    assertEquals(List.of("dense", "dropout", "leaky_re_lu", "dense_1"),
        f.layers().stream().map(LayerWeights::layerName).toList());
    assertArrayEquals(new int[] {16, 10}, f.layer("dense_1").orElseThrow().get(0).shape());
    JsonNode training = KerasNormalizer.normalize(f, "m").trainingConfig();
    assertEquals("rmsprop", training.path("optimizer_config").path("class_name").asText());
  }

  @Test
  void mismatchedStoresAreRefused() throws IOException {
    Map<String, int[][]> store = functionalStore();
    Map<String, String> names = namesOf(store);
    names.put("conv2d", "conv2d_1");
    Path p = archive("functional_cnn.json", store, names);
    ModelFormatException e = assertThrows(ModelFormatException.class, () -> KerasFiles.read(p));
    assertEquals(p + "!/model.weights.h5: layers/conv2d belongs to layer 'conv2d_1' but the config"
        + " puts layer 'conv2d' (Conv2D) there", e.getMessage());

    Map<String, int[][]> extra = functionalStore();
    extra.put("dense_1", new int[][] {{3, 3}});
    Path q = archive("functional_cnn.json", extra, Map.of());
    e = assertThrows(ModelFormatException.class, () -> KerasFiles.read(q));
    assertEquals(q + "!/model.weights.h5: layers/dense_1 matches no layer of the config",
        e.getMessage());
  }
}

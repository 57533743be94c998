package io.github.maxnorm.interop.keras;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.maxnorm.interop.KerasFiles;
import io.github.maxnorm.io.ModelFormatException;
import io.jhdf.api.WritableGroup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Weights-only files applied to a model config: by name, in order, and Keras 3 stores by key. */
class WeightsOnlyTest {
  @TempDir Path dir;

  @Test
  void keras2WeightsFileByNameAndInOrder() throws IOException {
    String file = "recorded/simple_sparse_xent/simple_sparse_xent_mlp_keras_2_weights.h5";
    KerasModelFile weights = KerasFiles.read(Resources.keras(file));
    assertEquals(KerasFormat.H5_WEIGHTS, weights.format());
    JsonNode config = KerasFiles.read(Resources.keras(
        "recorded/simple_sparse_xent/simple_sparse_xent_mlp_keras_2_model.h5")).modelConfig();
    KerasModelFile byName = KerasNormalizer.normalize(weights, config, file);
    // the same model config with other layer names: only order can match
    JsonNode renamed = KerasJson.parse(KerasJson.toText(config).replace("dense_1", "other_dense"),
        "renamed", KerasReadLimits.defaults());
    assertThrows(ModelFormatException.class, () -> KerasNormalizer.normalize(weights, renamed, file));
    KerasModelFile inOrder = KerasNormalizer.normalize(weights, renamed, file, false);
    assertEquals("other_dense", inOrder.layers().get(0).layerName());
    assertArrayEquals(byName.layers().get(0).get(0).values(), inOrder.layers().get(0).get(0).values());
  }

  @Test
  void keras3WeightsFileMapsKeysThroughTheConfig() throws IOException {
    KerasModelFile model = KerasNormalizer.normalize(
        KerasFiles.read(Resources.keras("tfkeras/cnn2d_82.h5")), "cnn2d_82");
    Path store = dir.resolve("model.weights.h5");
    KerasFiles.write(model, store, KerasFormat.KERAS_WEIGHTS);
    KerasModelFile keys = KerasFiles.read(store);
    assertEquals(KerasFormat.KERAS_WEIGHTS, keys.format());
    assertEquals(List.of("0", "1", "2"), keys.layer("separable_conv2d").orElseThrow().weights()
        .stream().map(KerasWeight::name).toList());
    KerasModelFile mapped = KerasNormalizer.normalize(keys, model.modelConfig(), "store");
    RoundTripTest.assertSameWeights(model, mapped, true);
  }

  @Test
  void keras3LegacyHdf5WithBareNamesAndTopLevelGroup() throws IOException {
    // Keras 3.0-3.2's legacy .h5: bare weight names, an (empty) top_level_model_weights group
    KerasModelFile source = KerasNormalizer.normalize(
        KerasFiles.read(Resources.keras("tfkeras/mlp_8.h5")), "mlp_8");
    Path p = dir.resolve("k3.h5");
    Hdf5Out.writeTo(p, h -> {
      Hdf5Out.putString(h, "keras_version", "3.1.0");
      Hdf5Out.putString(h, "backend", "jax");
      Hdf5Out.putString(h, "model_config", KerasJson.toText(source.modelConfig()));
      WritableGroup mw = Hdf5Out.newGroup(h, "model_weights");
      Hdf5Out.newGroup(mw, H5ModelReader.TOP_LEVEL);
      List<String> names = source.layers().stream().map(LayerWeights::layerName).toList();
      Hdf5Out.putStrings(mw, "layer_names", names);
      source.layers().stream().filter(l -> l.size() == 0)
          .forEach(l -> Hdf5Out.newGroup(mw, l.layerName()));
      for (LayerWeights l : source.layers()) {
        if (l.size() == 0) {
          continue;
        }
        WritableGroup g = Hdf5Out.newGroup(mw, l.layerName());
        Hdf5Out.putStrings(g, "weight_names", l.weights().stream().map(KerasWeight::name).toList());
        for (KerasWeight w : l.weights()) {
          Hdf5Out.putWeight(g, w.name(), w);
        }
      }
    });
    KerasModelFile read = KerasFiles.read(p);
    assertEquals("3.1.0", read.kerasVersion());
    assertEquals("jax", read.backend());
    LayerWeights dense = read.layers().stream().filter(l -> l.size() > 0).findFirst().orElseThrow();
    assertEquals(List.of("kernel", "bias"), dense.weights().stream().map(KerasWeight::name).toList());
    assertEquals(names(source), names(read), "the empty top-level group is not a layer");
    RoundTripTest.assertSameWeights(source, KerasNormalizer.normalize(read, "k3"), true);
    assertEquals(true, Files.size(p) > 0);
  }

  static List<String> names(KerasModelFile f) {
    return f.layers().stream().map(LayerWeights::layerName).toList();
  }
}

package io.github.maxnorm.interop.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The frozen results of the real consumers ({@code maxnorm-interop/consumers/run.sh}: h5py and
 * TensorFlow.js 4.22) still hold: the writers produce today, byte for byte, the files those
 * consumers checked, and what they found is checked again here.
 */
class ConsumerFixturesTest {
  /** Predicted values compared by TensorFlow.js, over all models of the fixture. */
  static final int VALUES = 1007;

  @TempDir Path dir;

  static JsonNode fixture(String name) throws IOException {
    return ConsumerInputs.json(Resources.keras("README.md").getParent().getParent()
        .resolve("consumers").resolve(name));
  }

  @Test
  void writersStillProduceTheFilesTheConsumersChecked() throws IOException {
    JsonNode manifest = ConsumerInputs.write(dir);
    JsonNode hashes = manifest.path("sha256");
    assertTrue(hashes.size() > 20, "hashes of " + hashes.size() + " files");
    assertEquals(hashes, fixture("h5py-check.json").path("sha256"),
        "the .h5 or TF.js writers changed since consumers/run.sh checked them: rerun it");
    assertEquals(hashes, fixture("tfjs-check.json").path("sha256"),
        "the .h5 or TF.js writers changed since consumers/run.sh checked them: rerun it");
  }

  @Test
  void tensorflowJsPredictionsMatchKerasAndMaxnormWithin1e5Relative() throws IOException {
    JsonNode manifest = ConsumerInputs.write(dir);
    JsonNode tfjs = fixture("tfjs-check.json");
    assertEquals("4.22.0", tfjs.path("tfjs_version").asText());
    assertEquals("cpu", tfjs.path("backend").asText());
    List<String> names = new ArrayList<>();
    int values = 0;
    for (JsonNode expected : manifest.path("tfjs")) {
      JsonNode result = null;
      for (JsonNode r : tfjs.path("results")) {
        if (r.path("name").asText().equals(expected.path("name").asText())) {
          result = r;
        }
      }
      String name = expected.path("name").asText();
      names.add(name);
      assertTrue(result != null && result.path("match").asBoolean(), name + ": " + result);
      JsonNode keras = expected.path("predictions");
      JsonNode got = result.path("predictions");
      assertEquals(keras.size(), got.size(), name);
      for (int i = 0; i < keras.size(); i++) {
        assertEquals(keras.get(i).path("shape"), got.get(i).path("shape"), name);
        JsonNode k = keras.get(i).path("values");
        JsonNode t = got.get(i).path("values");
        assertEquals(k.size(), t.size());
        for (int j = 0; j < k.size(); j++) {
          double want = k.get(j).asDouble();
          double have = t.get(j).asDouble();
          assertTrue(Math.abs(have - want) <= 1e-5 * Math.abs(want) + 1e-6,
              name + "[" + j + "]: TF.js " + have + ", Keras " + want);
          values++;
        }
      }
    }
    List<String> recorded = List.of("LeakyReLU_0", "ReLU_1", "ReLU_3", "Softmax_0",
        "ThresholdReLU_0", "simple_sparse_xent_mlp_keras_2", "conv1d_k2_s1_d2_cl_same");
    List<String> expected = new ArrayList<>(recorded);
    // exported from maxnorm models: the recorded ones imported, and models built in maxnorm
    recorded.forEach(n -> expected.add("maxnorm/" + n));
    expected.addAll(List.of("maxnorm/cnn", "maxnorm/depthwise_separable", "maxnorm/mlp",
        "maxnorm/residual_graph", "maxnorm/seed_example_channels_first"));
    assertEquals(expected, names);
    System.out.println("TF.js 4.22 matched " + names.size() + " models, " + values + " values");
    assertEquals(VALUES, values, "values compared");
    List<String> refused = new ArrayList<>();
    tfjs.path("refused_by_writer").forEach(r -> refused.add(r.path("message").asText()));
    String elu = "layer 'elu_1' (ELU): TensorFlow.js 4.22 runs ELU only with alpha=1 (received"
        + " 0.699999988079071)";
    String cf = "layer 'conv0' (Conv1D): TensorFlow.js 4.22 returns a channels_first Conv1D's"
        + " output in channels-last layout";
    String causal = "layer 'conv0' (Conv1D): TensorFlow.js 4.22 does not implement causal"
        + " padding";
    assertEquals(List.of(elu, cf, causal, elu, cf, causal,
        "layer 'conv1d' (Conv1D): TensorFlow.js 4.22 does not implement causal padding"),
        refused);
  }

  @Test
  void h5pyFindsTheLayoutOfTheKerasFiles() throws IOException {
    JsonNode h5 = fixture("h5py-check.json");
    // four Keras-written models as written from their normalized form and from maxnorm models
    assertEquals(8, h5.path("results").size());
    for (JsonNode r : h5.path("results")) {
      assertTrue(r.path("match").asBoolean(), r.toString());
      assertEquals(0, r.path("differences").size(), r.toString());
      for (JsonNode known : r.path("known_differences")) {
        assertTrue(known.asText().endsWith(
            ": no weight_names attribute (Keras: an empty float64 array)"), known.asText());
      }
      assertEquals(3, r.path("checks").size());
    }
  }
}

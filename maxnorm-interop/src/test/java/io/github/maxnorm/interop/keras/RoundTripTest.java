package io.github.maxnorm.interop.keras;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.maxnorm.interop.KerasFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Real Keras files through every writer and back: configs equal, layers in the same order, every
 * value bit-identical; and writing the same content twice gives the same bytes.
 */
class RoundTripTest {
  @TempDir Path dir;

  static final String[] FILES = {
    "tfkeras/mlp_0.h5", "tfkeras/mlp_8.h5", "tfkeras/cnn2d_82.h5", "tfkeras/cnn2d_46.h5",
    "tfkeras/cnn2d_56.h5", "tfkeras/cnn2d_68.h5", "weights/conv2d_theano_1.h5",
    "weights/lstm_tensorflow_1.h5", "weights/sepconv2d_tensorflow_2.h5",
    "recorded/cnn_batch_norm/cnn_batch_norm.h5",
    "recorded/simple_sparse_xent/simple_sparse_xent_mlp_keras_2_model.h5"};

  /** Equal layers, names compared as bare names, values bit for bit. */
  static void assertSameWeights(KerasModelFile a, KerasModelFile b, boolean exactNames) {
    List<LayerWeights> la = a.layers().stream().filter(l -> l.size() > 0).toList();
    List<LayerWeights> lb = b.layers().stream().filter(l -> l.size() > 0).toList();
    assertEquals(la.stream().map(LayerWeights::layerName).toList(),
        lb.stream().map(LayerWeights::layerName).toList());
    for (int i = 0; i < la.size(); i++) {
      assertEquals(la.get(i).size(), lb.get(i).size(), la.get(i).layerName());
      for (int j = 0; j < la.get(i).size(); j++) {
        KerasWeight x = la.get(i).get(j);
        KerasWeight y = lb.get(i).get(j);
        if (exactNames) {
          assertEquals(x.name(), y.name());
        } else {
          assertEquals(KerasWeight.shortName(x.name()), KerasWeight.shortName(y.name()));
        }
        assertArrayEquals(x.shape(), y.shape(), x.name());
        assertArrayEquals(x.values(), y.values(), x.name());
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"H5", "H5_WEIGHTS", "KERAS_ZIP", "KERAS_DIR", "KERAS_WEIGHTS", "TFJS"})
  void normalizedFilesSurviveEveryWriter(String format) throws IOException {
    KerasFormat f = KerasFormat.valueOf(format);
    for (String file : FILES) {
      KerasModelFile original = KerasNormalizer.normalize(
          KerasFiles.read(Resources.keras(file)), file);
      Path target = dir.resolve(file.replace('/', '_') + "." + format);
      KerasFiles.write(original, target, f);
      KerasModelFile back = KerasFiles.read(target);
      if (f != KerasFormat.H5_WEIGHTS && f != KerasFormat.KERAS_WEIGHTS) {
        if (f == KerasFormat.KERAS_ZIP || f == KerasFormat.KERAS_DIR) {
          // written in the dialect Keras 3 loads: the same once normalized
          assertEquals("keras", back.modelConfig().path("module").asText().substring(0, 5));
        } else {
          assertEquals(original.modelConfig(), back.modelConfig(), file);
          assertEquals(original.trainingConfig(), back.trainingConfig(), file);
        }
        KerasModelFile again = KerasNormalizer.normalize(back, file);
        JsonNode training = original.trainingConfig();
        if (training != null && (f == KerasFormat.KERAS_ZIP || f == KerasFormat.KERAS_DIR)) {
          ((ObjectNode) training).remove("sample_weight_mode"); // not an argument of Keras 3's compile
        }
        assertEquals(training, again.trainingConfig(), file);
        assertSameWeights(original, again, true);
        assertEquals(original.modelConfig(), again.modelConfig());
      } else if (f == KerasFormat.H5_WEIGHTS) {
        assertSameWeights(original, back, false);
      } else {
        // a Keras 3 weights file keys layers by class; with the config they map back
        assertSameWeights(original, KerasNormalizer.normalize(back, original.modelConfig(), file),
            true);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"H5", "KERAS_ZIP", "TFJS"})
  void rawFilesKeepTheirConfigsAndValues(String format) throws IOException {
    KerasFormat f = KerasFormat.valueOf(format);
    for (String file : FILES) {
      KerasModelFile original = KerasFiles.read(Resources.keras(file));
      Path target = dir.resolve("raw_" + file.replace('/', '_') + "." + format);
      KerasFiles.write(original, target, f);
      KerasModelFile back = KerasFiles.read(target);
      if (f == KerasFormat.KERAS_ZIP) {
        assertEquals(KerasConfigNormalizer.normalize(original.modelConfig(), file),
            KerasConfigNormalizer.normalize(back.modelConfig(), file));
      } else {
        assertEquals(original.modelConfig(), back.modelConfig(), file);
      }
      if (f == KerasFormat.H5) {
        assertSameWeights(original, back, false);
        assertEquals(original.kerasVersion(), back.kerasVersion());
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"H5", "H5_WEIGHTS", "KERAS_ZIP", "KERAS_WEIGHTS"})
  void writingTwiceGivesTheSameBytes(String format) throws IOException {
    KerasFormat f = KerasFormat.valueOf(format);
    KerasModelFile m = KerasNormalizer.normalize(
        KerasFiles.read(Resources.keras("tfkeras/cnn2d_82.h5")), "cnn2d_82");
    Path a = dir.resolve("a." + format);
    Path b = dir.resolve("b." + format);
    KerasFiles.write(m, a, f);
    KerasFiles.write(m, b, f);
    assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
  }
}

package io.github.maxnorm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.maxnorm.cli.MainTest.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands on Keras files of the shared corpus ({@code ../shared/keras}, present in CI):
 * import, export to every format, and train, evaluate and summary on .h5, .keras, model.json and
 * bare Keras configs, with the data transposed or reshaped to the model's layout.
 */
class KerasModelsCliTest {
  static final Path KERAS =
      Path.of(System.getProperty("maxnorm.shared.keras", "../../shared/keras"));

  @TempDir Path tmp;

  @BeforeEach
  void corpus() {
    Assumptions.assumeTrue(Files.isDirectory(KERAS), "no shared corpus at " + KERAS);
  }

  static Result cli(String... args) {
    return MainTest.cli(args);
  }

  @Test
  void importThenExportToEveryFormatAndSummarizeEach() {
    Path h5 = KERAS.resolve("weights/simpleconv2d.hdf5");
    Path model = tmp.resolve("s.maxnorm");
    Result r = cli("import", h5.toString(), "--out", model.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("10 layers, 80135 parameters, input [1, 28, 28], output [22]"),
        r.out());
    for (String f : new String[] {"keras", "h5", "tfjs", "onnx"}) {
      Path out = tmp.resolve("s." + f);
      Result e = cli("export", model.toString(), "--format", f, "--out", out.toString());
      assertEquals(0, e.code(), f + ": " + e.err());
      assertTrue(Files.exists(out), f);
      if (!f.equals("onnx")) {
        Path in = f.equals("tfjs") ? out.resolve("model.json") : out;
        Result s = cli("summary", in.toString());
        assertEquals(0, s.code(), f + ": " + s.err());
        assertTrue(s.out().contains("Total params: 80,135"), f + ": " + s.out());
      }
    }
  }

  @Test
  void trainOnAKerasH5WithMaxNormTransposesTheDigitsForItsChannelsFirstInput() throws Exception {
    Path run = tmp.resolve("run");
    Result r = cli("train", "--model", KERAS.resolve("weights/simpleconv2d.hdf5").toString(),
        "--max-norm", "2", "--epochs", "1", "--limit", "500", "--batch-size", "50",
        "--out", run.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("data: the model is channels-first: transposed the samples from"
        + " [28, 28, 1] to [1, 28, 28]"), r.out());
    assertTrue(r.out().contains("conv2d_1/kernel clipped"), r.out());
    Result s = cli("summary", run.resolve("model.maxnorm").toString());
    assertTrue(s.out().contains("MaxNorm(max_value=2.0"), s.out());
    Result e = cli("evaluate", run.resolve("model.maxnorm").toString());
    assertEquals(0, e.code(), e.err());
    assertTrue(e.out().contains("transposed"), e.out());
  }

  @Test
  void trainAndSummaryTakeABareKerasConfigWhoseInputIsFlat() {
    Path config = KERAS.resolve("configs/keras2/mnist_mlp_constraint_tf_keras_2_config.json");
    Result s = cli("summary", config.toString());
    assertEquals(0, s.code(), s.err());
    assertTrue(s.out().contains("a config without weights"), s.out());
    assertTrue(s.out().contains("kernel: UnitNorm(axis=[0])"), s.out());
    Result r = cli("train", "--model", config.toString(), "--epochs", "1", "--limit", "300",
        "--batch-size", "100", "--out", tmp.resolve("run").toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("data: the model takes 784 values per sample as [784]: reshaped"
        + " the samples from [28, 28, 1]"), r.out());
  }

  @Test
  void anUnsupportedLayerIsOneLineNamingFileLayerAndClass() {
    Path h5 = KERAS.resolve("tfkeras/cnn2d_34.h5");
    Result r = cli("import", h5.toString(), "--out", tmp.resolve("x.maxnorm").toString());
    assertEquals(2, r.code());
    assertEquals("maxnorm: " + h5 + ": layer 'locally_connected2d_4' (LocallyConnected2D):"
        + " maxnorm has no LocallyConnected2D layer", r.err().strip());
    Result f = cli("export", h5.toString(), "--format", "pdf", "--out", "x");
    assertEquals(2, f.code());
    assertEquals("maxnorm: unknown model format 'pdf'; give maxnorm, keras, h5, tfjs or onnx",
        f.err().strip());
  }
}

package io.github.maxnorm.interop.keras;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.github.maxnorm.interop.KerasFiles;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * The files of {@code weights/} whose scripts set known weights ({@code np.arange}, see {@code
 * weights/scripts/}): what is read equals what was set, on both backends and both Keras versions,
 * and the normalized kernels are what a TensorFlow model needs to compute what the saving model
 * computed (Theano's kernels flipped, as Keras 2's loader flips them).
 */
class KnownWeightsTest {

  static KerasModelFile read(String name) throws IOException {
    return KerasFiles.read(Resources.keras("weights/" + name));
  }

  @ParameterizedTest
  @CsvSource({
    "dense_tensorflow_1.h5, 1.2.2, tensorflow, dense_1_W:0, dense_1_b:0",
    "dense_theano_1.h5, 1.2.2, theano, dense_1_W, dense_1_b",
    "dense_tensorflow_2.h5, 2.1.3, tensorflow, dense_1/kernel:0, dense_1/bias:0",
    "dense_theano_2.h5, 2.1.3, theano, dense_1/kernel, dense_1/bias"})
  void denseKernelIsArange(String file, String version, String backend, String kernelName,
      String biasName) throws IOException {
    KerasModelFile f = read(file);
    assertEquals(version, f.kerasVersion());
    assertEquals(backend, f.backend());
    LayerWeights raw = f.layer("dense_1").orElseThrow();
    assertEquals(List.of(kernelName, biasName), raw.weights().stream().map(KerasWeight::name).toList());
    assertArrayEquals(new int[] {4, 6}, raw.get(0).shape());
    assertArrayEquals(Resources.arange(24), raw.get(0).values());
    assertArrayEquals(Resources.arange(6), raw.get(1).values());

    KerasModelFile n = KerasNormalizer.normalize(f, file);
    LayerWeights dense = n.layer("dense_1").orElseThrow();
    assertEquals("kernel", dense.get(0).name());
    assertEquals("bias", dense.get(1).name());
    assertArrayEquals(new int[] {4, 6}, dense.get(0).shape());
    assertArrayEquals(Resources.arange(24), dense.get(0).values());
    assertArrayEquals(Resources.arange(6), dense.get(1).values());
    assertEquals("Dense", n.modelConfig().path("config").path("layers").get(0).path("class_name").asText());
  }

  @ParameterizedTest
  @CsvSource({
    "conv2d_tensorflow_1.h5, tensorflow, convolution2d_1",
    "conv2d_theano_1.h5, theano, convolution2d_1",
    "conv2d_tensorflow_2.h5, tensorflow, conv2d_1",
    "conv2d_theano_2.h5, theano, conv2d_1"})
  void conv2dKernelIsArangeAndTheanoIsFlipped(String file, String backend, String layer)
      throws IOException {
    KerasModelFile f = read(file);
    assertEquals(backend, f.backend());
    LayerWeights raw = f.layer(layer).orElseThrow();
    // conv2d.py: weights = np.arange(3 * 3 * 5 * 6).reshape((3, 3, 5, 6)), bias = np.arange(6)
    assertArrayEquals(new int[] {3, 3, 5, 6}, raw.get(0).shape());
    assertArrayEquals(Resources.arange(270), raw.get(0).values());
    assertArrayEquals(Resources.arange(6), raw.get(1).values());

    KerasModelFile n = KerasNormalizer.normalize(f, file);
    KerasWeight kernel = n.layer(layer).orElseThrow().get(0);
    assertEquals("kernel", kernel.name());
    assertArrayEquals(new int[] {3, 3, 5, 6}, kernel.shape());
    float[] expected = backend.equals("theano") ? flippedArange() : Resources.arange(270);
    assertArrayEquals(expected, kernel.values());
    // value by value: kernel[r][c][i][o] of the TensorFlow model is the set value at [2-r][2-c][i][o]
    if (backend.equals("theano")) {
      assertEquals(((2 * 3 + 2) * 5 + 0) * 6 + 0, kernel.values()[0]);
      assertNotEquals(Resources.arange(270)[0], kernel.values()[0]);
    }
    assertArrayEquals(Resources.arange(6), n.layer(layer).orElseThrow().get(1).values());
  }

  /**
   * The same files imported as maxnorm models: the built layers' weights ({@code
   * Layer.weights()}, Keras order) hold what the scripts set, Theano's kernels flipped.
   */
  @ParameterizedTest
  @CsvSource({
    "dense_tensorflow_1.h5, dense_1, 24", "dense_theano_1.h5, dense_1, 24",
    "dense_tensorflow_2.h5, dense_1, 24", "dense_theano_2.h5, dense_1, 24",
    "conv2d_tensorflow_1.h5, convolution2d_1, 270", "conv2d_theano_1.h5, convolution2d_1, 270",
    "conv2d_tensorflow_2.h5, conv2d_1, 270", "conv2d_theano_2.h5, conv2d_1, 270",
    "sepconv2d_tensorflow_2.h5, separable_conv2d_1, 90"})
  void builtModelsHoldTheScriptsWeights(String file, String layer, int kernelSize)
      throws IOException {
    io.github.maxnorm.model.Model m = KerasModels.toModel(
        KerasNormalizer.normalize(read(file), file), file).model();
    List<io.github.maxnorm.nn.Parameter> ps = m.layer(layer).weights();
    float[] kernel = ps.get(0).variable().snapshot().toArray();
    boolean flipped = file.startsWith("conv2d_theano");
    assertArrayEquals(flipped ? flippedArange() : Resources.arange(kernelSize), kernel, file);
    if (file.startsWith("sepconv")) {
      assertEquals("[1, 1, 10, 6]", ps.get(1).shape().toString());
      assertArrayEquals(Resources.arange(60), ps.get(1).variable().snapshot().toArray());
    } else {
      assertArrayEquals(Resources.arange(6), ps.get(1).variable().snapshot().toArray(), file);
    }
  }

  /** np.arange(270).reshape(3, 3, 5, 6)[::-1, ::-1, :, :], written out by index. */
  static float[] flippedArange() {
    float[] out = new float[270];
    for (int r = 0; r < 3; r++) {
      for (int c = 0; c < 3; c++) {
        for (int i = 0; i < 5; i++) {
          for (int o = 0; o < 6; o++) {
            out[((r * 3 + c) * 5 + i) * 6 + o] = ((2 - r) * 3 + (2 - c)) * 5 * 6 + i * 6 + o;
          }
        }
      }
    }
    return out;
  }

  @Test
  void separableConvolutionKernelsAreArange() throws IOException {
    KerasModelFile f = read("sepconv2d_tensorflow_2.h5");
    KerasModelFile n = KerasNormalizer.normalize(f, "sepconv2d_tensorflow_2.h5");
    LayerWeights sep = n.layers().get(0);
    assertEquals(List.of("depthwise_kernel", "pointwise_kernel", "bias"),
        sep.weights().stream().map(KerasWeight::name).toList());
    // sepconv.py: depth (3, 3, 5, 2) and point (1, 1, 10, 6) are np.arange, bias zeros
    assertArrayEquals(new int[] {3, 3, 5, 2}, sep.get(0).shape());
    assertArrayEquals(Resources.arange(90), sep.get(0).values());
    assertArrayEquals(new int[] {1, 1, 10, 6}, sep.get(1).shape());
    assertArrayEquals(Resources.arange(60), sep.get(1).values());
    assertArrayEquals(new float[6], sep.get(2).values());
  }

  @ParameterizedTest
  @CsvSource({"lstm_tensorflow_1.h5", "lstm_theano_1.h5"})
  void keras1LstmGatesAreConcatenatedInKeras2Order(String file) throws IOException {
    KerasModelFile f = read(file);
    LayerWeights raw = f.layers().stream().filter(l -> l.size() > 0).findFirst().orElseThrow();
    assertEquals(12, raw.size());
    KerasModelFile n = KerasNormalizer.normalize(f, file);
    LayerWeights lstm = n.layer(raw.layerName()).orElseThrow();
    assertEquals(List.of("kernel", "recurrent_kernel", "bias"),
        lstm.weights().stream().map(KerasWeight::name).toList());
    // Keras 1 order: W_i U_i b_i, W_c U_c b_c, W_f U_f b_f, W_o U_o b_o; Keras 2: i, f, c, o
    int[] gate = {0, 6, 3, 9};
    for (int part = 0; part < 3; part++) {
      KerasWeight joined = lstm.get(part);
      int[] s = joined.shape();
      int units = 6;
      assertEquals(4 * units, s[s.length - 1]);
      int rows = joined.size() / (4 * units);
      for (int g = 0; g < 4; g++) {
        float[] src = raw.get(gate[g] + part).values();
        for (int r = 0; r < rows; r++) {
          for (int u = 0; u < units; u++) {
            assertEquals(src[r * units + u], joined.values()[r * 4 * units + g * units + u]);
          }
        }
      }
    }
  }

  @Test
  void keras2LstmKeepsItsThreeArrays() throws IOException {
    KerasModelFile n = KerasNormalizer.normalize(read("lstm_tensorflow_2.h5"), "lstm");
    LayerWeights lstm = n.layers().get(0);
    assertEquals("[1, 24]", Resources.shape(lstm.get(0)));
    assertEquals("[6, 24]", Resources.shape(lstm.get(1)));
    assertEquals("[24]", Resources.shape(lstm.get(2)));
  }

  @Test
  void keras1BatchNormalizationGetsKeras2Names() throws IOException {
    KerasModelFile f = read("batch_to_conv2d_theano_1.h5");
    KerasModelFile n = KerasNormalizer.normalize(f, "batch_to_conv2d_theano_1.h5");
    LayerWeights bn = n.layers().stream()
        .filter(l -> l.size() == 4).findFirst().orElseThrow();
    assertEquals(List.of("gamma", "beta", "moving_mean", "moving_variance"),
        bn.weights().stream().map(KerasWeight::name).toList());
  }

  @ParameterizedTest
  @CsvSource({"conv2d_reshape_tensorflow_1.h5", "conv2d_reshape_theano_1.h5",
      "conv2d_reshape_tensorflow_2.h5", "conv2d_reshape_theano_2.h5"})
  void reshapedConvolutionModelsNormalize(String file) throws IOException {
    KerasModelFile n = KerasNormalizer.normalize(read(file), file);
    List<String> kernels = n.layers().stream().filter(l -> l.size() > 0)
        .map(l -> Resources.shape(l.get(0))).toList();
    // conv2d_reshape.py reshapes the (3, 4, 6) output to (4, 3, 6) on TensorFlow and to (6, 4, 3)
    // on Theano (both read as channels_last), so the 1x1 convolution sees 6 or 3 channels
    List<String> expected = file.contains("theano")
        ? List.of("[3, 2, 5, 6]", "[1, 1, 3, 6]", "[144, 12]")
        : List.of("[3, 2, 5, 6]", "[1, 1, 6, 6]", "[72, 12]");
    assertEquals(expected, kernels);
  }
}

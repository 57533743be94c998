package io.github.maxnorm.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.maxnorm.data.Dataset;
import io.github.maxnorm.interop.keras.SharedCorpusTest;
import io.github.maxnorm.io.ModelFormatException;
import io.github.maxnorm.losses.Losses;
import io.github.maxnorm.model.FitOptions;
import io.github.maxnorm.model.History;
import io.github.maxnorm.model.Model;
import io.github.maxnorm.nn.Parameter;
import io.github.maxnorm.optim.SGD;
import io.github.maxnorm.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Models}: every kind of file in, every format out, and the seed's Keras 1 example. */
class ModelsTest {
  @TempDir Path tmp;

  /**
   * The seed's example, {@code Convolution2D(32, 3, 3, input_shape=(3, 32, 32),
   * border_mode='same', activation='relu', W_constraint=maxnorm(3))}, as Keras 1.2 serializes it
   * (Theano {@code th} ordering), with a classifier head: it loads, runs on channels-first input
   * and trains with its max-norm constraint applied.
   */
  static final String SEED_EXAMPLE = """
      {"class_name": "Sequential", "keras_version": "1.2.2", "config": [
       {"class_name": "Convolution2D", "config": {
        "name": "convolution2d_1", "trainable": true, "batch_input_shape": [null, 3, 32, 32],
        "input_dtype": "float32", "nb_filter": 32, "nb_row": 3, "nb_col": 3,
        "init": "glorot_uniform", "activation": "relu", "border_mode": "same",
        "subsample": [1, 1], "dim_ordering": "th", "W_regularizer": null, "b_regularizer": null,
        "activity_regularizer": null, "W_constraint": {"name": "MaxNorm", "m": 3, "axis": [1, 2, 3]},
        "b_constraint": null, "bias": true}},
       {"class_name": "Flatten", "config": {"name": "flatten_1", "trainable": true}},
       {"class_name": "Dense", "config": {"name": "dense_1", "trainable": true, "output_dim": 4,
        "init": "glorot_uniform", "activation": "softmax", "W_regularizer": null,
        "b_regularizer": null, "activity_regularizer": null, "W_constraint": null,
        "b_constraint": null, "bias": true, "input_dim": null}}]}""";

  @Test
  void seedExampleLoadsRunsAndTrainsWithItsMaxNorm() throws IOException {
    Path config = tmp.resolve("seed.json");
    Files.writeString(config, SEED_EXAMPLE);
    Models.Loaded l = Models.read(config, 7, true);
    Model m = l.model();
    assertEquals("[3, 32, 32]", m.inputShape().toString());
    assertEquals(false, l.weightsFromFile());
    Parameter kernel = m.layer("convolution2d_1").weights().get(0);
    assertEquals("[3, 3, 3, 32]", kernel.shape().toString());
    assertEquals("MaxNorm", io.github.maxnorm.nn.Constraints.toConfig(kernel.constraint())
        .className());
    int n = 16;
    float[] x = new float[n * 3 * 32 * 32];
    SplittableRandom r = new SplittableRandom(1);
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) r.nextDouble();
    }
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = i % 4;
    }
    Tensor out = m.predict(Tensor.of(x, n, 3, 32, 32));
    assertEquals("[16, 4]", out.shape().toString());
    m.compile(SGD.of(0.05), Losses.sparseCategoricalCrossentropy(false), "accuracy");
    History h = m.fit(Dataset.ofFloats(new int[] {3, 32, 32}, x, labels, 4),
        FitOptions.defaults().epochs(5).batchSize(8).seed(1));
    System.out.println("seed example: loss " + h.get("loss") + ", clipped "
        + h.get("convolution2d_1/kernel:clipped") + ", max unit norm "
        + h.get("convolution2d_1/kernel:max_norm"));
    assertTrue(h.last("loss") < h.get("loss").get(0), "loss falls " + h.get("loss"));
    // every filter's norm over (rows, cols, in) is at most 3 after each step
    float[] k = kernel.variable().snapshot().toArray();
    for (int f = 0; f < 32; f++) {
      double s = 0;
      for (int i = f; i < k.length; i += 32) {
        s += k[i] * k[i];
      }
      assertTrue(Math.sqrt(s) <= 3 + 1e-5, "filter " + f + " norm " + Math.sqrt(s));
    }
  }

  @Test
  void everyCorpusConfigParsesAndTheSupportedOnesBuild() throws IOException {
    List<Path> files = SharedCorpusTest.files("configs", ".json");
    int built = 0;
    Map<String, Integer> refused = new TreeMap<>();
    for (Path p : files) {
      try {
        Models.read(p, 0, true);
        built++;
      } catch (ModelFormatException e) {
        String why = e.getMessage().replaceFirst("^[^:]*: ", "")
            .replaceFirst("^layer '[^']*' \\(([A-Za-z0-9]+)\\).*$", "$1");
        refused.merge(why, 1, Integer::sum);
      }
    }
    System.out.printf("configs: %d of %d build; refused: %s%n", built, files.size(), refused);
    assertEquals(62, files.size());
    assertEquals(62, built + refused.values().stream().mapToInt(Integer::intValue).sum());
    assertTrue(built >= 30, "built " + built);
  }

  @Test
  void everyFormatOutComesBackWithTheSamePredictions() throws IOException {
    Path config = tmp.resolve("seed.json");
    Files.writeString(config, SEED_EXAMPLE);
    Model m = Models.read(config, 3, true).model();
    m.compile(SGD.of(0.1).withMomentum(0.9), Losses.sparseCategoricalCrossentropy(false),
        "accuracy");
    Tensor x = Tensor.full(0.5f, 2, 3, 32, 32);
    float[] want = m.predict(x).toArray();
    for (Models.Format f : List.of(Models.Format.MAXNORM, Models.Format.KERAS, Models.Format.H5,
        Models.Format.TFJS)) {
      Path p = tmp.resolve("out-" + f);
      Models.save(m, p, f);
      Model back = Models.load(p);
      assertArrayEquals(want, back.predict(x).toArray(), f.toString());
      assertTrue(back.compiled(), f + " keeps the training config");
    }
    Models.save(m, tmp.resolve("m.onnx"), Models.Format.ONNX);
    assertTrue(Files.size(tmp.resolve("m.onnx")) > 3 * 3 * 3 * 32 * 4);
  }

  /** A bare config declaring huge layers is refused before any weight is allocated. */
  @Test
  void aConfigDeclaringHugeLayersIsRefusedBeforeAllocating() throws IOException {
    for (int units : new int[] {40_000, 2_000_000_000}) {
      Path config = tmp.resolve("huge" + units + ".json");
      Files.writeString(config, "{\"class_name\": \"Sequential\", \"keras_version\": \"2.2.4\","
          + " \"config\": {\"name\": \"s\", \"layers\": [{\"class_name\": \"Dense\", \"config\":"
          + " {\"name\": \"d\", \"units\": " + units + ", \"batch_input_shape\": [null, 40000]}}]}}");
      ModelFormatException e = assertThrows(ModelFormatException.class,
          () -> Models.read(config, 0, true));
      assertTrue(e.getMessage().startsWith(config + ": layer 'd' (Dense): "), e.getMessage());
    }
  }

  @Test
  void aBareConfigIsRefusedWhereWeightsAreNeeded() throws IOException {
    Path config = tmp.resolve("seed.json");
    Files.writeString(config, SEED_EXAMPLE);
    ModelFormatException e = assertThrows(ModelFormatException.class, () -> Models.load(config));
    assertTrue(e.getMessage().endsWith("a model config without weights; give a model file with"
        + " weights (.keras, .h5, model.json or .maxnorm)"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Models.Format.parse("pdf"));
  }
}

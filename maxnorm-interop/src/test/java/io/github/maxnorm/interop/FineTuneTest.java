package io.github.maxnorm.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.maxnorm.data.Dataset;
import io.github.maxnorm.data.Datasets;
import io.github.maxnorm.data.TrainTest;
import io.github.maxnorm.interop.keras.KerasModelFile;
import io.github.maxnorm.interop.keras.KerasModels;
import io.github.maxnorm.interop.keras.KerasNormalizer;
import io.github.maxnorm.losses.Losses;
import io.github.maxnorm.model.FitOptions;
import io.github.maxnorm.model.History;
import io.github.maxnorm.model.Model;
import io.github.maxnorm.nn.Parameter;
import io.github.maxnorm.optim.SGD;
import io.github.maxnorm.tensor.Tensor;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fine-tuning a Keras model in maxnorm: {@code simpleconv2d.hdf5} (a Keras 2 channels-first CNN,
 * input {@code (1, 28, 28)}, 22 softmax outputs, saved uncompiled by {@code
 * weights/scripts/simpleconv2d.py}) is imported from {@code .h5}, given max-norm 3 on every kernel,
 * trained on the bundled MNIST sample (transposed to its channels-first layout), and saved back to
 * {@code .keras}, from which it loads with the same predictions and constraints.
 */
class FineTuneTest {
  @TempDir Path tmp;

  static Path resource(String rel) throws URISyntaxException {
    return Path.of(FineTuneTest.class.getResource("/keras/" + rel).toURI());
  }

  @Test
  void importedKerasModelFineTunesWithMaxNormAndSavesToKeras() throws Exception {
    Path h5 = resource("weights/simpleconv2d.hdf5");
    KerasModelFile canonical = KerasNormalizer.normalize(KerasFiles.read(h5), "simpleconv2d");
    Model m = KerasModels.toModel(KerasModels.withKernelMaxNorm(canonical, 3), "simpleconv2d")
        .model();
    List<String> constrained = m.parameters().stream().filter(p -> p.constraint() != null)
        .map(Parameter::path).toList();
    assertEquals(List.of("conv2d_1/kernel", "conv2d_2/kernel", "dense_1/kernel", "dense_2/kernel",
        "dense_3/kernel", "dense_4/kernel"), constrained);

    TrainTest tt = Datasets.mnistSample();
    int[] first = new int[2000];
    for (int i = 0; i < first.length; i++) {
      first[i] = i;
    }
    InputLayouts.Adapted train = InputLayouts.adapt(tt.train().subset(first), m.inputShape());
    assertEquals("the model is channels-first: transposed the samples from [28, 28, 1] to"
        + " [1, 28, 28]", train.note());
    Dataset test = InputLayouts.adapt(tt.test(), m.inputShape()).data();

    m.compile(SGD.of(0.1).withMomentum(0.9), Losses.sparseCategoricalCrossentropy(false),
        "accuracy");
    double before = m.evaluate(test, 500).get("accuracy");
    History h = m.fit(train.data(), FitOptions.defaults().epochs(3).batchSize(64).seed(1));
    double after = m.evaluate(test, 500).get("accuracy");
    List<Double> loss = h.get("loss");
    System.out.printf("fine-tune simpleconv2d: loss by epoch %s, test accuracy %.4f -> %.4f%n",
        loss, before, after);
    for (String p : constrained) {
      System.out.printf("  %s: clipped %s, max unit norm %s%n", p, h.get(p + ":clipped"),
          h.get(p + ":max_norm"));
      assertNotNull(h.get(p + ":clipped"), p);
      assertEquals(3, h.get(p + ":max_norm").size(), p);
    }
    assertTrue(loss.get(2) < loss.get(0), "loss falls: " + loss);
    assertTrue(after > 0.85, "test accuracy after fine-tuning " + after);
    // the constraint acted: some unit of some kernel grew past 3 and was projected back
    assertTrue(constrained.stream().anyMatch(p -> h.get(p + ":clipped").stream()
        .anyMatch(c -> c > 0)), "no kernel was ever projected");

    Path keras = tmp.resolve("simpleconv2d.keras");
    Models.save(m, keras, Models.Format.KERAS);
    Models.Loaded back = Models.read(keras, 0, false);
    Tensor x = test.batch(new int[] {0, 1, 2, 3}).x();
    assertArrayEquals(m.predict(x).toArray(), back.model().predict(x).toArray());
    assertTrue(back.model().compiled(), "the training config goes to the .keras file");
    JsonNode conv = KerasFiles.read(keras).modelConfig().path("config").path("layers").get(0)
        .path("config").path("kernel_constraint");
    assertEquals("MaxNorm", conv.path("class_name").asText(), conv.toString());
    assertEquals(3.0, conv.path("config").path("max_value").asDouble());
    assertEquals("[0,1,2]", conv.path("config").path("axis").toString());
    assertTrue(back.kind().startsWith("keras_zip"), back.kind());
  }
}

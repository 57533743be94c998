package io.github.maxnorm.interop.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.maxnorm.data.Dataset;
import io.github.maxnorm.interop.KerasFiles;
import io.github.maxnorm.model.FitOptions;
import io.github.maxnorm.model.History;
import io.github.maxnorm.model.Model;
import io.github.maxnorm.nn.Layer;
import io.github.maxnorm.nn.SymbolicTensor;
import io.github.maxnorm.tensor.Tensor;
import io.jhdf.api.Group;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Every model of {@code recorded/} in the shared corpus, imported as a maxnorm model, computes what
 * Keras recorded: every layer's activation and the predictions within {@value #RTOL} relative (plus
 * {@value #ATOL} absolute, for values near zero), and the recorded loss. Each model is imported
 * twice: from its full-model {@code *_model.h5} and from its {@code *_config.json} with its
 * weights-only {@code *_weights.h5}.
 */
class RecordedModelsTest {
  static final double RTOL = 1e-5;
  static final double ATOL = 1e-6;

  record Outcome(int values, double worstRelative) {}

  @Test
  void everyRecordedModelComputesWhatKerasRecorded() throws IOException {
    List<Path> models = SharedCorpusTest.files("recorded", "_model.h5");
    Map<String, String> report = new TreeMap<>();
    int checked = 0;
    long values = 0;
    double worst = 0;
    for (Path p : models) {
      String name = p.getFileName().toString();
      Path io = p.resolveSibling(name.replace("_model.h5", "_inputs_and_outputs.h5"));
      Path config = p.resolveSibling(name.replace("_model.h5", "_config.json"));
      Path weights = p.resolveSibling(name.replace("_model.h5", "_weights.h5"));
      assertTrue(Files.isRegularFile(io), io + " is missing");
      Model full = importFull(p);
      Outcome a = compare(full, io, name);
      Model split = KerasModels.toModel(KerasNormalizer.normalize(KerasFiles.read(weights),
          KerasFiles.read(config).modelConfig(), weights.getFileName().toString()),
          config.getFileName().toString()).model();
      Outcome b = compare(split, io, config.getFileName() + " + " + weights.getFileName());
      checked += 2;
      values += a.values() + b.values();
      worst = Math.max(worst, Math.max(a.worstRelative(), b.worstRelative()));
      report.put(name, String.format("%d values, worst relative error %.2e", a.values(),
          a.worstRelative()));
    }
    report.forEach((k, v) -> System.out.println("recorded " + k + ": " + v));
    System.out.printf("recorded: %d models imported %d times, %d values compared, worst relative"
        + " error %.2e%n", models.size(), checked, values, worst);
    assertEquals(69, models.size(), "models in recorded/");
  }

  static Model importFull(Path p) throws IOException {
    String name = p.getFileName().toString();
    return KerasModels.toModel(KerasNormalizer.normalize(KerasFiles.read(p), name), name).model();
  }

  /** Compares every recorded activation and the predictions; returns what was compared. */
  static Outcome compare(Model m, Path ioFile, String what) throws IOException {
    try (Hdf5In in = Hdf5In.open(ioFile, ioFile.getFileName().toString(),
        KerasReadLimits.defaults())) {
      Tensor x = only(in, "inputs");
      List<String> layers = in.childNames(in.group(in.root(), "activations"));
      List<SymbolicTensor> outs = new ArrayList<>();
      for (String l : layers) {
        outs.add(node(m, l));
      }
      Model probe = new Model("probe", m.inputs(), outs);
      probe.build(new java.util.SplittableRandom(0));
      List<Tensor> got = probe.predict(List.of(x));
      int n = 0;
      double worst = 0;
      Group acts = in.group(in.root(), "activations");
      for (int i = 0; i < layers.size(); i++) {
        KerasWeight want = in.weight(acts, layers.get(i), layers.get(i), "activations");
        worst = Math.max(worst, close(got.get(i), want, what + " activation of " + layers.get(i)));
        n += want.size();
      }
      Tensor pred = m.predict(x);
      KerasWeight want = onlyWeight(in, "predictions");
      worst = Math.max(worst, close(pred, want, what + " predictions"));
      n += want.size();
      return new Outcome(n, worst);
    }
  }

  static Tensor only(Hdf5In in, String group) throws IOException {
    KerasWeight w = onlyWeight(in, group);
    return Tensor.of(w.values(), w.shape());
  }

  static KerasWeight onlyWeight(Hdf5In in, String group) throws IOException {
    Group g = in.group(in.root(), group);
    List<String> names = in.childNames(g);
    assertEquals(1, names.size(), group + ": " + names);
    return in.weight(g, names.get(0), names.get(0), group);
  }

  /** The output of the (only) node of the layer named {@code name}. */
  static SymbolicTensor node(Model m, String name) {
    Layer l = m.layer(name);
    for (SymbolicTensor t : m.nodes()) {
      if (t.layer() == l) {
        return t;
      }
    }
    throw new AssertionError(name + " has no node in " + m.name());
  }

  /** Asserts closeness; returns the worst relative error among values above {@link #ATOL}. */
  static double close(Tensor got, KerasWeight want, String what) {
    assertTrue(Arrays.equals(got.shape().dims(), want.shape()),
        what + ": shape " + got.shape() + ", Keras " + Arrays.toString(want.shape()));
    float[] g = got.toArray();
    float[] w = want.values();
    double worst = 0;
    for (int i = 0; i < g.length; i++) {
      double err = Math.abs(g[i] - w[i]);
      assertTrue(err <= RTOL * Math.abs(w[i]) + ATOL,
          what + " [" + i + "]: " + g[i] + ", Keras " + w[i]);
      if (Math.abs(w[i]) > ATOL) {
        worst = Math.max(worst, err / Math.abs(w[i]));
      }
    }
    return worst;
  }

  /**
   * {@code cnn_batch_norm/}: Conv2D, BatchNormalization, ReLU, Conv2D, Flatten, Dense (Keras 2,
   * {@code conv_batch.py}), whose input and predictions Keras's {@code predict.py} saved as
   * {@code .npy}. numpy read them into the frozen fixture {@code consumers/cnn-batch-norm-npy.json}
   * ({@code consumers/run.sh}); the files' SHA-256 is checked against it, and maxnorm's predictions
   * against Keras's within 1e-5 relative (and the five values {@code predict.py} asserts).
   */
  @Test
  void cnnWithBatchNormalizationPredictsWhatKerasSaved() throws IOException {
    Path dir = SharedCorpusTest.files("recorded", "_model.h5").get(0).getParent().getParent()
        .resolve("cnn_batch_norm");
    JsonNode npy = ConsumerInputs.json(Resources.keras("README.md").getParent().getParent()
        .resolve("consumers").resolve("cnn-batch-norm-npy.json")).path("files");
    for (String f : List.of("input.npy", "predictions.npy")) {
      assertEquals(npy.path(f).path("sha256").asText(), ConsumerInputs.sha256(dir.resolve(f)), f);
    }
    Model m = importFull(dir.resolve("cnn_batch_norm.h5"));
    JsonNode in = npy.path("input.npy");
    float[] x = new float[in.path("values").size()];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) in.path("values").get(i).asDouble();
    }
    assertEquals("[5,10,10,3]", in.path("shape").toString());
    float[] got = m.predict(Tensor.of(x, 5, 10, 10, 3)).toArray();
    JsonNode want = npy.path("predictions.npy").path("values");
    assertEquals(want.size(), got.length);
    double[] asserted = {-0.0520611, 0.04986075, 0.16297522, 0.15389983, 0.15537278};
    for (int i = 0; i < got.length; i++) {
      double w = want.get(i).asDouble();
      assertTrue(Math.abs(got[i] - w) <= RTOL * Math.abs(w) + ATOL, i + ": " + got[i] + ", Keras "
          + w);
      assertEquals(asserted[i], got[i], 1e-6, "predict.py's assertion " + i);
    }
    System.out.println("cnn_batch_norm: " + Arrays.toString(got));
  }

  /**
   * The recorded loss of the MLP with a sparse categorical cross-entropy. The file records the
   * inputs and the loss but not the labels: of the 27 possible labels of its three samples only
   * {@code [0, 1, 2]} give the recorded loss from the recorded predictions (found with h5py and
   * numpy; each other choice is off by more than 0.05), so those are the labels Keras evaluated.
   */
  @Test
  void sparseCrossEntropyMlpGivesTheRecordedLoss() throws IOException {
    Path dir = SharedCorpusTest.files("recorded", "_model.h5").get(0).getParent().getParent()
        .resolve("simple_sparse_xent");
    Model m = importFull(dir.resolve("simple_sparse_xent_mlp_keras_2_model.h5"));
    assertTrue(m.compiled(), "the training config (RMSprop, sparse_categorical_crossentropy,"
        + " accuracy) is restored");
    assertEquals("RMSprop", m.optimizer().config().config().className());
    Path io = dir.resolve("simple_sparse_xent_mlp_keras_2_inputs_and_outputs.h5");
    try (Hdf5In in = Hdf5In.open(io, io.getFileName().toString(), KerasReadLimits.defaults())) {
      Tensor x = only(in, "inputs");
      float loss = in.weight(in.group(in.root(), "scores"), "loss", "loss", "scores").values()[0];
      Dataset data = Dataset.ofFloats(new int[] {4}, x.toArray(), new int[] {0, 1, 2}, 3);
      double got = m.evaluate(data, 3).get("loss");
      System.out.printf("simple_sparse_xent: loss %.7f, Keras recorded %.7f%n", got, loss);
      assertEquals(loss, got, RTOL * loss);
      // the restored training config trains again
      History h = m.fit(data, FitOptions.defaults().epochs(20).batchSize(3).seed(1));
      List<Double> losses = h.get("loss");
      System.out.println("simple_sparse_xent fit again with its RMSprop: loss " + losses.get(0)
          + " -> " + losses.get(19));
      assertTrue(losses.get(19) < losses.get(0), losses.toString());
    }
  }

}

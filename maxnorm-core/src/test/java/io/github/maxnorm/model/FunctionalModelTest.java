package io.github.maxnorm.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.maxnorm.data.Dataset;
import io.github.maxnorm.io.ModelFormatException;
import io.github.maxnorm.losses.Losses;
import io.github.maxnorm.nn.Config;
import io.github.maxnorm.nn.Constraints;
import io.github.maxnorm.nn.Parameter;
import io.github.maxnorm.nn.SymbolicTensor;
import io.github.maxnorm.nn.layers.Activation;
import io.github.maxnorm.nn.layers.ActivityRegularization;
import io.github.maxnorm.nn.layers.Add;
import io.github.maxnorm.nn.layers.BatchNormalization;
import io.github.maxnorm.nn.layers.Concatenate;
import io.github.maxnorm.nn.layers.Dense;
import io.github.maxnorm.nn.layers.Dropout;
import io.github.maxnorm.nn.layers.Input;
import io.github.maxnorm.optim.Adam;
import io.github.maxnorm.optim.SGD;
import io.github.maxnorm.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keras's functional API: graphs with branches, merges, shared layers, several inputs and
 * outputs; frozen layers and non-trainable weights; float targets; saving graphs.
 */
class FunctionalModelTest {
  @TempDir Path dir;

  /** x -> dense -> (dense a, dense b) -> add -> softmax, with max-norm on every kernel. */
  private static Model branchy(String name) {
    SymbolicTensor x = Input.of("features", 6);
    SymbolicTensor h = new Dense(12).activation("relu").kernelConstraint(Constraints.maxNorm(2))
        .apply(x);
    SymbolicTensor a = new Dense(8).activation("relu").kernelConstraint(Constraints.maxNorm(2))
        .apply(h);
    SymbolicTensor b = new Dense(8).activation("tanh").apply(h);
    SymbolicTensor y = new Dense(3).activation("softmax").kernelConstraint(Constraints.maxNorm(2))
        .apply(new Add().apply(a, b));
    return new Model(name, List.of(x), List.of(y));
  }

  private static int[] bits(Tensor t) {
    return Bits.of(t);
  }

  @Test
  void graphTrainsSavesAndLoadsBitForBit() throws IOException {
    Dataset d = TinyData.random(300, 6, 3, 11);
    Model m = branchy("branchy");
    m.compile(SGD.of(0.2).withMomentum(0.9), Losses.sparseCategoricalCrossentropy(false),
        "accuracy");
    History h = m.fit(d, FitOptions.defaults().epochs(6).batchSize(25).seed(2));
    List<Double> loss = h.get("loss");
    assertTrue(loss.get(loss.size() - 1) < loss.get(0) * 0.8, "loss falls: " + loss);
    assertTrue(h.get("dense/kernel:clipped") != null, "constraint activity is recorded");
    // the layer names are made unique in graph order, Keras-style
    assertEquals(List.of("features", "dense", "dense_1", "dense_2", "add", "dense_3"),
        m.layers().stream().map(l -> l.name()).toList());
    String summary = m.summary();
    assertTrue(summary.contains("Connected to"), summary);
    assertTrue(summary.contains("dense_1[0][0], dense_2[0][0]"), summary);

    Path file = dir.resolve("branchy.maxnorm");
    ModelIO.save(m, file);
    Model back = ModelIO.load(file);
    assertFalse(back instanceof Sequential);
    Tensor x = d.all().x();
    assertArrayEquals(bits(m.predict(x)), bits(back.predict(x)));
    assertEquals(ModelIO.config(m).toJsonString(), ModelIO.config(back).toJsonString());
    // resuming continues exactly as the original
    FitOptions more = FitOptions.defaults().initialEpoch(6).epochs(8).batchSize(25).seed(2);
    m.fit(d, more);
    back.fit(d, more);
    assertArrayEquals(bits(m.predict(x)), bits(back.predict(x)));
  }

  @Test
  void severalInputsAndOutputsPredict() {
    SymbolicTensor a = Input.of("a", 4);
    SymbolicTensor b = Input.of("b", 3);
    Dense shared = new Dense(5).name("shared");
    SymbolicTensor ha = shared.apply(a);
    SymbolicTensor hb = shared.apply(new Dense(4).apply(b));
    SymbolicTensor cat = new Concatenate().apply(ha, hb);
    SymbolicTensor out1 = new Dense(2).name("out1").apply(cat);
    SymbolicTensor out2 = new Activation("sigmoid").apply(hb);
    Model m = new Model("two", List.of(a, b), List.of(out1, out2));
    m.build(new SplittableRandom(1));
    // the shared layer is built once and owns one kernel and one bias
    assertEquals(2, shared.weights().size());
    assertEquals(2 + 2 + 2, m.weights().size());
    Tensor xa = Tensor.randomUniform(new SplittableRandom(2), -1, 1, 3, 4);
    Tensor xb = Tensor.randomUniform(new SplittableRandom(3), -1, 1, 3, 3);
    List<Tensor> outs = m.predict(List.of(xa, xb));
    assertArrayEquals(new int[] {3, 2}, outs.get(0).shape().dims());
    assertArrayEquals(new int[] {3, 5}, outs.get(1).shape().dims());
    // the second output is sigmoid(shared(dense(b))), computed by hand
    Tensor viaLayers = shared.forward(m.layer("dense").forward(xb,
        io.github.maxnorm.nn.ForwardContext.INFERENCE), io.github.maxnorm.nn.ForwardContext.INFERENCE)
        .sigmoid();
    assertArrayEquals(bits(viaLayers), bits(outs.get(1)));
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> m.predict(xa));
    assertTrue(e.getMessage().contains("one input and one output"), e.getMessage());
    String summary = m.summary();
    assertTrue(summary.contains("shared (Dense)"), summary);
    // a graph with several inputs and outputs round-trips through its config
    Model again = ModelIO.fromConfig(Config.fromJson(ModelIO.config(m).toJsonString()));
    assertEquals(ModelIO.config(m).toJsonString(), ModelIO.config(again).toJsonString());
  }

  @Test
  void frozenLayersKeepTheirWeightsAndCountAsNonTrainable() {
    Dataset d = TinyData.random(200, 6, 3, 4);
    SymbolicTensor x = Input.of(6);
    Dense frozen = new Dense(10).activation("relu").name("frozen");
    SymbolicTensor y = new Dense(3).activation("softmax").apply(frozen.apply(x));
    Model m = new Model(x, y);
    m.build(new SplittableRandom(3));
    frozen.trainable(false);
    float[] before = frozen.weights().get(0).variable().data().clone();
    m.compile(SGD.of(0.5), Losses.sparseCategoricalCrossentropy(false));
    assertEquals(2, m.parameters().size());
    assertEquals(6 * 10 + 10, m.countParams() - m.countTrainableParams());
    m.fit(d, FitOptions.defaults().epochs(2).batchSize(20).seed(1));
    assertArrayEquals(before, frozen.weights().get(0).variable().data());
    assertTrue(m.summary().contains("Non-trainable params: 70"), m.summary());
    assertTrue(m.summary().contains("[frozen]"), m.summary());
  }

  @Test
  void batchNormalizationStatisticsMoveInTrainingAndAreSaved() throws IOException {
    Dataset d = TinyData.random(120, 6, 3, 5);
    SymbolicTensor x = Input.of(6);
    BatchNormalization bn = new BatchNormalization().momentum(0.5);
    SymbolicTensor y = new Dense(3).activation("softmax").apply(bn.apply(new Dense(8).apply(x)));
    Model m = new Model(x, y);
    m.compile(Adam.of(0.01), Losses.sparseCategoricalCrossentropy(false), "accuracy");
    m.fit(d, FitOptions.defaults().epochs(1).batchSize(40).seed(6));
    Parameter movingMean = bn.weights().get(2);
    assertEquals("moving_mean", movingMean.name());
    assertFalse(movingMean.trainable());
    assertTrue(m.parameters().stream().noneMatch(p -> p.name().startsWith("moving")));
    float[] mean = movingMean.variable().data().clone();
    assertTrue(java.util.Arrays.stream(bits(Tensor.of(mean, mean.length))).anyMatch(v -> v != 0),
        "moved away from zero");
    // inference uses the moving statistics: predicting twice gives the same output
    Tensor in = d.all().x();
    assertArrayEquals(bits(m.predict(in)), bits(m.predict(in)));
    assertArrayEquals(mean, movingMean.variable().data());
    Path file = dir.resolve("bn.maxnorm");
    ModelIO.save(m, file);
    Model back = ModelIO.load(file);
    assertArrayEquals(mean, back.weights().stream()
        .filter(p -> p.path().equals(movingMean.path())).findFirst().orElseThrow()
        .variable().data());
    assertArrayEquals(bits(m.predict(in)), bits(back.predict(in)));
  }

  @Test
  void regressionWithFloatTargets() {
    SplittableRandom r = new SplittableRandom(9);
    int n = 256;
    float[] xs = new float[n * 3];
    float[] ys = new float[n * 2];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < 3; j++) {
        xs[i * 3 + j] = (float) r.nextDouble(-1, 1);
      }
      ys[i * 2] = 2 * xs[i * 3] - xs[i * 3 + 1] + 0.5f;
      ys[i * 2 + 1] = xs[i * 3 + 2] * xs[i * 3 + 2];
    }
    Dataset d = Dataset.ofTargets(new int[] {3}, xs, new int[] {2}, ys);
    for (String loss : List.of("mse", "mae", "huber")) {
      Sequential m = new Sequential().add(new Dense(16).inputShape(3).activation("tanh"))
          .add(new Dense(2));
      m.compile(Adam.of(0.01), Losses.byName(loss), "mae", "mse");
      History h = m.fit(d, FitOptions.defaults().epochs(30).batchSize(32).seed(1));
      List<Double> mae = h.get("mae");
      assertTrue(mae.get(mae.size() - 1) < mae.get(0) * 0.5, loss + ": mae falls " + mae);
      Map<String, Double> ev = m.evaluate(d, 64);
      assertTrue(ev.get("mse") < 0.05, loss + ": " + ev);
    }
  }

  @Test
  void oneHotTargetsTrainLikeLabels() {
    Dataset labelled = TinyData.random(200, 6, 3, 7);
    float[] x = new float[200 * 6];
    float[] t = new float[200 * 3];
    for (int i = 0; i < 200; i++) {
      labelled.batch(new int[] {i}).x().copyTo(x, i * 6);
      t[i * 3 + labelled.label(i)] = 1f;
    }
    Dataset oneHot = Dataset.ofTargets(new int[] {6}, x, new int[] {3}, t);
    double[] acc = new double[2];
    int k = 0;
    for (Dataset d : List.of(labelled, oneHot)) {
      Model m = branchy("m");
      m.compile(SGD.of(0.2).withMomentum(0.9),
          Losses.categoricalCrossentropy(false), "accuracy");
      History h = m.fit(d, FitOptions.defaults().epochs(5).batchSize(20).seed(3));
      acc[k++] = h.get("accuracy").get(4);
    }
    assertEquals(acc[0], acc[1], 0.02, "one-hot and label targets train alike");
    assertTrue(acc[1] > 0.6, "accuracy " + acc[1]);
  }

  @Test
  void activityPenaltyCountsInTheReportedLoss() {
    Dataset d = TinyData.random(50, 6, 3, 8);
    SymbolicTensor x = Input.of(6);
    SymbolicTensor h = new Dense(4).apply(x);
    SymbolicTensor y = new Dense(3).activation("softmax").apply(h);
    Model plain = new Model(x, y);
    plain.build(new SplittableRandom(1));
    plain.compile(SGD.of(0.1), Losses.sparseCategoricalCrossentropy(false));
    double base = plain.evaluate(d, 50).get("loss");
    SymbolicTensor x2 = Input.of(6);
    Dense d1 = new Dense(4);
    Dense d2 = new Dense(3).activation("softmax");
    Model reg = new Model(x2, d2.apply(new ActivityRegularization(0.0, 0.5).apply(d1.apply(x2))));
    reg.build(new SplittableRandom(1));
    reg.compile(SGD.of(0.1), Losses.sparseCategoricalCrossentropy(false));
    double penalized = reg.evaluate(d, 50).get("loss");
    Tensor act = d1.forward(d.all().x(), io.github.maxnorm.nn.ForwardContext.INFERENCE);
    double expected = 0.5 * act.square().sum().item() / 50;
    assertEquals(base + expected, penalized, 1e-4);
  }

  @Test
  void sharedDropoutDrawsANewMaskPerCall() {
    SymbolicTensor x = Input.of(200);
    Dropout drop = new Dropout(0.5);
    Model m = new Model(List.of(x), List.of(drop.apply(x), drop.apply(x)));
    m.build(new SplittableRandom(1));
    List<Tensor> outs = m.forward(List.of(Tensor.ones(1, 200)),
        io.github.maxnorm.nn.ForwardContext.training(4));
    assertNotEquals(java.util.Arrays.toString(outs.get(0).toArray()),
        java.util.Arrays.toString(outs.get(1).toArray()));
  }

  @Test
  void badGraphsAreRefused() {
    SymbolicTensor a = Input.of(3);
    SymbolicTensor b = Input.of(3);
    SymbolicTensor y = new Add().apply(a, b);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Model(a, y));
    assertTrue(e.getMessage().contains("not among the model's inputs"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new Model(new Dense(2).apply(a), y));
    assertTrue(e.getMessage().contains("Input.of"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new Add().apply(a));
    assertTrue(e.getMessage().contains("at least 2"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new Add().apply(a, Input.of(4)));
    assertTrue(e.getMessage().contains("cannot merge"), e.getMessage());
    Dense shared = new Dense(2);
    shared.apply(a);
    e = assertThrows(IllegalArgumentException.class, () -> shared.apply(Input.of(5)));
    assertTrue(e.getMessage().contains("shares its weights"), e.getMessage());
    SymbolicTensor c = Input.of(3);
    e = assertThrows(IllegalArgumentException.class, () -> new Model(List.of(c),
        List.of(new Dense(2).name("same").apply(c), new Dense(2).name("same").apply(c))));
    assertTrue(e.getMessage().contains("named same"), e.getMessage());
  }

  @Test
  void badConfigsAreRefused(@TempDir Path tmp) {
    String input = "{\"class_name\":\"InputLayer\",\"config\":{\"batch_input_shape\":[null,3],"
        + "\"name\":\"in\"},\"name\":\"in\",\"inbound_nodes\":[]}";
    String cyclic = "{\"class_name\":\"Functional\",\"config\":{\"name\":\"m\",\"layers\":["
        + input + ",{\"class_name\":\"Dense\",\"config\":{\"units\":3,\"name\":\"a\"},"
        + "\"name\":\"a\",\"inbound_nodes\":[[[\"b\",0,0,{}]]]},"
        + "{\"class_name\":\"Dense\",\"config\":{\"units\":3,\"name\":\"b\"},"
        + "\"name\":\"b\",\"inbound_nodes\":[[[\"a\",0,0,{}]]]}],"
        + "\"input_layers\":[[\"in\",0,0]],\"output_layers\":[[\"b\",0,0]]}}";
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ModelIO.fromConfig(Config.fromJson(cyclic)));
    assertTrue(e.getMessage().contains("cycle"), e.getMessage());
    String unknown = cyclic.replace("[[[\"b\",0,0,{}]]]", "[[[\"nope\",0,0,{}]]]");
    e = assertThrows(IllegalArgumentException.class,
        () -> ModelIO.fromConfig(Config.fromJson(unknown)));
    assertTrue(e.getMessage().contains("unknown layer nope"), e.getMessage());
    String lambda = cyclic.replace("\"class_name\":\"Dense\",\"config\":{\"units\":3,\"name\":\"a\"}",
        "\"class_name\":\"Lambda\",\"config\":{\"name\":\"a\"}");
    e = assertThrows(IllegalArgumentException.class,
        () -> ModelIO.fromConfig(Config.fromJson(lambda)));
    assertTrue(e.getMessage().contains("unknown layer 'Lambda'"), e.getMessage());
    assertTrue(e.getMessage().contains("BatchNormalization"), e.getMessage());
  }

  @Test
  void fitTakesOneInputAndOneOutput() {
    SymbolicTensor a = Input.of(3);
    Model m = new Model(List.of(a), List.of(new Dense(2).apply(a), new Dense(3).apply(a)));
    m.compile(SGD.of(0.1), Losses.meanSquaredError());
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> m.fit(TinyData.random(10, 3, 2, 1), FitOptions.defaults().epochs(1)));
    assertTrue(e.getMessage().contains("one input and one output"), e.getMessage());
  }

  @Test
  void loadingRefusesWeightsThatDoNotMatchTheGraph() throws IOException {
    Model m = branchy("m");
    m.build(new SplittableRandom(1));
    Path file = dir.resolve("m.maxnorm");
    ModelIO.save(m, file);
    io.github.maxnorm.io.ModelArchive a = io.github.maxnorm.io.ModelFiles.load(file);
    // a config whose first dense layer is wider than the stored kernel is refused before building
    String json = ModelIO.config(m).toJsonString().replace("\"units\":12", "\"units\":13");
    Path wider = dir.resolve("wider.maxnorm");
    io.github.maxnorm.io.ModelFiles.save(wider, new io.github.maxnorm.io.ModelArchive(
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(json), a.weights(),
        a.optimizerState(), a.trainingState()));
    ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelIO.load(wider));
    assertTrue(e.getMessage().contains("dense/kernel have shape [6, 12], the config describes"
        + " [6, 13]"), e.getMessage());
  }
}

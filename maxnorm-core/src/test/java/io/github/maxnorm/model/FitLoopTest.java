package io.github.maxnorm.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.maxnorm.data.Dataset;
import io.github.maxnorm.losses.Losses;
import io.github.maxnorm.nn.Constraints;
import io.github.maxnorm.nn.Parameter;
import io.github.maxnorm.nn.Regularizers;
import io.github.maxnorm.nn.layers.Dense;
import io.github.maxnorm.nn.layers.Dropout;
import io.github.maxnorm.optim.SGD;
import io.github.maxnorm.tensor.GradMode;
import io.github.maxnorm.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FitLoopTest {

  private static Sequential model(double l2) {
    Dense hidden = new Dense(16).inputShape(6).activation("relu")
        .kernelConstraint(Constraints.maxNorm(1.5));
    if (l2 > 0) {
      hidden.kernelRegularizer(Regularizers.l2(l2));
    }
    Sequential m = new Sequential()
        .add(new Dropout(0.2).inputShape(6))
        .add(hidden)
        .add(new Dropout(0.5))
        .add(new Dense(3).activation("softmax").kernelConstraint(Constraints.maxNorm(1.5)));
    m.compile(SGD.of(0.2).withMomentum(0.9), Losses.sparseCategoricalCrossentropy(false),
        "accuracy");
    return m;
  }

  private static float[][] weights(Model m) {
    List<Parameter> ps = m.parameters();
    float[][] w = new float[ps.size()][];
    for (int i = 0; i < w.length; i++) {
      w[i] = ps.get(i).variable().data().clone();
    }
    return w;
  }

  @Test
  void lossFallsAndConstraintHolds() {
    Dataset d = TinyData.random(200, 6, 3, 3);
    Sequential m = model(0);
    History h = m.fit(d, FitOptions.defaults().epochs(8).batchSize(20).seed(5));
    List<Double> loss = h.get("loss");
    assertTrue(loss.get(loss.size() - 1) < loss.get(0) * 0.9, "loss falls: " + loss);
    for (Parameter p : m.parameters()) {
      if (p.name().equals("kernel")) {
        int in = p.shape().dim(0);
        int out = p.shape().dim(1);
        float[] w = p.variable().data();
        for (int j = 0; j < out; j++) {
          double s = 0;
          for (int i = 0; i < in; i++) {
            s += (double) w[i * out + j] * w[i * out + j];
          }
          assertTrue(Math.sqrt(s) <= 1.5 * (1 + 1e-6), p.path() + " unit " + j + " norm " + Math.sqrt(s));
        }
      }
    }
    assertTrue(h.keys().contains("dense/kernel:clipped"), h.keys().toString());
    assertTrue(h.keys().contains("dense_1/kernel:max_norm"), h.keys().toString());
    assertTrue(h.last("dense/kernel:max_norm") > 0);
  }

  @Test
  void sameSeedSameWeightsOtherSeedOther() {
    Dataset d = TinyData.random(100, 6, 3, 4);
    Sequential a = model(0);
    a.fit(d, FitOptions.defaults().epochs(2).batchSize(16).seed(9));
    Sequential b = model(0);
    b.fit(d, FitOptions.defaults().epochs(2).batchSize(16).seed(9));
    Sequential c = model(0);
    c.fit(d, FitOptions.defaults().epochs(2).batchSize(16).seed(10));
    float[][] wa = weights(a);
    float[][] wb = weights(b);
    for (int i = 0; i < wa.length; i++) {
      assertArrayEquals(wa[i], wb[i]);
    }
    assertTrue(!java.util.Arrays.equals(wa[0], weights(c)[0]));
  }

  @Test
  void reportedLossIncludesRegularization() {
    Dataset d = TinyData.random(40, 6, 3, 5);
    Sequential m = model(0.01);
    m.fit(d, FitOptions.defaults().epochs(1).batchSize(8).seed(1));
    double withPenalty = m.evaluate(d, 40).get("loss");
    double ce;
    try (GradMode.Scope ignored = GradMode.off()) {
      Tensor probs = m.predict(d.all().x());
      ce = Losses.sparseCategoricalCrossentropy(false).compute(probs, d.labels()).item();
    }
    double sq = 0;
    for (float v : m.parameters().get(0).variable().data()) {
      sq += (double) v * v;
    }
    assertEquals(ce + 0.01 * sq, withPenalty, 1e-4);
  }

  @Test
  void resumeFromSavedModelIsBitIdentical(@TempDir Path dir) throws Exception {
    Dataset d = TinyData.random(90, 6, 3, 6);
    FitOptions opt = FitOptions.defaults().batchSize(16).seed(21).validationSplit(0.2);
    Sequential straight = model(0.001);
    straight.fit(d, opt.epochs(3));

    Sequential first = model(0.001);
    first.fit(d, opt.epochs(1));
    Path file = dir.resolve("m.maxnorm");
    ModelIO.save(first, file);
    assertTrue(Files.size(file) > 0);
    Model resumed = ModelIO.load(file);
    assertEquals(1, resumed.epochsCompleted());
    History h = resumed.fit(d, opt.initialEpoch(resumed.epochsCompleted()).epochs(3));
    assertEquals(List.of(1, 2), h.epochs());
    float[][] ws = weights(straight);
    float[][] wr = weights(resumed);
    for (int i = 0; i < ws.length; i++) {
      assertArrayEquals(ws[i], wr[i], "parameter " + i);
    }
    assertEquals(straight.optimizer().iterations(), resumed.optimizer().iterations());
    Map<String, Double> es = straight.evaluate(d, 30);
    Map<String, Double> er = resumed.evaluate(d, 30);
    assertEquals(es, er);
  }
}

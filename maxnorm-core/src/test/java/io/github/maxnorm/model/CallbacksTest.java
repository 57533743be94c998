package io.github.maxnorm.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.maxnorm.data.Dataset;
import io.github.maxnorm.losses.Losses;
import io.github.maxnorm.nn.layers.Dense;
import io.github.maxnorm.optim.SGD;
import io.github.maxnorm.optim.Schedules;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CallbacksTest {

  private static Sequential model(double lr) {
    Sequential m = new Sequential()
        .add(new Dense(8).inputShape(5).activation("relu"))
        .add(new Dense(3).activation("softmax"));
    m.compile(SGD.of(lr).withMomentum(0.5), Losses.sparseCategoricalCrossentropy(false),
        "accuracy");
    return m;
  }

  @Test
  void terminateOnNaNStopsAtTheFirstBadStep() {
    Dataset d = TinyData.random(64, 5, 3, 1);
    Sequential m = model(1e30);
    History h = m.fit(d, FitOptions.defaults().epochs(5).batchSize(8).seed(1)
        .callbacks(new TerminateOnNaN()));
    assertTrue(h.diverged(), "diverged");
    assertEquals(0, h.divergedEpoch());
    assertEquals(h.epochs().size(), 1, "stopped in the first epoch");
    assertTrue(h.divergedStep() >= 0 && h.divergedStep() < 8);
  }

  @Test
  void schedulesSetLearningRateAndMomentumPerEpoch() {
    Dataset d = TinyData.random(32, 5, 3, 2);
    Sequential m = model(0.1);
    History h = m.fit(d, FitOptions.defaults().epochs(3).batchSize(16).seed(1).callbacks(
        new LearningRateScheduler(Schedules.exponential(0.5)),
        new MomentumScheduler(Schedules.linear(0.5, 0.9, 2))));
    List<Double> lr = h.get("lr");
    assertEquals(0.1, lr.get(0), 1e-12);
    assertEquals(0.05, lr.get(1), 1e-12);
    assertEquals(0.025, lr.get(2), 1e-12);
    assertEquals(0.9, m.optimizer().momentum(), 1e-12);
  }

  @Test
  void earlyStoppingStopsWhenTheMonitorDoesNotImprove() {
    Dataset d = TinyData.random(64, 5, 3, 3);
    Sequential m = model(0.05);
    // a monitor that can never improve by min_delta 10: stops after patience + 1 epochs
    EarlyStopping es = new EarlyStopping("loss", 1, 10.0, true);
    History h = m.fit(d, FitOptions.defaults().epochs(20).batchSize(16).seed(1).callbacks(es));
    assertEquals(3, h.epochs().size());
    assertEquals(0, es.bestEpoch());
  }

  @Test
  void csvLoggerAndCheckpointWriteFiles(@TempDir Path dir) throws Exception {
    Dataset d = TinyData.random(60, 5, 3, 4);
    Sequential m = model(0.1);
    Path csv = dir.resolve("history.csv");
    Path ckpt = dir.resolve("model.maxnorm");
    m.fit(d, FitOptions.defaults().epochs(2).batchSize(16).seed(1).validationSplit(0.25)
        .callbacks(new CSVLogger(csv), new ModelCheckpoint(ckpt, "val_loss", false)));
    List<String> lines = Files.readAllLines(csv);
    assertEquals(3, lines.size(), lines.toString());
    assertTrue(lines.get(0).startsWith("epoch,loss,accuracy,val_loss,val_accuracy,lr"), lines.get(0));
    Model back = ModelIO.load(ckpt);
    assertEquals(2, back.epochsCompleted());
    assertEquals(m.evaluate(d, 60), back.evaluate(d, 60));
  }
}

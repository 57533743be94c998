package io.github.maxnorm.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.maxnorm.data.Batch;
import io.github.maxnorm.data.Dataset;
import io.github.maxnorm.losses.Losses;
import io.github.maxnorm.model.Callback;
import io.github.maxnorm.model.Model;
import io.github.maxnorm.model.ModelIO;
import io.github.maxnorm.model.Sequential;
import io.github.maxnorm.nn.Constraints;
import io.github.maxnorm.nn.Parameter;
import io.github.maxnorm.nn.layers.Dense;
import io.github.maxnorm.nn.layers.Dropout;
import io.github.maxnorm.optim.OptimizerConfig;
import io.github.maxnorm.optim.SGD;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataParallelTrainerTest {
  private static final int FEATURES = 8;
  private static final int CLASSES = 3;

  /** 8 -> 16 relu -> 3 softmax, both kernels max-norm {@code c}, optional dropout. */
  static Sequential model(double c, double dropout, OptimizerConfig opt) {
    Sequential m = new Sequential();
    if (dropout > 0) {
      m.add(new Dropout(dropout).inputShape(FEATURES));
      m.add(new Dense(16).activation("relu").kernelConstraint(Constraints.maxNorm(c)));
    } else {
      m.add(new Dense(16).activation("relu").kernelConstraint(Constraints.maxNorm(c))
          .inputShape(FEATURES));
    }
    m.add(new Dense(CLASSES).activation("softmax").kernelConstraint(Constraints.maxNorm(c)));
    m.build(new SplittableRandom(7));
    m.compile(opt, Losses.sparseCategoricalCrossentropy(false), "accuracy");
    return m;
  }

  static JavaRDD<LabeledSample> rdd(List<LabeledSample> samples, int partitions) {
    return LocalSpark.context().parallelize(samples, partitions);
  }

  static float[][] weights(Model m) {
    List<Parameter> ps = m.parameters();
    float[][] w = new float[ps.size()][];
    for (int i = 0; i < w.length; i++) {
      w[i] = ps.get(i).variable().data().clone();
    }
    return w;
  }

  static void assertSameBits(Model a, Model b) {
    float[][] wa = weights(a);
    float[][] wb = weights(b);
    for (int i = 0; i < wa.length; i++) {
      assertArrayEquals(wa[i], wb[i], "parameter " + i);
    }
    assertEquals(a.optimizer().iterations(), b.optimizer().iterations());
    assertEquals(a.optimizer().slotState(a.parameters()).keySet(),
        b.optimizer().slotState(b.parameters()).keySet());
    for (var e : a.optimizer().slotState(a.parameters()).entrySet()) {
      assertArrayEquals(e.getValue().toArray(),
          b.optimizer().slotState(b.parameters()).get(e.getKey()).toArray(), e.getKey());
    }
  }

  /** The largest L2 norm of a unit's incoming weights over the kernels. */
  static double maxUnitNorm(Model m) {
    return Kernels.maxUnitNorm(m);
  }

  @Test
  void oneLocalStepEqualsASingleProcessStepOnTheUnionBatch() {
    // two equal shards of 16, batch 16 per replica: every step of a replica uses its whole shard,
    // so the union of the replicas' batches is all 32 samples
    List<LabeledSample> samples = Blobs.samples(32, FEATURES, CLASSES, 11);
    float[] x = new float[32 * FEATURES];
    int[] y = new int[32];
    for (int i = 0; i < 32; i++) {
      System.arraycopy(samples.get(i).features(), 0, x, i * FEATURES, FEATURES);
      y[i] = samples.get(i).label();
    }
    Batch union = Dataset.ofFloats(new int[] {FEATURES}, x, y, CLASSES).all();
    OptimizerConfig sgd = SGD.of(0.2).withMomentum(0.9);
    Sequential distributed = model(100, 0, sgd);
    Sequential single = model(100, 0, sgd);
    JavaRDD<LabeledSample> data = rdd(samples, 2);
    double worst = 0;
    for (int round = 1; round <= 3; round++) {
      // each round from the same state: the single process starts where the distributed one is
      assertSameBits(distributed, single);
      float[][] before = weights(single);
      TrainingResult r = DataParallelTrainer.fit(data, distributed,
          DistributedOptions.defaults().batchSize(16).epochs(round).localSteps(1).seed(3));
      assertEquals(2, r.replicas());
      assertEquals(1, r.rounds().size());
      single.trainOnBatch(union.x(), union.y());
      assertTrue(maxUnitNorm(single) < 100, "the constraint must stay inactive");
      float[][] a = weights(distributed);
      float[][] b = weights(single);
      for (int i = 0; i < a.length; i++) {
        double scale = 0;
        double diff = 0;
        double moved = 0;
        for (int j = 0; j < a[i].length; j++) {
          scale = Math.max(scale, Math.abs(b[i][j]));
          diff = Math.max(diff, Math.abs(a[i][j] - b[i][j]));
          moved = Math.max(moved, Math.abs(b[i][j] - before[i][j]));
        }
        worst = Math.max(worst, diff / scale);
        // the step moved the weights by far more than the tolerance
        assertTrue(moved > 1e-3 * scale, "parameter " + i + " hardly moved: " + moved);
      }
      // continue both from the distributed state
      for (int i = 0; i < a.length; i++) {
        System.arraycopy(a[i], 0, single.parameters().get(i).variable().data(), 0, a[i].length);
      }
      var slots = distributed.optimizer().slotState(distributed.parameters());
      single.optimizer().restore(single.parameters(), slots,
          distributed.optimizer().iterations(), 0.2, 0.9);
    }
    assertTrue(worst <= 1e-6, "largest relative difference " + worst);
    System.out.printf("k=1 equivalence: largest difference relative to the tensor's largest value"
        + " %.3g%n", worst);
  }

  @Test
  void everyUnitIsWithinItsBoundAfterEveryRoundAndTheLossFalls() {
    double c = 0.6;
    List<LabeledSample> samples = Blobs.samples(240, FEATURES, CLASSES, 5);
    Sequential m = model(c, 0.2, SGD.of(0.5).withMomentum(0.9));
    List<Double> norms = new ArrayList<>();
    Callback check = new Callback() {
      @Override
      public void onBatchEnd(Model model, int epoch, int step, Map<String, Double> logs) {
        norms.add(maxUnitNorm(model));
      }
    };
    TrainingResult r = DataParallelTrainer.fit(rdd(samples, 3), m,
        DistributedOptions.defaults().batchSize(10).epochs(4).localSteps(3).seed(1)
            .callbacks(check));
    // 240 samples, 3 replicas x 10: 8 steps per epoch, rounds of 3, 3, 2 steps
    assertEquals(8, r.stepsPerEpoch());
    assertEquals(12, r.rounds().size());
    assertEquals(List.of(3, 3, 2), r.rounds().subList(0, 3).stream().map(RoundLog::steps)
        .toList());
    assertEquals(32, m.optimizer().iterations());
    assertEquals(12, norms.size());
    for (double n : norms) {
      assertTrue(n <= c * (1 + 1e-6), "a unit norm of " + n + " exceeds " + c);
    }
    assertTrue(norms.stream().mapToDouble(Double::doubleValue).max().orElse(0) > 0.99 * c,
        "the constraint never became active: " + norms);
    List<Double> loss = r.history().get("loss");
    assertEquals(4, loss.size());
    assertTrue(loss.get(3) < 0.7 * loss.get(0), "loss did not fall: " + loss);
  }

  private static DistributedOptions faultOptions() {
    return DistributedOptions.defaults().batchSize(8).epochs(2).localSteps(2).seed(9);
  }

  @Test
  void aRetriedTaskLeavesTheRoundUnchanged() throws Exception {
    List<LabeledSample> samples = Blobs.samples(96, FEATURES, CLASSES, 21);
    Sequential plain = model(0.8, 0.3, SGD.of(0.3).withMomentum(0.5));
    DataParallelTrainer.fit(rdd(samples, 2), plain, faultOptions());

    AtomicInteger failed = new AtomicInteger();
    SparkListener listener = new SparkListener() {
      @Override
      public void onTaskEnd(SparkListenerTaskEnd end) {
        if (end.taskInfo().failed()) {
          failed.incrementAndGet();
        }
      }
    };
    var sc = LocalSpark.session().sparkContext();
    sc.addSparkListener(listener);
    Sequential retried = model(0.8, 0.3, SGD.of(0.3).withMomentum(0.5));
    try {
      DataParallelTrainer.fit(rdd(samples, 2), retried, faultOptions().hook(
          (round, partition, attempt) -> {
            if (round == 2 && partition == 1 && attempt == 0) {
              throw new IllegalStateException("injected failure of round 2, partition 1");
            }
          }));
      sc.listenerBus().waitUntilEmpty();
    } finally {
      sc.removeSparkListener(listener);
    }
    assertEquals(1, failed.get(), "exactly the injected task failed once");
    assertSameBits(plain, retried);
  }

  @Test
  void aRestartedJobResumesFromTheCheckpointBitForBit(@TempDir Path dir) throws Exception {
    List<LabeledSample> samples = Blobs.samples(96, FEATURES, CLASSES, 33);
    Sequential whole = model(0.8, 0.3, SGD.of(0.3).withMomentum(0.9));
    DataParallelTrainer.fit(rdd(samples, 2), whole,
        faultOptions().epochs(3).checkpoint(dir.resolve("whole.maxnorm")));

    Path file = dir.resolve("crashed.maxnorm");
    Callback crash = new Callback() {
      int rounds;

      @Override
      public void onBatchEnd(Model model, int epoch, int step, Map<String, Double> logs) {
        if (++rounds == 4) {
          throw new IllegalStateException("driver stopped after round 4");
        }
      }
    };
    Sequential first = model(0.8, 0.3, SGD.of(0.3).withMomentum(0.9));
    assertThrows(IllegalStateException.class, () -> DataParallelTrainer.fit(rdd(samples, 2),
        first, faultOptions().epochs(3).checkpoint(file).callbacks(crash)));
    Model resumed = ModelIO.load(file);
    // 96 samples, 2 x 8: 6 steps per epoch, rounds of 2: round 4 ends at step 8
    assertEquals(8, resumed.optimizer().iterations());
    TrainingResult r = DataParallelTrainer.fit(rdd(samples, 2), resumed,
        faultOptions().epochs(3).checkpoint(file));
    assertEquals(5, r.rounds().size());
    assertEquals(4, r.rounds().get(0).round());
    assertSameBits(whole, resumed);
    assertSameBits(whole, ModelIO.load(file));
    assertTrue(Files.size(file) > 0);
  }

  @Test
  void rejectsWhatItCannotTrain() {
    Sequential uncompiled = new Sequential().add(new Dense(3).inputShape(FEATURES));
    var e = assertThrows(IllegalArgumentException.class,
        () -> DataParallelTrainer.fit(rdd(Blobs.samples(8, FEATURES, CLASSES, 1), 2),
            uncompiled, DistributedOptions.defaults()));
    assertEquals("fit: the model is not compiled; call compile(...) first", e.getMessage());
    Sequential m = model(3, 0, SGD.of(0.1));
    var wrong = rdd(Blobs.samples(8, FEATURES + 1, CLASSES, 1), 2);
    Exception ex = assertThrows(Exception.class,
        () -> DataParallelTrainer.fit(wrong, m, DistributedOptions.defaults()));
    assertTrue(String.valueOf(ex.getMessage()).contains("has 9 values, the model takes 8"),
        ex.getMessage());
  }
}

package io.github.maxnorm.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.maxnorm.model.Model;
import io.github.maxnorm.model.Callback;
import io.github.maxnorm.model.Sequential;
import io.github.maxnorm.optim.SGD;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorRemoved;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.SparkListenerTaskStart;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * Training through a real standalone cluster: a master and two workers, each a separate JVM on
 * 127.0.0.1 with random ports, one 1-core executor per worker. A run during which an executor is
 * killed ({@code kill -9}) in the middle of a round ends with the same model, bit for bit, as an
 * undisturbed run on the cluster and as the same training in {@code local[2]}.
 */
class StandaloneClusterTest {
  /** The round during which an executor is killed. */
  private static final int KILL_ROUND = 5;

  private static List<LabeledSample> data() {
    return Blobs.samples(400, 8, 3, 77);
  }

  private static DistributedOptions options() {
    // 400 samples, 2 replicas x 10: 20 steps per epoch, rounds of 4 steps: 15 rounds
    return DistributedOptions.defaults().batchSize(10).epochs(3).localSteps(4).seed(5);
  }

  private static Sequential model() {
    return DataParallelTrainerTest.model(0.7, 0.2, SGD.of(0.2).withMomentum(0.9));
  }

  @Test
  void anExecutorKilledMidRunChangesNothing() throws Exception {
    Path dir = java.nio.file.Files.createTempDirectory("maxnorm-cluster-");
    LocalSpark.stop();
    Sequential calm = model();
    Sequential hit = model();
    AtomicReference<String> killed = new AtomicReference<>();
    AtomicInteger failedTasks = new AtomicInteger();
    AtomicInteger removed = new AtomicInteger();
    long t0 = System.nanoTime();
    try (StandaloneCluster cluster = new StandaloneCluster(dir.resolve("spark"), 2)) {
      System.out.printf("cluster %s up in %.1f s, master and worker PIDs %s%n", cluster.url(),
          (System.nanoTime() - t0) / 1e9, cluster.pids());
      SparkSession spark = SparkSession.builder()
          .master(cluster.url())
          .appName("maxnorm-cluster-test")
          .config("spark.jars", cluster.appJar().toString())
          .config("spark.executorEnv.SPARK_SCALA_VERSION", "2.13")
          .config("spark.executorEnv.OMP_NUM_THREADS", "1")
          .config("spark.executorEnv.OMP_WAIT_POLICY", "PASSIVE")
          .config("spark.executor.memory", "512m")
          .config("spark.executor.cores", "1")
          .config("spark.executor.extraJavaOptions", "-XX:TieredStopAtLevel=1")
          .config("spark.cores.max", "2")
          .config("spark.driver.host", "127.0.0.1")
          .config("spark.driver.bindAddress", "127.0.0.1")
          .config("spark.ui.enabled", "false")
          .config("spark.scheduler.minRegisteredResourcesRatio", "1.0")
          .config("spark.scheduler.maxRegisteredResourcesWaitingTime", "120s")
          .getOrCreate();
      try {
        System.out.printf("driver connected at %.1f s%n", (System.nanoTime() - t0) / 1e9);
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        DataParallelTrainer.fit(jsc.parallelize(data(), 2), calm, options());
        System.out.printf("undisturbed cluster run done at %.1f s, executors %s%n",
            (System.nanoTime() - t0) / 1e9, cluster.executors().stream()
                .map(ProcessHandle::pid).toList());

        AtomicBoolean armed = new AtomicBoolean();
        SparkListener killer = new SparkListener() {
          @Override
          public void onTaskStart(SparkListenerTaskStart start) {
            if (armed.get() && killed.get() == null) {
              String id = start.taskInfo().executorId();
              ProcessHandle ph = cluster.executor(id).orElse(null);
              if (ph != null && killed.compareAndSet(null, id + " (PID " + ph.pid() + ")")) {
                ph.destroyForcibly(); // SIGKILL, as kill -9
              }
            }
          }

          @Override
          public void onTaskEnd(SparkListenerTaskEnd end) {
            if (end.taskInfo().failed()) {
              failedTasks.incrementAndGet();
            }
          }

          @Override
          public void onExecutorRemoved(SparkListenerExecutorRemoved e) {
            removed.incrementAndGet();
          }
        };
        Callback arm = new Callback() {
          @Override
          public void onBatchEnd(Model m, int epoch, int step, Map<String, Double> logs) {
            if (m.optimizer().iterations() == (long) KILL_ROUND * 4) {
              armed.set(true);
            }
          }
        };
        spark.sparkContext().addSparkListener(killer);
        // the tasks of the kill round take a second, so the kill lands while they run
        TaskHook slow = (round, partition, attempt) -> {
          if (round == KILL_ROUND && attempt == 0) {
            Thread.sleep(1000);
          }
        };
        DataParallelTrainer.fit(jsc.parallelize(data(), 2), hit,
            options().callbacks(arm).hook(slow));
        spark.sparkContext().listenerBus().waitUntilEmpty();
        System.out.printf("run with executor %s killed done at %.1f s: %d failed tasks,"
                + " %d executors removed, executors now %s%n", killed.get(),
            (System.nanoTime() - t0) / 1e9, failedTasks.get(), removed.get(),
            cluster.executors().stream().map(ProcessHandle::pid).toList());
      } finally {
        spark.stop();
      }
    }
    assertNotNull(killed.get(), "no executor was killed");
    assertTrue(failedTasks.get() >= 1, "the kill failed no task");
    assertTrue(removed.get() >= 1, "Spark did not see the executor go");
    DataParallelTrainerTest.assertSameBits(calm, hit);

    Sequential local = model();
    DataParallelTrainer.fit(LocalSpark.context().parallelize(data(), 2), local, options());
    DataParallelTrainerTest.assertSameBits(calm, local);
    assertFalse(java.util.Arrays.equals(DataParallelTrainerTest.weights(model())[0],
        DataParallelTrainerTest.weights(calm)[0]), "training changed nothing");
    assertEquals(60, calm.optimizer().iterations());
    System.out.printf("cluster test done in %.1f s%n", (System.nanoTime() - t0) / 1e9);
  }
}

package io.github.maxnorm.cli;

import static io.github.maxnorm.cli.MainTest.cli;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.maxnorm.model.Model;
import io.github.maxnorm.model.ModelIO;
import io.github.maxnorm.model.Sequential;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code train --spark local[2]}: data-parallel training from the command line. */
class SparkTrainTest {

  @Test
  void trainsOnSparkAndResumesBitForBit(@TempDir Path tmp) throws IOException {
    Path data = Files.createDirectories(tmp.resolve("idx"));
    SplittableRandom rng = new SplittableRandom(3);
    MainTest.writeIdxImages(data.resolve("train-images-idx3-ubyte"), 128, 8, 8, rng);
    MainTest.writeIdxLabels(data.resolve("train-labels-idx1-ubyte"), 128, 3, rng);
    MainTest.writeIdxImages(data.resolve("t10k-images-idx3-ubyte"), 32, 8, 8, rng);
    MainTest.writeIdxLabels(data.resolve("t10k-labels-idx1-ubyte"), 32, 3, rng);
    String d = data.toString();
    Path a = tmp.resolve("straight");
    Path b = tmp.resolve("interrupted");

    MainTest.Result r = cli("train", "--data", d, "--batch-size", "16", "--seed", "4",
        "--epochs", "2", "--spark", "local[2]", "--local-steps", "2", "--out", a.toString());
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("epoch 2/2 loss "), r.out());
    JsonNode s = new ObjectMapper().readTree(a.resolve("summary.json").toFile());
    assertEquals("local[2]", s.get("spark_master").asText());
    assertEquals(2, s.get("partitions").asInt());
    // 128 samples, 2 replicas x 16: 4 steps per epoch
    assertEquals(8, s.get("iterations").asInt());
    assertEquals(2, s.get("epochs_completed").asInt());

    assertEquals(0, cli("train", "--data", d, "--batch-size", "16", "--seed", "4", "--epochs",
        "1", "--spark", "local[2]", "--local-steps", "2", "--out", b.toString()).code());
    MainTest.Result resumed = cli("train", "--resume", b.toString(), "--epochs", "2");
    assertEquals(0, resumed.code(), resumed.out() + resumed.err());
    assertTrue(resumed.out().contains("resuming " + b + " at step 4"), resumed.out());
    Model ma = ModelIO.load(a.resolve("model.maxnorm"));
    Model mb = ModelIO.load(b.resolve("model.maxnorm"));
    assertEquals(8, mb.optimizer().iterations());
    for (int i = 0; i < ma.parameters().size(); i++) {
      assertArrayEquals(ma.parameters().get(i).variable().data(),
          mb.parameters().get(i).variable().data(), ma.parameters().get(i).path());
    }
  }

  @Test
  void sparkOptionsNeedSpark() {
    MainTest.Result r = cli("train", "--partitions", "3", "--epochs", "1");
    assertEquals(2, r.code());
    assertEquals("maxnorm: --partitions and --local-steps need --spark", r.err().strip());
  }
}

package io.github.maxnorm.interop.keras;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.github.maxnorm.interop.KerasFiles;
import io.github.maxnorm.interop.tfjs.TfjsLayersModel;
import io.github.maxnorm.io.FormatFuzzTest;
import io.github.maxnorm.io.ModelFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded mutation fuzzing of every reader of this module, with core's fuzz loop: each mutated file
 * must either load (normalize, and import as a maxnorm model) or be rejected with a {@link ModelFormatException} carrying a
 * message; any other exception or error, or a hang, fails. Reads run under small limits (1 MiB of
 * weights), so a mutated size that escaped the checks would show as a refusal or an
 * OutOfMemoryError, not as a slow pass. Iterations per target: {@code maxnorm.fuzz.iterations}
 * (300 in the suite).
 */
class InteropFuzzTest {
  static final KerasReadLimits LIMITS = new KerasReadLimits(1 << 20, 1 << 20, 1000, 64);

  @TempDir Path dir;

  /** Core's fuzz loop, with a bound on the time (a hang fails). */
  void fuzz(String what, byte[] base, FormatFuzzTest.Reader reader) {
    assertTimeoutPreemptively(Duration.ofSeconds(120),
        () -> FormatFuzzTest.fuzz(what, base, reader), what + " hung");
  }

  /** Reads, normalizes what has a config and imports it as a maxnorm model, as Models does. */
  static void readAndNormalize(Path p) throws IOException {
    KerasModelFile f = KerasFiles.read(p, LIMITS);
    if (f.modelConfig() != null) {
      KerasModelFile n = KerasNormalizer.normalize(f, p.getFileName().toString());
      KerasModels.toModel(n, p.getFileName().toString(), f.format() != KerasFormat.JSON_CONFIG, 0);
    }
  }

  FormatFuzzTest.Reader file(String name) {
    Path p = dir.resolve(name);
    return bytes -> {
      Files.write(p, bytes);
      readAndNormalize(p);
    };
  }

  @Test
  void keras2Hdf5WrittenByKeras() throws IOException {
    fuzz("keras 2 h5", Files.readAllBytes(Resources.keras("weights/dense_tensorflow_2.h5")),
        file("k2.h5"));
  }

  @Test
  void keras1Hdf5WrittenByKeras() throws IOException {
    fuzz("keras 1 h5", Files.readAllBytes(Resources.keras("weights/conv2d_theano_1.h5")),
        file("k1.h5"));
  }

  static KerasModelFile small() throws IOException {
    return KerasNormalizer.normalize(KerasFiles.read(Resources.keras("tfkeras/mlp_8.h5")), "mlp_8");
  }

  @Test
  void hdf5WrittenByThisModule() throws IOException {
    Path base = dir.resolve("base.h5");
    KerasFiles.write(small(), base, KerasFormat.H5);
    fuzz("written h5", Files.readAllBytes(base), file("w.h5"));
  }

  @Test
  void kerasArchive() throws IOException {
    Path base = dir.resolve("base.keras");
    KerasFiles.write(small(), base, KerasFormat.KERAS_ZIP);
    fuzz("keras zip", Files.readAllBytes(base), file("w.keras"));
  }

  @Test
  void tfjsModelJsonAndShard() throws IOException {
    Path model = dir.resolve("tfjs");
    KerasFiles.write(small(), model, KerasFormat.TFJS);
    Path json = model.resolve(TfjsLayersModel.MODEL_JSON);
    byte[] jsonBytes = Files.readAllBytes(json);
    Path shard = model.resolve("group1-shard1of1.bin");
    byte[] shardBytes = Files.readAllBytes(shard);
    fuzz("tfjs model.json", jsonBytes, bytes -> {
      Files.write(json, bytes);
      readAndNormalize(model);
    });
    Files.write(json, jsonBytes);
    fuzz("tfjs shard", shardBytes, bytes -> {
      Files.write(shard, bytes);
      readAndNormalize(model);
    });
  }

  @Test
  void modelConfigs() throws IOException {
    byte[] keras1 = Files.readAllBytes(Resources.keras("configs/keras1/mnist_cnn_th_keras_1_config.json"));
    fuzz("keras 1 config", keras1, file("c1.json"));
    byte[] keras3 = Files.readAllBytes(
        Resources.keras("README.md").getParent().getParent().resolve("keras3/functional_cnn.json"));
    fuzz("keras 3 config", keras3, file("c3.json"));
  }
}

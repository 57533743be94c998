package io.github.maxnorm.model;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.maxnorm.io.ModelArchive;
import io.github.maxnorm.io.ModelFiles;
import io.github.maxnorm.io.ModelFormatException;
import io.github.maxnorm.losses.Losses;
import io.github.maxnorm.nn.Constraints;
import io.github.maxnorm.nn.layers.Conv2D;
import io.github.maxnorm.nn.layers.Dense;
import io.github.maxnorm.nn.layers.Dropout;
import io.github.maxnorm.nn.layers.Flatten;
import io.github.maxnorm.nn.layers.MaxPooling2D;
import io.github.maxnorm.optim.SGD;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model file's config.json and state.json are untrusted: malformed or hostile values give a
 * {@link ModelFormatException}, and layer sizes are checked against the stored weights before
 * anything is allocated for them.
 */
class ModelConfigRobustnessTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Path saved(Path dir) throws Exception {
    Sequential m = new Sequential()
        .add(new Conv2D(2, 3, 3).inputShape(6, 6, 1).padding("same").activation("relu")
            .kernelConstraint(Constraints.maxNorm(3)))
        .add(new MaxPooling2D(2, 2))
        .add(new Flatten())
        .add(new Dropout(0.5))
        .add(new Dense(3).activation("softmax").kernelConstraint(Constraints.maxNorm(3)));
    m.compile(SGD.of(0.1).withMomentum(0.9), Losses.sparseCategoricalCrossentropy(false), "accuracy");
    m.build(new SplittableRandom(1));
    Path p = dir.resolve("m.maxnorm");
    ModelIO.save(m, p);
    return p;
  }

  private static Path withConfig(Path src, Path dst, JsonNode config, JsonNode state)
      throws Exception {
    ModelArchive a = ModelFiles.load(src);
    ModelFiles.save(dst, new ModelArchive(config, a.weights(), a.optimizerState(),
        state == null ? a.trainingState() : state));
    return dst;
  }

  @Test
  void hugeLayerInConfigIsRejectedBeforeAllocating(@TempDir Path dir) throws Exception {
    Path p = saved(dir);
    ObjectNode cfg = (ObjectNode) ModelFiles.load(p).config();
    // 18 inputs x 80,000,000 units: a 5.8 GB kernel, more than the test JVM's heap, but under
    // Shape's 2^31-element limit, so only the check against the stored weights stops it
    ObjectNode dense = (ObjectNode) cfg.get("config").get("layers").get(4).get("config");
    dense.put("units", 80_000_000);
    Path bad = withConfig(p, dir.resolve("huge.maxnorm"), cfg, null);
    long before = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
    ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelIO.load(bad));
    assertTrue(e.getMessage().contains("huge.maxnorm"), e.getMessage());
    long after = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
    assertTrue(after - before < 200L << 20, "no large allocation: " + (after - before));
  }

  @Test
  void mismatchedKernelShapeIsNamed(@TempDir Path dir) throws Exception {
    Path p = saved(dir);
    ObjectNode cfg = (ObjectNode) ModelFiles.load(p).config();
    ((ObjectNode) cfg.get("config").get("layers").get(0).get("config")).put("filters", 4);
    Path bad = withConfig(p, dir.resolve("bad.maxnorm"), cfg, null);
    ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelIO.load(bad));
    assertTrue(e.getMessage().contains("conv2d/kernel"), e.getMessage());
  }

  @Test
  void unknownNamesAreRejectedWithTheKnownOnes(@TempDir Path dir) throws Exception {
    Path p = saved(dir);
    ObjectNode cfg = (ObjectNode) ModelFiles.load(p).config();
    ((ObjectNode) cfg.get("config").get("layers").get(1)).put("class_name", "LambdaLayer");
    Path bad = withConfig(p, dir.resolve("lambda.maxnorm"), cfg, null);
    ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelIO.load(bad));
    assertTrue(e.getMessage().contains("LambdaLayer") && e.getMessage().contains("Dense"),
        e.getMessage());
  }

  /** Seeded mutations of the JSON values of config.json and state.json. */
  @Test
  void mutatedConfigsGiveOnlyModelFormatException(@TempDir Path dir) throws Exception {
    int iterations = Integer.getInteger("maxnorm.fuzz.iterations", 300);
    Path p = saved(dir);
    ModelArchive a = ModelFiles.load(p);
    String config = a.config().toString();
    String state = a.trainingState().toString();
    SplittableRandom r = new SplittableRandom(20261127);
    String[] replacements = {"-1", "0", "2147483647", "-2147483648", "1e308", "null", "\"x\"",
        "[]", "{}", "true", "3.5", "[null, 99999, 99999, 99999]", "\"MaxNorm\"", "\"Dense\""};
    Path target = dir.resolve("fuzz.maxnorm");
    int loaded = 0;
    for (int i = 0; i < iterations; i++) {
      boolean mutateConfig = r.nextBoolean();
      String text = mutateConfig ? config : state;
      StringBuilder b = new StringBuilder(text);
      int edits = 1 + r.nextInt(3);
      for (int k = 0; k < edits; k++) {
        // replace one JSON scalar (number, string, literal) with a hostile value
        int pos = r.nextInt(b.length());
        int start = pos;
        while (start > 0 && ",:[{".indexOf(b.charAt(start - 1)) < 0) {
          start--;
        }
        int end = pos;
        while (end < b.length() && ",]}".indexOf(b.charAt(end)) < 0) {
          end++;
        }
        if (start < end && b.charAt(start) != '{' && b.charAt(start) != '[') {
          b.replace(start, end, replacements[r.nextInt(replacements.length)]);
        }
      }
      JsonNode mutated;
      try {
        mutated = JSON.readTree(b.toString());
      } catch (Exception e) {
        continue; // not JSON any more: the archive layer rejects that (FormatFuzzTest)
      }
      if (mutated == null || mutated.isMissingNode()) {
        continue;
      }
      ModelFiles.save(target, new ModelArchive(
          mutateConfig ? mutated : a.config(), a.weights(), a.optimizerState(),
          mutateConfig ? a.trainingState() : mutated));
      try {
        ModelIO.load(target);
        loaded++;
      } catch (ModelFormatException expected) {
        // documented
      } catch (Throwable t) {
        fail("iteration " + i + ": " + t + " for " + b, t);
      }
    }
    assertTrue(loaded < iterations, "some mutations must be rejected");
  }
}

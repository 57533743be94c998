package io.github.maxnorm.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.maxnorm.data.Dataset;
import io.github.maxnorm.kernel.Precision;
import io.github.maxnorm.losses.Losses;
import io.github.maxnorm.nn.Constraints;
import io.github.maxnorm.nn.DTypePolicy;
import io.github.maxnorm.nn.Parameter;
import io.github.maxnorm.nn.layers.Conv2D;
import io.github.maxnorm.nn.layers.Dense;
import io.github.maxnorm.nn.layers.Dropout;
import io.github.maxnorm.nn.layers.Flatten;
import io.github.maxnorm.nn.layers.MaxPooling2D;
import io.github.maxnorm.optim.SGD;
import io.github.maxnorm.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training under the {@code mixed_bfloat16} policy: the loss falls, the max-norm bound holds
 * exactly on the float32 kernels after every step, the model's default reaches every layer
 * without its own policy, and a saved model keeps the policy.
 */
class MixedPrecisionTest {
  @TempDir Path dir;

  @BeforeEach
  void needsBfloat16() {
    Assumptions.assumeTrue(Precision.BFLOAT16.supported(), Precision.bfloat16Unsupported());
  }

  private static Sequential cnn(long seed) {
    Sequential m = new Sequential()
        .add(new Conv2D(8, 3).padding("same").activation("relu")
            .kernelConstraint(Constraints.maxNorm(1.5)).inputShape(8, 8, 2))
        .add(new MaxPooling2D(2, 2))
        .add(new Flatten())
        .add(new Dropout(0.2))
        .add(new Dense(32).activation("relu").kernelConstraint(Constraints.maxNorm(1.5)))
        .add(new Dense(3).activation("softmax").kernelConstraint(Constraints.maxNorm(1.5)));
    m.build(new SplittableRandom(seed));
    return m;
  }

  /** {@link TinyData#random} samples as 8 x 8 x 2 images. */
  private static Dataset images(int n, long seed) {
    Dataset flat = TinyData.random(n, 128, 3, seed);
    return Dataset.ofFloats(new int[] {8, 8, 2}, flat.all().x().toArray(), flat.labels(), 3);
  }

  /** The largest L2 norm of a kernel's output units (last axis), in double. */
  private static double maxUnitNorm(Parameter p) {
    float[] w = p.variable().data();
    int units = p.shape().dim(-1);
    double[] sq = new double[units];
    for (int i = 0; i < w.length; i++) {
      sq[i % units] += (double) w[i] * w[i];
    }
    double max = 0;
    for (double s : sq) {
      max = Math.max(max, Math.sqrt(s));
    }
    return max;
  }

  @Test
  void lossFallsAndTheConstraintHoldsOnTheFloat32Kernels() {
    Dataset data = images(240, 5);
    Sequential m = cnn(1).dtypePolicy(DTypePolicy.MIXED_BFLOAT16);
    m.compile(SGD.of(0.1).withMomentum(0.9), Losses.sparseCategoricalCrossentropy(false),
        "accuracy");
    double[] maxNorm = {0};
    History h = m.fit(data, FitOptions.defaults().epochs(8).batchSize(16).seed(2).verbose(0)
        .callbacks(new Callback() {
          @Override
          public void onBatchEnd(Model model, int epoch, int step, Map<String, Double> logs) {
            for (Parameter p : model.parameters()) {
              if (p.name().equals("kernel")) {
                maxNorm[0] = Math.max(maxNorm[0], maxUnitNorm(p));
              }
            }
          }
        }));
    var loss = h.get("loss");
    assertTrue(loss.get(loss.size() - 1) < 0.75 * loss.get(0),
        "loss should fall under mixed_bfloat16: " + loss);
    Sequential f32 = cnn(1);
    f32.compile(SGD.of(0.1).withMomentum(0.9), Losses.sparseCategoricalCrossentropy(false));
    double f32Loss = f32.fit(data, FitOptions.defaults().epochs(8).batchSize(16).seed(2)
        .verbose(0)).last("loss");
    assertEquals(f32Loss, loss.get(loss.size() - 1), 0.05,
        "the float32 run of the same model ends close by");
    // the projection scales the float32 weights by 1.5 / (norm + 1e-7), as in a float32 run: the
    // norms stay within float32 rounding of the bound
    assertTrue(maxNorm[0] <= 1.5 * (1 + 1e-6), "largest unit norm " + maxNorm[0]);
    assertTrue(maxNorm[0] > 1.4, "the constraint was active: " + maxNorm[0]);
    // the master weights are float32, not bfloat16 values
    int notBf16 = 0;
    for (Parameter p : m.parameters()) {
      for (float v : p.variable().data()) {
        notBf16 += (Float.floatToRawIntBits(v) & 0xffff) != 0 ? 1 : 0;
      }
    }
    assertTrue(notBf16 > 1000, "weights with more than bfloat16's 8 bits: " + notBf16);
  }

  @Test
  void mixedAndFloat32RunsDifferButStayClose() {
    Tensor x = Tensor.randomUniform(new SplittableRandom(3), 0f, 1f, 16, 8, 8, 2);
    Sequential f32 = cnn(7);
    Sequential mixed = cnn(7).dtypePolicy(DTypePolicy.MIXED_BFLOAT16);
    float[] a = f32.predict(x).toArray();
    float[] b = mixed.predict(x).toArray();
    assertFalse(java.util.Arrays.equals(a, b), "bfloat16 products change the last bits");
    assertArrayEquals(a, b, 2e-2f);
  }

  @Test
  void aLayersOwnPolicyWinsOverTheModelDefault() {
    Tensor x = Tensor.randomUniform(new SplittableRandom(4), -1f, 1f, 5, 40);
    Sequential plain = new Sequential().add(new Dense(20).inputShape(40));
    plain.build(new SplittableRandom(9));
    Sequential pinned = new Sequential().add(
        new Dense(20).inputShape(40).dtypePolicy(DTypePolicy.FLOAT32));
    pinned.build(new SplittableRandom(9));
    pinned.dtypePolicy(DTypePolicy.MIXED_BFLOAT16);
    assertArrayEquals(plain.predict(x).toArray(), pinned.predict(x).toArray(),
        "a float32 layer in a mixed model computes in float32");
    Sequential following = new Sequential().add(new Dense(20).inputShape(40));
    following.build(new SplittableRandom(9));
    following.dtypePolicy(DTypePolicy.MIXED_BFLOAT16);
    assertNotEquals(java.util.Arrays.toString(plain.predict(x).toArray()),
        java.util.Arrays.toString(following.predict(x).toArray()));
  }

  @Test
  void aSavedModelKeepsThePolicyOfEveryLayer() throws IOException {
    Sequential m = cnn(11).dtypePolicy(DTypePolicy.MIXED_BFLOAT16);
    m.compile(SGD.of(0.05), Losses.sparseCategoricalCrossentropy(false));
    m.fit(images(32, 6),
        FitOptions.defaults().epochs(1).batchSize(16).seed(1).verbose(0));
    Path file = dir.resolve("m.maxnorm");
    ModelIO.save(m, file);
    Model back = ModelIO.load(file);
    for (var l : back.layers()) {
      assertEquals(DTypePolicy.MIXED_BFLOAT16, l.dtypePolicy(), l.name());
    }
    Tensor x = Tensor.randomUniform(new SplittableRandom(5), 0f, 1f, 4, 8, 8, 2);
    assertArrayEquals(m.predict(x).toArray(), back.predict(x).toArray());
    assertNull(cnn(1).layers().get(0).dtypePolicy());
  }

  @Test
  void theDefaultMustBeAPolicy() {
    assertThrows(IllegalArgumentException.class, () -> cnn(1).dtypePolicy(null));
    assertEquals(DTypePolicy.FLOAT32, cnn(1).dtypePolicy());
  }
}

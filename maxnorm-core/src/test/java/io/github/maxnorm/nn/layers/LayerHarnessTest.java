package io.github.maxnorm.nn.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.maxnorm.nn.Config;
import io.github.maxnorm.nn.Constraints;
import io.github.maxnorm.nn.ForwardContext;
import io.github.maxnorm.nn.Initializers;
import io.github.maxnorm.nn.Layer;
import io.github.maxnorm.nn.Regularizers;
import io.github.maxnorm.tensor.Shape;
import io.github.maxnorm.tensor.Tensor;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * The standard layer harness: build for an input shape, check the output shape of a forward pass
 * in both modes against the declared one, the parameter shapes, and a config round trip through
 * JSON that rebuilds an equal layer.
 */
class LayerHarnessTest {

  record Case(String label, Supplier<Layer> make, int[] in, int[] out, int params) {
    @Override
    public String toString() {
      return label;
    }
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        new Case("dense", () -> new Dense(5).activation("relu")
            .kernelConstraint(Constraints.maxNorm(3))
            .kernelRegularizer(Regularizers.l2(0.01)), new int[] {7}, new int[] {5}, 40),
        new Case("dense-nobias-softmax", () -> new Dense(4).useBias(false).activation("softmax")
            .kernelInitializer(Initializers.heNormal()), new int[] {3}, new int[] {4}, 12),
        new Case("conv-same-s1", () -> new Conv2D(6, 3, 3).padding("same").activation("relu")
            .kernelConstraint(Constraints.maxNorm(2)), new int[] {8, 8, 3},
            new int[] {8, 8, 6}, 3 * 3 * 3 * 6 + 6),
        new Case("conv-valid-s2", () -> new Conv2D(4, 3, 2).strides(2, 2), new int[] {9, 8, 2},
            new int[] {4, 4, 4}, 3 * 2 * 2 * 4 + 4),
        new Case("conv-channels-first", () -> new Conv2D(4, 3).padding("same")
            .dataFormat("channels_first"), new int[] {2, 6, 5}, new int[] {4, 6, 5}, 3 * 3 * 2 * 4 + 4),
        new Case("maxpool", () -> new MaxPooling2D(2, 2), new int[] {6, 7, 3}, new int[] {3, 3, 3}, 0),
        new Case("maxpool-same", () -> new MaxPooling2D(3, 3).strides(2, 2).padding("same"),
            new int[] {7, 7, 2}, new int[] {4, 4, 2}, 0),
        new Case("dropout", () -> new Dropout(0.5), new int[] {10}, new int[] {10}, 0),
        new Case("flatten", () -> new Flatten(), new int[] {3, 4, 2}, new int[] {24}, 0),
        new Case("activation", () -> new Activation("tanh"), new int[] {6}, new int[] {6}, 0))
        .map(Arguments::of);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void buildForwardAndRoundTrip(Case c) {
    Layer layer = c.make().get();
    Shape out = layer.build(Shape.of(c.in()), new SplittableRandom(1));
    assertArrayEquals(c.out(), out.dims(), "declared output shape");
    long count = layer.weights().stream().mapToLong(p -> p.shape().size()).sum();
    assertEquals(c.params(), count, "parameter count");
    int[] batchIn = new int[c.in().length + 1];
    batchIn[0] = 3;
    System.arraycopy(c.in(), 0, batchIn, 1, c.in().length);
    Tensor x = Tensor.randomUniform(new SplittableRandom(2), -1, 1, batchIn);
    for (ForwardContext ctx : List.of(ForwardContext.INFERENCE, ForwardContext.training(5))) {
      Tensor y = layer.forward(x, ctx);
      assertEquals(3, y.shape().dim(0));
      assertArrayEquals(c.out(), java.util.Arrays.copyOfRange(y.shape().dims(), 1, y.rank()));
    }
    Config cfg = layer.config();
    Config back = Config.fromJson(cfg.toJsonString());
    Layer rebuilt = LayerConfigs.fromConfig(back);
    assertEquals(cfg.toJsonString(), rebuilt.config().toJsonString(), "config round trip");
    Shape out2 = rebuilt.build(Shape.of(c.in()), new SplittableRandom(1));
    assertEquals(out, out2);
    // same seed, same initial weights
    for (int i = 0; i < layer.weights().size(); i++) {
      assertArrayEquals(layer.weights().get(i).variable().data(),
          rebuilt.weights().get(i).variable().data());
    }
  }

  @Test
  void denseRejectsWrongInputWithShapes() {
    Dense d = new Dense(3);
    d.build(Shape.of(4), new SplittableRandom(0));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> d.forward(Tensor.zeros(2, 5), ForwardContext.INFERENCE));
    assertTrue(e.getMessage().contains("[2, 5]"), e.getMessage());
    IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class,
        () -> new Dense(3).build(Shape.of(), new SplittableRandom(0)));
    assertTrue(e2.getMessage().startsWith("Dense expects rank >= 2 input"), e2.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new Dense(0));
    assertThrows(IllegalArgumentException.class, () -> new Dropout(1.0));
    assertThrows(IllegalArgumentException.class, () -> new Conv2D(3, 3).padding("full"));
  }

  @Test
  void dropoutOnlyInTrainingAndReproducible() {
    Dropout d = new Dropout(0.5);
    d.build(Shape.of(1000), new SplittableRandom(0));
    Tensor x = Tensor.ones(2, 1000);
    assertArrayEquals(x.toArray(), d.forward(x, ForwardContext.INFERENCE).toArray());
    float[] a = d.forward(x, ForwardContext.training(7)).toArray();
    float[] b = d.forward(x, ForwardContext.training(7)).toArray();
    float[] c = d.forward(x, ForwardContext.training(8)).toArray();
    assertArrayEquals(a, b);
    assertTrue(!java.util.Arrays.equals(a, c));
    int kept = 0;
    for (float v : a) {
      if (v != 0f) {
        kept++;
        assertEquals(2f, v);
      }
    }
    assertTrue(kept > 850 && kept < 1150, "kept " + kept);
  }

  @Test
  void constraintAxisOutOfRangeFailsAtBuild() {
    Dense d = new Dense(3).name("fc").kernelConstraint(Constraints.maxNorm(3, 2));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> d.build(Shape.of(4), new SplittableRandom(0)));
    assertTrue(e.getMessage().contains("fc/kernel"), e.getMessage());
    assertTrue(e.getMessage().contains("[4, 3]"), e.getMessage());
  }
}

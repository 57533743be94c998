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
        new Case("activation", () -> new Activation("tanh"), new int[] {6}, new int[] {6}, 0),
        new Case("activation-gelu", () -> new Activation("gelu"), new int[] {6}, new int[] {6}, 0),
        new Case("reshape", () -> new Reshape(4, -1), new int[] {2, 3, 4}, new int[] {4, 6}, 0),
        new Case("permute", () -> new Permute(2, 1), new int[] {3, 5}, new int[] {5, 3}, 0),
        new Case("repeat-vector", () -> new RepeatVector(3), new int[] {4}, new int[] {3, 4}, 0),
        new Case("conv2d-dilated-grouped", () -> new Conv2D(6, 3).dilationRate(2).groups(2)
            .padding("same"), new int[] {9, 9, 4}, new int[] {9, 9, 6}, 3 * 3 * 2 * 6 + 6),
        new Case("conv1d", () -> new Conv1D(5, 3).strides(2), new int[] {11, 2},
            new int[] {5, 5}, 3 * 2 * 5 + 5),
        new Case("conv1d-causal-dilated", () -> new Conv1D(3, 2).padding("causal")
            .dilationRate(2), new int[] {7, 4}, new int[] {7, 3}, 2 * 4 * 3 + 3),
        new Case("conv1d-channels-first", () -> new Conv1D(3, 3).dataFormat("channels_first"),
            new int[] {2, 8}, new int[] {3, 6}, 3 * 2 * 3 + 3),
        new Case("depthwise", () -> new DepthwiseConv2D(3).depthMultiplier(2).padding("same"),
            new int[] {5, 5, 3}, new int[] {5, 5, 6}, 3 * 3 * 3 * 2 + 6),
        new Case("separable", () -> new SeparableConv2D(4, 3).strides(2, 2), new int[] {7, 7, 3},
            new int[] {3, 3, 4}, 3 * 3 * 3 + 3 * 4 + 4),
        new Case("conv2d-transpose-same", () -> new Conv2DTranspose(4, 3).strides(2, 2)
            .padding("same"), new int[] {4, 5, 3}, new int[] {8, 10, 4}, 3 * 3 * 4 * 3 + 4),
        new Case("conv2d-transpose-valid", () -> new Conv2DTranspose(2, 3, 2).strides(2, 1),
            new int[] {4, 5, 3}, new int[] {9, 6, 2}, 3 * 2 * 2 * 3 + 2),
        new Case("avgpool", () -> new AveragePooling2D(2, 2).padding("same"),
            new int[] {5, 5, 3}, new int[] {3, 3, 3}, 0),
        new Case("maxpool1d", () -> new MaxPooling1D(3).strides(2), new int[] {9, 2},
            new int[] {4, 2}, 0),
        new Case("avgpool1d", () -> new AveragePooling1D(), new int[] {9, 2},
            new int[] {4, 2}, 0),
        new Case("gap2d", () -> new GlobalAveragePooling2D(), new int[] {4, 5, 3},
            new int[] {3}, 0),
        new Case("gmp2d-keepdims", () -> new GlobalMaxPooling2D().keepDims(true),
            new int[] {4, 5, 3}, new int[] {1, 1, 3}, 0),
        new Case("gap1d-channels-first", () -> new GlobalAveragePooling1D()
            .dataFormat("channels_first"), new int[] {3, 7}, new int[] {3}, 0),
        new Case("gmp1d", () -> new GlobalMaxPooling1D(), new int[] {7, 3}, new int[] {3}, 0),
        new Case("batchnorm", () -> new BatchNormalization().momentum(0.9)
            .gammaConstraint(Constraints.maxNorm(2)), new int[] {4, 4, 3},
            new int[] {4, 4, 3}, 4 * 3),
        new Case("batchnorm-axis1-nocenter", () -> new BatchNormalization(1).center(false),
            new int[] {3, 4, 4}, new int[] {3, 4, 4}, 3 * 3),
        new Case("layernorm", () -> new LayerNormalization(), new int[] {5, 6},
            new int[] {5, 6}, 2 * 6),
        new Case("layernorm-two-axes", () -> new LayerNormalization(-2, -1).epsilon(1e-5),
            new int[] {2, 5, 6}, new int[] {2, 5, 6}, 2 * 5 * 6),
        new Case("dropout-noise-shape", () -> new Dropout(0.3).noiseShape(0, 1, 0),
            new int[] {4, 5}, new int[] {4, 5}, 0),
        new Case("spatial-dropout1d", () -> new SpatialDropout1D(0.3), new int[] {4, 5},
            new int[] {4, 5}, 0),
        new Case("spatial-dropout2d", () -> new SpatialDropout2D(0.3), new int[] {3, 4, 5},
            new int[] {3, 4, 5}, 0),
        new Case("gaussian-noise", () -> new GaussianNoise(0.1), new int[] {6}, new int[] {6}, 0),
        new Case("gaussian-dropout", () -> new GaussianDropout(0.2), new int[] {6},
            new int[] {6}, 0),
        new Case("activity-regularization", () -> new ActivityRegularization(0.01, 0.02),
            new int[] {6}, new int[] {6}, 0),
        new Case("zero-padding", () -> new ZeroPadding2D(1, 2, 0, 3), new int[] {4, 4, 2},
            new int[] {7, 7, 2}, 0),
        new Case("cropping", () -> new Cropping2D(1, 2), new int[] {6, 7, 2},
            new int[] {4, 3, 2}, 0),
        new Case("upsampling-nearest", () -> new UpSampling2D(2, 3), new int[] {3, 4, 2},
            new int[] {6, 12, 2}, 0),
        new Case("upsampling-bilinear", () -> new UpSampling2D(2).interpolation("bilinear"),
            new int[] {3, 4, 2}, new int[] {6, 8, 2}, 0),
        new Case("relu-layer", () -> new ReLU(6.0, 0.1, 0.5), new int[] {6}, new int[] {6}, 0),
        new Case("leaky-relu", () -> new LeakyReLU(0.2), new int[] {6}, new int[] {6}, 0),
        new Case("prelu-shared", () -> new PReLU().sharedAxes(1, 2), new int[] {4, 4, 3},
            new int[] {4, 4, 3}, 3),
        new Case("elu", () -> new ELU(0.7), new int[] {6}, new int[] {6}, 0),
        new Case("softmax-layer", () -> new Softmax(1), new int[] {6}, new int[] {6}, 0),
        new Case("thresholded-relu", () -> new ThresholdedReLU(0.5), new int[] {6},
            new int[] {6}, 0),
        new Case("rescaling", () -> new Rescaling(1 / 255.0, -0.5), new int[] {4, 4, 1},
            new int[] {4, 4, 1}, 0),
        new Case("normalization", () -> new Normalization()
            .meanAndVariance(new float[] {1, 2, 3}, new float[] {4, 5, 6}), new int[] {5, 3},
            new int[] {5, 3}, 3 + 3 + 1),
        new Case("dense-activity-regularizer", () -> new Dense(3)
            .activityRegularizer(Regularizers.l1(0.01)), new int[] {4}, new int[] {3}, 15))
        .map(Arguments::of);
  }

  /**
   * The layer's gradients (input and every trainable weight) agree with central differences of its
   * own float forward pass in inference mode, on a sample of elements: a check that every
   * parameter and path is wired into autograd (each op's rule is checked exactly elsewhere).
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void gradientsMatchFiniteDifferences(Case c) {
    Layer layer = c.make().get();
    layer.build(Shape.of(c.in()), new SplittableRandom(3));
    int[] batchIn = new int[c.in().length + 1];
    batchIn[0] = 2;
    System.arraycopy(c.in(), 0, batchIn, 1, c.in().length);
    Tensor x = Tensor.randomUniform(new SplittableRandom(4), -1, 1, batchIn).requiringGrad();
    Tensor y0 = layer.forward(x, ForwardContext.INFERENCE);
    Tensor w = Tensor.randomUniform(new SplittableRandom(5), -1, 1, y0.shape().dims());
    List<Tensor> wrt = new java.util.ArrayList<>();
    List<float[]> data = new java.util.ArrayList<>();
    wrt.add(x);
    data.add(null);
    for (io.github.maxnorm.nn.Parameter p : layer.trainableWeights()) {
      wrt.add(p.variable().value());
      data.add(p.variable().data());
    }
    List<Tensor> grads = io.github.maxnorm.tensor.Autograd.grad(y0.mul(w).sum(), wrt);
    float[] xs = x.toArray();
    for (int k = 0; k < wrt.size(); k++) {
      float[] values = k == 0 ? xs : data.get(k);
      float[] g = grads.get(k).toArray();
      int step = Math.max(1, values.length / 12);
      for (int i = 0; i < values.length; i += step) {
        float keep = values[i];
        float eps = 1e-3f * Math.max(1f, Math.abs(keep));
        values[i] = keep + eps;
        double plus = weighted(layer, k == 0 ? xs : x.toArray(), batchIn, w);
        values[i] = keep - eps;
        double minus = weighted(layer, k == 0 ? xs : x.toArray(), batchIn, w);
        values[i] = keep;
        double numeric = (plus - minus) / (2.0 * eps);
        assertEquals(numeric, g[i], 2e-2 * (1 + Math.abs(numeric)),
            c.label() + ": gradient of " + (k == 0 ? "input" : wrt.get(k)) + " element " + i);
      }
    }
  }

  private static double weighted(Layer layer, float[] x, int[] shape, Tensor w) {
    float[] y = layer.forward(Tensor.of(x, shape), ForwardContext.INFERENCE).toArray();
    double s = 0;
    for (int i = 0; i < y.length; i++) {
      s += (double) y[i] * w.get(i);
    }
    return s;
  }

  /** Every registered layer class (by the class of the layer it makes). */
  @Test
  void everyRegisteredLayerHasACase() {
    java.util.Set<String> covered = new java.util.HashSet<>();
    cases().forEach(a -> covered.add(((Case) a.get()[0]).make().get().className()));
    covered.add("InputLayer");
    for (String merge : List.of("Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum",
        "Concatenate")) {
      covered.add(merge);
    }
    for (String name : LayerConfigs.registry().classNames()) {
      assertTrue(covered.contains(name), "no harness case for " + name);
    }
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
    for (ForwardContext ctx : List.of(ForwardContext.INFERENCE, ForwardContext.training(5),
        new ForwardContext(true, 6, new java.util.ArrayList<>()))) {
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
    // same seed, same initial weights (the used layer's moving statistics have moved)
    Layer fresh = c.make().get();
    fresh.build(Shape.of(c.in()), new SplittableRandom(1));
    assertEquals(fresh.weights().size(), rebuilt.weights().size());
    for (int i = 0; i < fresh.weights().size(); i++) {
      assertArrayEquals(fresh.weights().get(i).variable().data(),
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

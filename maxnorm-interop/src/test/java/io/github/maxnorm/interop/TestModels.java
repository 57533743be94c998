package io.github.maxnorm.interop;

import io.github.maxnorm.model.Model;
import io.github.maxnorm.model.Sequential;
import io.github.maxnorm.nn.Constraints;
import io.github.maxnorm.nn.Parameter;
import io.github.maxnorm.nn.SymbolicTensor;
import io.github.maxnorm.nn.layers.Activation;
import io.github.maxnorm.nn.layers.Add;
import io.github.maxnorm.nn.layers.AveragePooling2D;
import io.github.maxnorm.nn.layers.BatchNormalization;
import io.github.maxnorm.nn.layers.Concatenate;
import io.github.maxnorm.nn.layers.Conv1D;
import io.github.maxnorm.nn.layers.Conv2D;
import io.github.maxnorm.nn.layers.Dense;
import io.github.maxnorm.nn.layers.DepthwiseConv2D;
import io.github.maxnorm.nn.layers.Dropout;
import io.github.maxnorm.nn.layers.Flatten;
import io.github.maxnorm.nn.layers.GlobalAveragePooling2D;
import io.github.maxnorm.nn.layers.Input;
import io.github.maxnorm.nn.layers.MaxPooling2D;
import io.github.maxnorm.nn.layers.SeparableConv2D;
import io.github.maxnorm.nn.layers.UpSampling2D;
import io.github.maxnorm.nn.layers.ZeroPadding2D;
import io.github.maxnorm.tensor.Shape;
import io.github.maxnorm.tensor.Tensor;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Models built in maxnorm for the export checks (ONNX Runtime, TensorFlow.js): an MLP with
 * max-norm, a CNN, the seed's channels-first example, depthwise and separable convolutions with
 * padding and upsampling, a causal dilated Conv1D, and a residual graph with BatchNormalization,
 * Add and Concatenate. Weights come from fixed seeds; BatchNormalization gets non-trivial moving
 * statistics.
 */
public final class TestModels {
  private TestModels() {}

  /** A batch of {@code n} samples of {@code shape}, uniform in [-1, 1), from {@code seed}. */
  public static Tensor batch(Shape shape, int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] v = new float[n * shape.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (2 * r.nextDouble() - 1);
    }
    int[] dims = new int[shape.rank() + 1];
    dims[0] = n;
    System.arraycopy(shape.dims(), 0, dims, 1, shape.rank());
    return Tensor.of(v, dims);
  }

  public static Model built(Model m, int seed) {
    if (m instanceof Sequential s && !s.built()) {
      return s.build(new SplittableRandom(seed));
    }
    m.build(new SplittableRandom(seed));
    // non-trivial moving statistics, so that BatchNormalization's folding is checked
    for (Parameter p : m.weights()) {
      if (p.name().startsWith("moving_")) {
        float[] v = new float[p.shape().size()];
        SplittableRandom r = new SplittableRandom(seed + v.length);
        for (int i = 0; i < v.length; i++) {
          v[i] = p.name().endsWith("variance") ? (float) (0.5 + r.nextDouble())
              : (float) (r.nextDouble() - 0.5);
        }
        p.variable().assign(Tensor.of(v, p.shape().dims()));
      }
    }
    return m;
  }

  /** The models by name, built. */
  public static Map<String, Model> nativeModels() {
    Map<String, Model> ms = new TreeMap<>();
    ms.put("mlp", built(new Sequential("mlp")
        .add(new Flatten().inputShape(28, 28, 1)).add(new Dropout(0.2))
        .add(new Dense(64).activation("relu").kernelConstraint(Constraints.maxNorm(3)))
        .add(new Dropout(0.5))
        .add(new Dense(10).activation("softmax").kernelConstraint(Constraints.maxNorm(3))), 1));
    ms.put("cnn", built(new Sequential("cnn")
        .add(new Conv2D(8, 3).inputShape(12, 12, 3).padding("same").activation("relu"))
        .add(new MaxPooling2D(2, 2))
        .add(new Conv2D(6, 3).strides(2, 2).padding("same").activation("tanh"))
        .add(new AveragePooling2D(2, 2).padding("same"))
        .add(new Flatten()).add(new Dense(5).activation("softmax")), 2));
    ms.put("seed_example_channels_first", built(new Sequential("th")
        .add(new Conv2D(32, 3, 3).inputShape(3, 32, 32).padding("same").activation("relu")
            .dataFormat("channels_first").kernelConstraint(Constraints.maxNorm(3)))
        .add(new MaxPooling2D(2, 2).dataFormat("channels_first"))
        .add(new Flatten()).add(new Dense(10).activation("softmax")), 3));
    ms.put("depthwise_separable", built(new Sequential("sep")
        .add(new DepthwiseConv2D(3).inputShape(9, 9, 4).depthMultiplier(2).activation("relu"))
        .add(new SeparableConv2D(5, 3).padding("same").activation("elu"))
        .add(new ZeroPadding2D(1)).add(new UpSampling2D(2)).add(new GlobalAveragePooling2D())
        .add(new Dense(3).activation("sigmoid")), 4));
    ms.put("causal_conv1d", built(new Sequential("causal")
        .add(new Conv1D(4, 3).inputShape(10, 2).padding("causal").dilationRate(2)
            .activation("relu"))
        .add(new Flatten()).add(new Dense(2)), 5));
    SymbolicTensor x = Input.of("image", 8, 8, 3);
    SymbolicTensor h = new Activation("relu").apply(new BatchNormalization().apply(
        new Conv2D(4, 3).padding("same").useBias(false).apply(x)));
    SymbolicTensor skip = new BatchNormalization().apply(new Conv2D(4, 1).apply(x));
    SymbolicTensor sum = new Add().apply(h, skip);
    SymbolicTensor cat = new Concatenate().apply(sum, x);
    SymbolicTensor y = new Dense(3).activation("softmax")
        .apply(new GlobalAveragePooling2D().apply(cat));
    ms.put("residual_graph", built(new Model("residual", List.of(x), List.of(y)), 6));
    return ms;
  }
}

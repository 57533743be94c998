package io.github.maxnorm.interop.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.github.maxnorm.interop.KerasFiles;
import io.github.maxnorm.interop.keras.KerasModels;
import io.github.maxnorm.interop.keras.KerasNormalizer;
import io.github.maxnorm.interop.onnx.proto.OnnxProto.ModelProto;
import io.github.maxnorm.io.ModelFormatException;
import io.github.maxnorm.model.Model;
import io.github.maxnorm.model.Sequential;
import io.github.maxnorm.nn.Constraints;
import io.github.maxnorm.nn.SymbolicTensor;
import io.github.maxnorm.nn.layers.Activation;
import io.github.maxnorm.nn.layers.Add;
import io.github.maxnorm.nn.layers.AveragePooling2D;
import io.github.maxnorm.nn.layers.BatchNormalization;
import io.github.maxnorm.nn.layers.Concatenate;
import io.github.maxnorm.nn.layers.Conv1D;
import io.github.maxnorm.nn.layers.Conv2D;
import io.github.maxnorm.nn.layers.Conv2DTranspose;
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
import io.github.maxnorm.nn.Parameter;
import io.github.maxnorm.tensor.Shape;
import io.github.maxnorm.tensor.Tensor;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * ONNX Runtime for Java runs the ONNX models {@link OnnxExport} writes and computes what maxnorm
 * computes, within {@value #RTOL} relative plus {@value #ATOL} absolute, on a fixed batch: models
 * built in maxnorm (MLP with max-norm, CNN, a residual graph with BatchNormalization, depthwise and
 * separable convolutions, channels-first and causal convolutions) and every tf.keras model of the
 * shared corpus that imports.
 */
class OnnxRuntimeTest {
  static final double RTOL = 1e-5;
  static final double ATOL = 1e-6;

  static Model built(Model m, int seed) {
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

  static Map<String, Model> nativeModels() {
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

  @Test
  void onnxRuntimeComputesWhatMaxnormComputesOnModelsBuiltInMaxnorm() throws OrtException {
    for (Map.Entry<String, Model> e : nativeModels().entrySet()) {
      double worst = check(e.getValue(), e.getKey());
      System.out.printf("onnx %s: worst relative error %.2e%n", e.getKey(), worst);
    }
  }

  @Test
  void everyImportedTfKerasModelRunsInOnnxRuntime() throws IOException, OrtException {
    Path root = Path.of(System.getProperty("maxnorm.shared.keras", "../../shared/keras"))
        .resolve("tfkeras");
    Assumptions.assumeTrue(Files.isDirectory(root), "no shared corpus at " + root);
    List<Path> files;
    try (Stream<Path> s = Files.list(root)) {
      files = s.filter(p -> p.toString().endsWith(".h5")).sorted().toList();
    }
    int ran = 0;
    double worst = 0;
    Map<String, Integer> refused = new TreeMap<>();
    for (Path p : files) {
      String name = p.getFileName().toString();
      Model m;
      try {
        m = KerasModels.toModel(KerasNormalizer.normalize(KerasFiles.read(p), name), name)
            .model();
      } catch (ModelFormatException e) {
        continue; // counted by TfKerasModelsTest
      }
      try {
        OnnxExport.toModel(m);
      } catch (IllegalArgumentException e) {
        refused.merge(e.getMessage().replaceFirst("^.*\\(([A-Za-z0-9]+)\\): (.*)$", "$1: $2"), 1,
            Integer::sum);
        continue;
      }
      worst = Math.max(worst, check(m, name));
      ran++;
    }
    System.out.printf("onnx tfkeras: %d models run in ONNX Runtime, worst relative error %.2e;"
        + " not exported: %s%n", ran, worst, refused);
    assertEquals(168, ran + refused.values().stream().mapToInt(Integer::intValue).sum());
    assertTrue(ran >= 100, "ran " + ran);
  }

  @Test
  void aLayerWithoutTranslationIsRefusedNamingIt() {
    Model m = built(new Sequential("up").add(new Conv2DTranspose(2, 3).inputShape(4, 4, 1))
        .add(new Flatten()), 7);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> OnnxExport.toModel(m));
    assertEquals("ONNX export: layer 'conv2d_transpose' (Conv2DTranspose): has no ONNX"
        + " translation here", e.getMessage());
  }

  @Test
  void theGraphStatesItsOpsetAndBatchAxis() {
    ModelProto p = OnnxExport.toModel(nativeModels().get("mlp"));
    assertEquals(13, p.getOpsetImport(0).getVersion());
    assertEquals("", p.getOpsetImport(0).getDomain());
    assertEquals("batch",
        p.getGraph().getInput(0).getType().getTensorType().getShape().getDim(0).getDimParam());
  }

  /** Runs {@code m} in maxnorm and in ONNX Runtime on 3 seeded samples; returns the worst error. */
  static double check(Model m, String what) throws OrtException {
    Shape in = m.inputShape();
    int n = 3;
    float[] x = new float[n * in.size()];
    SplittableRandom r = new SplittableRandom(what.hashCode());
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (2 * r.nextDouble() - 1);
    }
    int[] dims = new int[in.rank() + 1];
    dims[0] = n;
    System.arraycopy(in.dims(), 0, dims, 1, in.rank());
    float[] want = m.predict(Tensor.of(x, dims)).toArray();
    byte[] bytes = OnnxExport.toModel(m).toByteArray();
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    long[] shape = new long[dims.length];
    for (int i = 0; i < dims.length; i++) {
      shape[i] = dims[i];
    }
    float[] got;
    try (OrtSession s = env.createSession(bytes, new OrtSession.SessionOptions());
        OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), shape);
        OrtSession.Result res = s.run(Map.of(s.getInputNames().iterator().next(), t))) {
      FloatBuffer fb = ((OnnxTensor) res.get(0)).getFloatBuffer();
      got = new float[fb.remaining()];
      fb.get(got);
    }
    assertEquals(want.length, got.length, what);
    double worst = 0;
    List<String> bad = new ArrayList<>();
    for (int i = 0; i < want.length; i++) {
      double err = Math.abs(got[i] - want[i]);
      if (!(err <= RTOL * Math.abs(want[i]) + ATOL)) {
        bad.add(i + ": onnx " + got[i] + ", maxnorm " + want[i]);
      }
      if (Math.abs(want[i]) > ATOL) {
        worst = Math.max(worst, err / Math.abs(want[i]));
      }
    }
    assertTrue(bad.isEmpty(), what + ": " + bad.subList(0, Math.min(5, bad.size())));
    return worst;
  }
}

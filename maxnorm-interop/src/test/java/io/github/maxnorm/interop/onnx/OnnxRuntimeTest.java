package io.github.maxnorm.interop.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.github.maxnorm.interop.KerasFiles;
import io.github.maxnorm.interop.TestModels;
import io.github.maxnorm.interop.keras.KerasModels;
import io.github.maxnorm.interop.keras.KerasNormalizer;
import io.github.maxnorm.interop.keras.SharedCorpusTest;
import io.github.maxnorm.interop.onnx.proto.OnnxProto.ModelProto;
import io.github.maxnorm.io.ModelFormatException;
import io.github.maxnorm.model.Model;
import io.github.maxnorm.model.Sequential;
import io.github.maxnorm.nn.layers.Conv2DTranspose;
import io.github.maxnorm.nn.layers.Flatten;
import io.github.maxnorm.tensor.Tensor;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * ONNX Runtime for Java runs the ONNX models {@link OnnxExport} writes and computes what maxnorm
 * computes, within {@value #RTOL} relative plus {@value #ATOL} absolute, on a fixed batch: the
 * models built in maxnorm of {@link TestModels} and every tf.keras model of the shared corpus that
 * imports.
 */
class OnnxRuntimeTest {
  static final double RTOL = 1e-5;
  static final double ATOL = 1e-6;

  @Test
  void onnxRuntimeComputesWhatMaxnormComputesOnModelsBuiltInMaxnorm() throws OrtException {
    for (Map.Entry<String, Model> e : TestModels.nativeModels().entrySet()) {
      double worst = check(e.getValue(), e.getKey());
      System.out.printf("onnx %s: worst relative error %.2e%n", e.getKey(), worst);
    }
  }

  @Test
  void everyImportedTfKerasModelRunsInOnnxRuntime() throws IOException, OrtException {
    List<Path> files = SharedCorpusTest.files("tfkeras", ".h5");
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
    Model m = TestModels.built(new Sequential("up")
        .add(new Conv2DTranspose(2, 3).inputShape(4, 4, 1))
        .add(new Flatten()), 7);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> OnnxExport.toModel(m));
    assertEquals("ONNX export: layer 'conv2d_transpose' (Conv2DTranspose): has no ONNX"
        + " translation here", e.getMessage());
  }

  @Test
  void theGraphStatesItsOpsetAndBatchAxis() {
    ModelProto p = OnnxExport.toModel(TestModels.nativeModels().get("mlp"));
    assertEquals(13, p.getOpsetImport(0).getVersion());
    assertEquals("", p.getOpsetImport(0).getDomain());
    assertEquals("batch",
        p.getGraph().getInput(0).getType().getTensorType().getShape().getDim(0).getDimParam());
  }

  /** Runs {@code m} in maxnorm and in ONNX Runtime on 3 seeded samples; returns the worst error. */
  static double check(Model m, String what) throws OrtException {
    Tensor batch = TestModels.batch(m.inputShape(), 3, what.hashCode());
    float[] x = batch.toArray();
    int[] dims = batch.shape().dims();
    float[] want = m.predict(batch).toArray();
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

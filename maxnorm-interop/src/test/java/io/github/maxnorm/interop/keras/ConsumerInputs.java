package io.github.maxnorm.interop.keras;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.maxnorm.interop.KerasFiles;
import io.github.maxnorm.interop.TestModels;
import io.github.maxnorm.model.Model;
import io.github.maxnorm.tensor.Tensor;
import java.util.Map;
import io.jhdf.api.Group;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * The files the real consumers check (see {@code maxnorm-interop/consumers/run.sh}): TensorFlow.js
 * models written from recorded Keras models, with the inputs and predictions Keras recorded; an
 * {@code .h5} full model and a Keras 3 weights file written from real tf.keras models, beside the
 * Keras-written originals they are compared with. The same files are written again by the default
 * suite, which compares their SHA-256 with those in the frozen consumer results.
 */
public final class ConsumerInputs {
  private ConsumerInputs() {}

  /** Recorded Keras models converted to TF.js, by their path under {@code recorded/}. */
  public static final List<String> TFJS_MODELS = List.of(
      "activations/ELU_0", "activations/LeakyReLU_0", "activations/ReLU_1",
      "activations/ReLU_3", "activations/Softmax_0", "activations/ThresholdReLU_0",
      "simple_sparse_xent/simple_sparse_xent_mlp_keras_2", "conv1d/conv1d_k2_s1_d2_cl_same",
      "conv1d/conv1d_k2_s1_d1_cf_valid", "causal_conv1d/causal_conv1d_k3_s1_d2_cl");

  /** Real tf.keras files written back as {@code .h5} and as Keras 3 weights. */
  public static final List<String> H5_MODELS = List.of(
      "tfkeras/mlp_0.h5", "tfkeras/cnn2d_46.h5", "tfkeras/cnn2d_82.h5",
      "recorded/simple_sparse_xent/simple_sparse_xent_mlp_keras_2_model.h5");

  /** Writes every consumer input under {@code out} and returns {@code manifest.json}'s content. */
  public static ObjectNode write(Path out) throws IOException {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode manifest = f.objectNode();
    ArrayNode tfjs = manifest.putArray("tfjs");
    ArrayNode refused = manifest.putArray("tfjs_refused");
    for (String m : TFJS_MODELS) {
      String name = m.substring(m.indexOf('/') + 1);
      KerasModelFile model = KerasNormalizer.normalize(
          KerasFiles.read(Resources.keras("recorded/" + m + "_model.h5")), name);
      Path dir = out.resolve("tfjs").resolve(name);
      try {
        KerasFiles.write(model, dir, KerasFormat.TFJS);
      } catch (IllegalArgumentException e) {
        refused.addObject().put("name", name).put("message", e.getMessage());
        continue;
      }
      ObjectNode c = tfjs.addObject();
      c.put("name", name);
      c.put("dir", "tfjs/" + name);
      c.put("source", "recorded/" + m + "_model.h5");
      recorded(Resources.keras("recorded/" + m + "_inputs_and_outputs.h5"), c);
    }
    // the same recorded models imported as maxnorm models and exported by maxnorm, checked
    // against maxnorm's own predictions on the recorded inputs
    for (String m : TFJS_MODELS) {
      String name = "maxnorm/" + m.substring(m.indexOf('/') + 1);
      Path source = Resources.keras("recorded/" + m + "_model.h5");
      Model model = KerasModels.toModel(KerasNormalizer.normalize(KerasFiles.read(source), name),
          name).model();
      ObjectNode c = f.objectNode();
      recorded(Resources.keras("recorded/" + m + "_inputs_and_outputs.h5"), c);
      JsonNode in = c.path("inputs").get(0);
      Tensor x = Tensor.of(floats(in.path("values")), ints(in.path("shape")));
      c.remove("predictions");
      writeMaxnormTfjs(model, name, x, out, tfjs, refused, c);
    }
    // models built in maxnorm, on a fixed batch
    for (Map.Entry<String, Model> e : TestModels.nativeModels().entrySet()) {
      Model model = e.getValue();
      Tensor x = TestModels.batch(model.inputShape(), 3, e.getKey().hashCode());
      ObjectNode c = f.objectNode();
      c.putArray("inputs").add(tensor(model.inputs().get(0).layer().name(), x));
      writeMaxnormTfjs(model, "maxnorm/" + e.getKey(), x, out, tfjs, refused, c);
    }
    ArrayNode h5 = manifest.putArray("h5");
    for (String m : H5_MODELS) {
      String name = Path.of(m).getFileName().toString().replace(".h5", "");
      KerasModelFile raw = KerasFiles.read(Resources.keras(m));
      KerasModelFile model = KerasNormalizer.normalize(raw, name);
      Path full = out.resolve("h5").resolve(name + ".h5");
      Path store = out.resolve("h5").resolve(name + ".weights.h5");
      Files.createDirectories(full.getParent());
      KerasFiles.write(model, full, KerasFormat.H5);
      KerasFiles.write(model, store, KerasFormat.KERAS_WEIGHTS);
      ObjectNode c = h5.addObject();
      c.put("name", name);
      c.put("keras_file", "keras/" + m);
      c.put("written_h5", "h5/" + name + ".h5");
      c.put("written_weights_h5", "h5/" + name + ".weights.h5");
      c.set("model_config", model.modelConfig());
      // the same model imported into maxnorm and written from the maxnorm model
      KerasModelFile fromMaxnorm = KerasModels.toKeras(KerasModels.toModel(model, name).model());
      Path mFull = out.resolve("h5").resolve("maxnorm-" + name + ".h5");
      Path mStore = out.resolve("h5").resolve("maxnorm-" + name + ".weights.h5");
      KerasFiles.write(fromMaxnorm, mFull, KerasFormat.H5);
      KerasFiles.write(fromMaxnorm, mStore, KerasFormat.KERAS_WEIGHTS);
      ObjectNode d = h5.addObject();
      d.put("name", "maxnorm/" + name);
      d.put("keras_file", "keras/" + m);
      d.put("written_h5", "h5/maxnorm-" + name + ".h5");
      d.put("written_weights_h5", "h5/maxnorm-" + name + ".weights.h5");
      d.set("model_config", fromMaxnorm.modelConfig());
    }
    ObjectNode hashes = manifest.putObject("sha256");
    try (Stream<Path> s = Files.walk(out)) {
      for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
        String rel = out.relativize(p).toString().replace('\\', '/');
        if (!rel.endsWith(".json") || rel.endsWith("model.json")) {
          hashes.put(rel, sha256(p));
        }
      }
    }
    return manifest;
  }

  /**
   * Writes {@code model} as TF.js under {@code tfjs/<name>} with maxnorm's predictions for {@code
   * x} as the expected ones; a model the writer refuses goes to {@code refused}.
   */
  private static void writeMaxnormTfjs(Model model, String name, Tensor x, Path out,
      ArrayNode tfjs, ArrayNode refused, ObjectNode c) throws IOException {
    Path dir = out.resolve("tfjs").resolve(name);
    try {
      KerasFiles.write(KerasModels.toKeras(model), dir, KerasFormat.TFJS);
    } catch (IllegalArgumentException e) {
      refused.addObject().put("name", name).put("message", e.getMessage());
      return;
    }
    ObjectNode entry = tfjs.addObject();
    entry.put("name", name);
    entry.put("dir", "tfjs/" + name);
    entry.put("source", "maxnorm");
    entry.set("inputs", c.path("inputs"));
    entry.putArray("predictions").add(tensor(model.outputs().get(0).layer().name(),
        model.predict(x)));
  }

  private static ObjectNode tensor(String name, Tensor t) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("name", name);
    ArrayNode shape = o.putArray("shape");
    for (int d : t.shape().dims()) {
      shape.add(d);
    }
    ArrayNode values = o.putArray("values");
    for (float v : t.toArray()) {
      values.add(v);
    }
    return o;
  }

  private static float[] floats(JsonNode a) {
    float[] r = new float[a.size()];
    for (int i = 0; i < r.length; i++) {
      r[i] = (float) a.get(i).asDouble();
    }
    return r;
  }

  private static int[] ints(JsonNode a) {
    int[] r = new int[a.size()];
    for (int i = 0; i < r.length; i++) {
      r[i] = a.get(i).asInt();
    }
    return r;
  }

  /** Adds a recorded file's inputs and predictions (shape and values) to {@code c}. */
  static void recorded(Path io, ObjectNode c) throws IOException {
    KerasReadLimits limits = KerasReadLimits.defaults();
    try (Hdf5In h = Hdf5In.open(io, io.toString(), limits)) {
      for (String group : List.of("inputs", "predictions")) {
        Group g = h.group(h.root(), group);
        ArrayNode list = c.putArray(group);
        for (String name : h.childNames(g)) {
          KerasWeight w = h.weight(g, name, name, group);
          ObjectNode t = list.addObject();
          t.put("name", name);
          ArrayNode shape = t.putArray("shape");
          for (int d : w.shape()) {
            shape.add(d);
          }
          ArrayNode values = t.putArray("values");
          for (float v : w.values()) {
            values.add(v);
          }
        }
      }
    }
  }

  static String sha256(Path p) throws IOException {
    try {
      return HexFormat.of().formatHex(
          MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A path's JSON content. */
  static JsonNode json(Path p) throws IOException {
    return KerasJson.parse(Files.readAllBytes(p), p.toString(), KerasReadLimits.defaults());
  }
}

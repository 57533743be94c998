package io.github.maxnorm.interop.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.maxnorm.io.ModelFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class KerasConfigNormalizerTest {

  static JsonNode json(String text) throws ModelFormatException {
    return KerasJson.parse(text, "test", KerasReadLimits.defaults());
  }

  static JsonNode resource(String relative) throws IOException {
    return KerasJson.parse(Files.readAllBytes(Resources.keras(relative).toAbsolutePath()),
        relative, KerasReadLimits.defaults());
  }

  static JsonNode keras3(String name) throws IOException {
    Path p = Resources.keras("README.md").getParent().getParent().resolve("keras3").resolve(name);
    return KerasJson.parse(Files.readAllBytes(p), name, KerasReadLimits.defaults());
  }

  static JsonNode layers(JsonNode canonical) {
    return canonical.path("config").path("layers");
  }

  @Test
  void everyConfigOfTheCorpusNormalizesOrIsRefusedForItsLambda() throws IOException {
    Path root = Resources.keras("configs");
    List<Path> files;
    try (Stream<Path> s = Files.walk(root)) {
      files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
    List<String> refused = new ArrayList<>();
    for (Path p : files) {
      JsonNode config = KerasJson.parse(Files.readAllBytes(p), p.toString(), KerasReadLimits.defaults());
      String name = root.relativize(p).toString();
      try {
        JsonNode c = KerasConfigNormalizer.normalize(config, name);
        String cls = c.path("class_name").asText();
        assertTrue(cls.equals("Sequential") || cls.equals("Model"), name + ": " + cls);
        assertCanonical(c, name);
      } catch (ModelFormatException e) {
        refused.add(e.getMessage());
      }
    }
    assertEquals(62, files.size());
    assertEquals(List.of("keras2/yolo9000_tf_keras_2.json: layer 'space_to_depth_x2' (Lambda):"
        + " Lambda layers hold Python code and are never imported"), refused);
  }

  /** No Keras 1 or Keras 3 spelling is left anywhere in a canonical config. */
  static void assertCanonical(JsonNode node, String where) {
    if (node.isObject()) {
      for (String k : List.of("nb_filter", "nb_row", "nb_col", "border_mode", "subsample", "init",
          "W_constraint", "b_constraint", "W_regularizer", "dim_ordering", "p",
          "input_dtype", "module", "registered_name", "batch_shape", "shared_object_id",
          "build_config")) {
        assertTrue(!node.has(k), where + ": key '" + k + "' left in " + node);
      }
      if (node.has("dtype")) {
        assertTrue(node.get("dtype").isTextual() || node.get("dtype").isNull(), where);
      }
      node.forEach(c -> assertCanonical(c, where));
    } else if (node.isArray()) {
      node.forEach(c -> assertCanonical(c, where));
    }
  }

  @Test
  void keras1TheanoCnnBecomesKeras2() throws IOException {
    JsonNode c = KerasConfigNormalizer.normalize(
        resource("configs/keras1/mnist_cnn_th_keras_1_config.json"), "th");
    JsonNode conv = layers(c).get(0);
    assertEquals("Conv2D", conv.path("class_name").asText());
    JsonNode cfg = conv.path("config");
    assertEquals(32, cfg.path("filters").asInt());
    assertEquals("[3,3]", cfg.path("kernel_size").toString());
    assertEquals("[1,1]", cfg.path("strides").toString());
    assertEquals("valid", cfg.path("padding").asText());
    assertEquals("channels_first", cfg.path("data_format").asText());
    assertEquals("[null,1,28,28]", cfg.path("batch_input_shape").toString());
    assertEquals("float32", cfg.path("dtype").asText());
    assertEquals("GlorotUniform", cfg.path("kernel_initializer").path("class_name").asText());
    assertTrue(cfg.path("use_bias").asBoolean());
    JsonNode pool = layers(c).get(4).path("config");
    assertEquals("channels_first", pool.path("data_format").asText());
    assertEquals("[2,2]", pool.path("pool_size").toString());
    assertEquals(0.25, layers(c).get(5).path("config").path("rate").asDouble());
    JsonNode dense = layers(c).get(7).path("config");
    assertEquals(128, dense.path("units").asInt());
    assertTrue(!dense.has("input_dim"), "input_dim kept on a non-first layer");
  }

  @Test
  void seedExampleKeras1ConvolutionWithMaxNormLoads() throws IOException {
    // Convolution2D(32, 3, 3, input_shape=(3, 32, 32), border_mode='same', activation='relu',
    // W_constraint=maxnorm(3)) as Keras 1.2 serializes it, in th ordering
    JsonNode c = KerasConfigNormalizer.normalize(json("""
        {"class_name": "Sequential", "config": [{"class_name": "Convolution2D", "config": {
          "name": "convolution2d_1", "trainable": true, "batch_input_shape": [null, 3, 32, 32],
          "input_dtype": "float32", "nb_filter": 32, "nb_row": 3, "nb_col": 3, "init": "glorot_uniform",
          "activation": "relu", "border_mode": "same", "subsample": [1, 1], "dim_ordering": "th",
          "W_regularizer": null, "b_regularizer": null, "activity_regularizer": null,
          "W_constraint": {"name": "MaxNorm", "m": 3, "axis": [1, 2, 3]}, "b_constraint": null,
          "bias": true}}]}"""), "seed");
    JsonNode cfg = layers(c).get(0).path("config");
    assertEquals("Conv2D", layers(c).get(0).path("class_name").asText());
    assertEquals("same", cfg.path("padding").asText());
    assertEquals("relu", cfg.path("activation").asText());
    assertEquals("channels_first", cfg.path("data_format").asText());
    JsonNode maxNorm = cfg.path("kernel_constraint");
    assertEquals("MaxNorm", maxNorm.path("class_name").asText());
    assertEquals(3, maxNorm.path("config").path("max_value").asInt());
    // the kernel moves from (out, in, rows, cols) to (rows, cols, in, out): axes 1,2,3 -> 2,0,1
    assertEquals("[0,1,2]", maxNorm.path("config").path("axis").toString());
  }

  @Test
  void keras2ConstraintsAreKept() throws IOException {
    JsonNode c = KerasConfigNormalizer.normalize(
        resource("configs/keras2/mnist_mlp_constraint_tf_keras_2_config.json"), "c");
    List<String> constraints = new ArrayList<>();
    layers(c).forEach(l -> l.path("config").fields().forEachRemaining(f -> {
      if (f.getKey().endsWith("constraint") && f.getValue().isObject()) {
        constraints.add(f.getValue().path("class_name").asText());
      }
    }));
    assertTrue(constraints.containsAll(List.of("MaxNorm", "NonNeg", "UnitNorm", "MinMaxNorm")),
        constraints.toString());
  }

  @Test
  void keras1FunctionalModelWithMergeBecomesKeras2Graph() throws IOException {
    JsonNode c = KerasConfigNormalizer.normalize(
        resource("configs/keras1/mlp_fapi_config.json"), "fapi");
    assertEquals("Model", c.path("class_name").asText());
    boolean merged = false;
    for (JsonNode l : layers(c)) {
      for (JsonNode node : l.path("inbound_nodes")) {
        for (JsonNode e : node) {
          assertEquals(4, e.size(), "entries are [layer, node, tensor, kwargs]");
          assertTrue(e.get(3).isObject());
        }
      }
      merged |= List.of("Concatenate", "Add", "Multiply", "Average", "Maximum", "Dot")
          .contains(l.path("class_name").asText());
    }
    assertTrue(merged, "the Keras 1 Merge became a Keras 2 merge layer");
    assertTrue(c.path("config").path("input_layers").get(0).isArray());
  }

  @Test
  void keras3FunctionalModelBecomesKeras2Graph() throws IOException {
    JsonNode c = KerasConfigNormalizer.normalize(keras3("functional_cnn.json"), "k3");
    assertCanonical(c, "k3");
    assertEquals("Model", c.path("class_name").asText());
    JsonNode in = layers(c).get(0);
    assertEquals("[null,8,8,1]", in.path("config").path("batch_input_shape").toString());
    JsonNode conv = layers(c).get(1);
    assertEquals("float32", conv.path("config").path("dtype").asText());
    assertEquals("[[[\"input_layer\",0,0,{}]]]", conv.path("inbound_nodes").toString());
    assertEquals("L2", conv.path("config").path("kernel_regularizer").path("class_name").asText());
    JsonNode bn = layers(c).get(2);
    assertEquals("float32", bn.path("config").path("dtype").asText(), "shared dtype policy resolved");
    assertTrue(!bn.path("config").has("synchronized"));
    assertEquals("[[[\"conv2d\",0,0,{\"mask\":null}]]]", bn.path("inbound_nodes").toString());
    JsonNode add = layers(c).get(5);
    assertEquals("[[[\"re_lu\",0,0,{}],[\"conv2d_1\",0,0,{}]]]", add.path("inbound_nodes").toString());
    assertEquals("[[\"input_layer\",0,0]]", c.path("config").path("input_layers").toString());
    assertEquals("[[\"dense\",0,0]]", c.path("config").path("output_layers").toString());
  }

  @Test
  void keras3SequentialBecomesKeras2() throws IOException {
    JsonNode c = KerasConfigNormalizer.normalize(keras3("sequential_mlp.json"), "k3");
    assertCanonical(c, "k3");
    assertEquals("InputLayer", layers(c).get(0).path("class_name").asText());
    assertEquals("[null,784]", layers(c).get(0).path("config").path("batch_input_shape").toString());
    assertEquals(0.2, layers(c).get(3).path("config").path("alpha").asDouble(), "negative_slope -> alpha");
    assertEquals(0, layers(c).get(1).path("config").path("kernel_constraint").path("config")
        .path("axis").asInt());
  }

  @Test
  void keras3TrainingConfigBecomesKeras2() throws IOException {
    JsonNode t = KerasNormalizer.trainingConfig(keras3("functional_cnn.json").path("compile_config"), "k3");
    assertEquals("Adam", t.path("optimizer_config").path("class_name").asText());
    assertEquals(0.0010000000474974513,
        t.path("optimizer_config").path("config").path("learning_rate").asDouble());
    assertEquals("sparse_categorical_crossentropy", t.path("loss").asText());
    JsonNode t1 = KerasNormalizer.trainingConfig(json(
        "{\"optimizer_config\": {\"name\": \"SGD\", \"lr\": 0.01, \"momentum\": 0.9},"
            + " \"loss\": \"categorical_crossentropy\", \"metrics\": [\"accuracy\"]}"), "k1");
    assertEquals("{\"class_name\":\"SGD\",\"config\":{\"learning_rate\":0.01,\"momentum\":0.9}}",
        t1.path("optimizer_config").toString());
  }

  static String refusal(String config) {
    return assertThrows(ModelFormatException.class,
        () -> KerasConfigNormalizer.normalize(json(config), "model.h5")).getMessage();
  }

  static String seq(String layer) {
    return "{\"class_name\": \"Sequential\", \"config\": {\"name\": \"s\", \"layers\": [" + layer + "]}}";
  }

  @Test
  void refusesCodeAndCustomObjectsNamingFileLayerAndClass() {
    assertEquals("model.h5: layer 'l' (Lambda): Lambda layers hold Python code and are never"
        + " imported", refusal(seq("{\"class_name\": \"Lambda\", \"config\": {\"name\": \"l\","
            + " \"function\": [\"4wEAAA\", null, null]}}")));
    assertEquals("model.h5: layer 'c' (MyLayer): unknown layer class 'MyLayer' (a custom object?);"
        + " only Keras's built-in layers are imported",
        refusal(seq("{\"class_name\": \"MyLayer\", \"config\": {\"name\": \"c\"}}")));
    assertEquals("model.h5: layer 'd' (Dense): custom object 'Dense' from module 'my_pkg.layers';"
        + " only Keras's built-in objects are imported",
        refusal(seq("{\"module\": \"my_pkg.layers\", \"class_name\": \"Dense\", \"config\":"
            + " {\"name\": \"d\", \"units\": 2}}")));
    assertEquals("model.h5: layer 'd' (Dense): custom object 'Custom>Dense' (class Dense); only"
        + " Keras's built-in objects are imported",
        refusal(seq("{\"module\": \"keras.layers\", \"class_name\": \"Dense\", \"registered_name\":"
            + " \"Custom>Dense\", \"config\": {\"name\": \"d\", \"units\": 2}}")));
    assertTrue(refusal(seq("{\"class_name\": \"Dense\", \"config\": {\"name\": \"d\", \"units\": 2,"
        + " \"activation\": \"my_swish\"}}"))
        .startsWith("model.h5: layer 'd' (Dense): unknown activation \"my_swish\""));
    assertTrue(refusal(seq("{\"class_name\": \"Dense\", \"config\": {\"name\": \"d\", \"units\": 2,"
        + " \"kernel_constraint\": {\"class_name\": \"Clip\", \"config\": {}}}}"))
        .startsWith("model.h5: layer 'd' (Dense) kernel_constraint: unknown constraint class 'Clip'"));
  }

  static String graph(String layers) {
    return "{\"class_name\": \"Model\", \"config\": {\"name\": \"m\", \"layers\": [" + layers
        + "], \"input_layers\": [[\"in\", 0, 0]], \"output_layers\": [[\"b\", 0, 0]]}}";
  }

  static final String INPUT = "{\"name\": \"in\", \"class_name\": \"InputLayer\", \"config\":"
      + " {\"name\": \"in\", \"batch_input_shape\": [null, 2]}, \"inbound_nodes\": []}";

  static String dense(String name, String from) {
    return "{\"name\": \"" + name + "\", \"class_name\": \"Dense\", \"config\": {\"name\": \"" + name
        + "\", \"units\": 2}, \"inbound_nodes\": [[[\"" + from + "\", 0, 0, {}]]]}";
  }

  @Test
  void refusesBrokenGraphs() {
    assertEquals("model.h5: layer 'a': the graph has a cycle through this layer",
        refusal(graph(INPUT + "," + dense("a", "b") + "," + dense("b", "a"))));
    assertEquals("model.h5: layer 'b' (Dense): takes input from unknown layer 'x'",
        refusal(graph(INPUT + "," + dense("b", "x"))));
    assertEquals("model.h5: layer 'b': the model has two layers of this name",
        refusal(graph(INPUT + "," + dense("b", "in") + "," + dense("b", "in"))));
    assertEquals("model.h5: model: output_layers names unknown layer 'b'",
        refusal(graph(INPUT + "," + dense("a", "in"))));
  }

  @Test
  void deepNestingFailsFastWithoutStackOverflow() {
    StringBuilder deep = new StringBuilder();
    int n = 100_000;
    deep.append("[".repeat(n)).append("]".repeat(n));
    ModelFormatException e = assertThrows(ModelFormatException.class,
        () -> KerasJson.parse(deep.toString(), "deep.json", KerasReadLimits.defaults()));
    assertTrue(e.getMessage().startsWith("deep.json: malformed JSON"), e.getMessage());
    // models inside models, within the JSON limit but beyond the model nesting limit
    String m = seq("{\"class_name\": \"Dense\", \"config\": {\"name\": \"d\", \"units\": 1}}");
    for (int i = 0; i < 60; i++) {
      m = seq(m.replaceFirst("\\{\"class_name\"", "{\"name\": \"n" + i + "\", \"class_name\"")
          .replaceFirst("\"config\": \\{\"name\": \"s\"", "\"config\": {\"name\": \"n" + i + "\""));
    }
    String msg = refusal(m);
    assertTrue(msg.contains("models nested deeper than"), msg);
  }
}

package io.github.maxnorm.nn.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.maxnorm.nn.Config;
import io.github.maxnorm.nn.ForwardContext;
import io.github.maxnorm.nn.Layer;
import io.github.maxnorm.nn.Parameter;
import io.github.maxnorm.tensor.Shape;
import io.github.maxnorm.tensor.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Layers against forward values computed by PyTorch ({@code reference/make_layer_references.py},
 * whose header lists how Keras's conventions were reproduced there): each case builds the layer
 * from its Keras config, loads the given weights, replays the calls in training or inference mode
 * and compares every output, then the weights the calls changed (moving statistics).
 */
class LayerReferenceTest {
  static Stream<Arguments> cases() throws IOException {
    JsonNode root;
    try (InputStream in = LayerReferenceTest.class.getResourceAsStream(
        "reference/layer_references.json")) {
      root = new ObjectMapper().readTree(in);
    }
    List<Arguments> r = new ArrayList<>();
    for (JsonNode c : root.get("cases")) {
      r.add(Arguments.of(c.get("name").asText(), c));
    }
    return r.stream();
  }

  private static int[] ints(JsonNode a) {
    int[] r = new int[a.size()];
    for (int i = 0; i < r.length; i++) {
      r[i] = a.get(i).asInt();
    }
    return r;
  }

  private static float[] floats(JsonNode a) {
    float[] r = new float[a.size()];
    for (int i = 0; i < r.length; i++) {
      r[i] = (float) a.get(i).asDouble();
    }
    return r;
  }

  private static Tensor tensor(JsonNode t) {
    return Tensor.of(floats(t.get("values")), ints(t.get("shape")));
  }

  private static void assertClose(String what, JsonNode expected, float[] actual, double tol) {
    assertEquals(expected.size(), actual.length, what + ": size");
    for (int i = 0; i < actual.length; i++) {
      double e = expected.get(i).asDouble();
      if (!(Math.abs(actual[i] - e) <= tol * (1 + Math.abs(e)))) {
        fail(what + ": element " + i + " expected " + e + " got " + actual[i]);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void matchesPyTorch(String name, JsonNode c) {
    Layer layer = LayerConfigs.fromConfig(Config.fromJson(c.get("config")));
    JsonNode calls = c.get("calls");
    List<Shape> shapes = new ArrayList<>();
    for (JsonNode in : calls.get(0).get("inputs")) {
      int[] d = ints(in.get("shape"));
      shapes.add(Shape.of(java.util.Arrays.copyOfRange(d, 1, d.length)));
    }
    layer.build(shapes, new SplittableRandom(0));
    List<Parameter> weights = layer.weights();
    JsonNode given = c.get("weights");
    assertEquals(given.size(), weights.size(), "weights: " + weights);
    for (int i = 0; i < weights.size(); i++) {
      JsonNode w = given.get(i);
      Parameter p = weights.get(i);
      assertEquals(w.get("name").asText(), p.name(), "weight " + i + " in Keras's order");
      assertArrayEquals(ints(w.get("shape")), p.shape().dims(), p.path());
      p.variable().assign(tensor(w));
    }
    double tol = c.get("tolerance").asDouble();
    int k = 0;
    for (JsonNode call : calls) {
      List<Tensor> xs = new ArrayList<>();
      for (JsonNode in : call.get("inputs")) {
        xs.add(tensor(in));
      }
      ForwardContext ctx = call.get("training").asBoolean()
          ? new ForwardContext(true, 1L, new ArrayList<>()) : ForwardContext.INFERENCE;
      Tensor y = layer.forward(xs, ctx);
      assertArrayEquals(ints(call.get("output").get("shape")), y.shape().dims(), "call " + k);
      assertClose(name + " call " + k, call.get("output").get("values"), y.toArray(), tol);
      k++;
    }
    if (c.has("final_weights")) {
      for (JsonNode w : c.get("final_weights")) {
        Parameter p = weights.stream().filter(q -> q.name().equals(w.get("name").asText()))
            .findFirst().orElseThrow();
        assertClose(name + " " + p.name(), w.get("values"), p.variable().data(), tol);
      }
    }
  }
}

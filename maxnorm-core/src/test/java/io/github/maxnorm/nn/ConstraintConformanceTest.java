package io.github.maxnorm.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.maxnorm.tensor.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Runs the shared weight-constraint conformance vectors: each case's constraint is built from its
 * Keras config through the registry and applied functionally; the result must match within the
 * case's tolerance, and error cases must be rejected with an IllegalArgumentException. The system
 * property {@code maxnorm.conformance} names another vector file to run instead.
 */
class ConstraintConformanceTest {
  private static final String RESOURCE = "conformance/constraints.json";

  @Test
  void allCasesPass() throws IOException {
    String override = System.getProperty("maxnorm.conformance");
    JsonNode root;
    String source;
    ObjectMapper mapper = new ObjectMapper();
    if (override != null && !override.isBlank()) {
      Path p = Path.of(override);
      root = mapper.readTree(Files.readString(p));
      source = p.toString();
    } else {
      URL url = getClass().getClassLoader().getResource(RESOURCE);
      assertTrue(url != null, "missing test resource " + RESOURCE);
      try (InputStream in = url.openStream()) {
        root = mapper.readTree(in);
      }
      source = url.getPath();
    }
    JsonNode cases = root.get("cases");
    assertTrue(cases != null && cases.isArray() && cases.size() > 0, "no cases in " + source);
    List<String> failures = new ArrayList<>();
    for (JsonNode c : cases) {
      String name = c.path("name").asText("(unnamed)");
      try {
        String problem = c.has("expect_error") ? runErrorCase(c) : runValueCase(c);
        if (problem != null) {
          failures.add(name + ": " + problem);
        }
      } catch (RuntimeException e) {
        failures.add(name + ": unexpected " + e);
      }
    }
    if (!failures.isEmpty()) {
      fail(failures.size() + " of " + cases.size() + " conformance cases failed in " + source
          + ":\n  " + String.join("\n  ", failures));
    }
    System.out.println("conformance: " + cases.size() + " cases passed from " + source);
  }

  private static String runValueCase(JsonNode c) {
    Constraint constraint = Constraints.fromConfig(Config.fromJson(c.get("constraint")));
    int[] shape = ints(c.get("shape"));
    float[] input = floats(c.get("input"));
    float[] expected = floats(c.get("expected"));
    double rtol = c.path("rtol").asDouble(0.0);
    double atol = c.path("atol").asDouble(0.0);
    float[] got = constraint.apply(Tensor.of(input, shape)).toArray();
    if (got.length != expected.length) {
      return "expected " + expected.length + " values, got " + got.length;
    }
    for (int i = 0; i < got.length; i++) {
      float e = expected[i];
      float g = got[i];
      if (Float.isNaN(e) || Float.isNaN(g)) {
        if (Float.isNaN(e) != Float.isNaN(g)) {
          return "element " + i + ": expected " + e + ", got " + g;
        }
        continue;
      }
      if (Float.isInfinite(e) || Float.isInfinite(g)) {
        if (e != g) {
          return "element " + i + ": expected " + e + ", got " + g;
        }
        continue;
      }
      if (Math.abs((double) g - e) > atol + rtol * Math.abs((double) e)) {
        return "element " + i + ": expected " + e + ", got " + g + " (rtol " + rtol + ", atol "
            + atol + ")";
      }
    }
    return null;
  }

  /** The case must throw IllegalArgumentException whose message carries the paraphrase's words. */
  private static String runErrorCase(JsonNode c) {
    String paraphrase = c.get("expect_error").asText();
    String message;
    try {
      Constraint constraint = Constraints.fromConfig(Config.fromJson(c.get("constraint")));
      int[] shape = ints(c.get("shape"));
      float[] input = c.has("input") ? floats(c.get("input")) : new float[size(shape)];
      constraint.apply(Tensor.of(input, shape));
      return "expected an IllegalArgumentException (" + paraphrase + "), none thrown";
    } catch (IllegalArgumentException e) {
      message = e.getMessage();
    }
    if (message == null || message.isBlank()) {
      return "IllegalArgumentException without a message (" + paraphrase + ")";
    }
    String lower = message.toLowerCase(Locale.ROOT);
    for (String word : paraphrase.toLowerCase(Locale.ROOT).split("[^a-z_]+")) {
      if (word.length() >= 4 && !lower.contains(word)) {
        return "message '" + message + "' does not say '" + paraphrase + "' (missing '" + word
            + "')";
      }
    }
    return null;
  }

  private static int size(int[] shape) {
    int s = 1;
    for (int d : shape) {
      s *= d;
    }
    return s;
  }

  private static int[] ints(JsonNode a) {
    int[] out = new int[a.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = a.get(i).intValue();
    }
    return out;
  }

  private static float[] floats(JsonNode a) {
    float[] out = new float[a.size()];
    for (int i = 0; i < out.length; i++) {
      JsonNode v = a.get(i);
      if (v.isTextual()) {
        switch (v.asText()) {
          case "NaN" -> out[i] = Float.NaN;
          case "Infinity" -> out[i] = Float.POSITIVE_INFINITY;
          case "-Infinity" -> out[i] = Float.NEGATIVE_INFINITY;
          default -> throw new IllegalArgumentException("bad float " + v);
        }
      } else {
        out[i] = (float) v.doubleValue();
      }
    }
    return out;
  }

  @Test
  void unknownNameListsKnownNames() {
    IllegalArgumentException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class, () -> Constraints.fromConfig(Config.of("MaxiNorm")));
    assertTrue(e.getMessage().contains("MaxiNorm"), e.getMessage());
    for (String known : List.of("MaxNorm", "MinMaxNorm", "UnitNorm", "NonNeg")) {
      assertTrue(e.getMessage().contains(known), e.getMessage());
    }
    assertEquals(4, Constraints.registry().classNames().size());
  }
}

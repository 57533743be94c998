package io.github.maxnorm.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.maxnorm.tensor.Shape;
import io.github.maxnorm.tensor.Tensor;
import io.github.maxnorm.tensor.Variable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ConstraintsTest {

  // ------------------------------------------------------------------ reference implementation

  /**
   * A plain per-slice reference: walks every element by coordinates, groups by the kept
   * coordinates, computes each slice norm in double and the new values in double.
   */
  private static float[] reference(
      float[] w, int[] shape, boolean[] reduced, String kind, double a, double b, double rate,
      boolean keras) {
    int n = w.length;
    int[] strides = Shape.of(shape).strides();
    Map<List<Integer>, List<Integer>> groups = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      List<Integer> key = new ArrayList<>();
      for (int ax = 0; ax < shape.length; ax++) {
        key.add(reduced[ax] ? -1 : (i / strides[ax]) % shape[ax]);
      }
      groups.computeIfAbsent(key, k -> new ArrayList<>()).add(i);
    }
    float[] out = w.clone();
    for (List<Integer> idx : groups.values()) {
      double s = 0;
      for (int i : idx) {
        s += (double) w[i] * w[i];
      }
      double norm = Math.sqrt(s);
      double desired;
      boolean inside;
      switch (kind) {
        case "max" -> {
          desired = Math.min(norm, a);
          inside = norm <= a;
        }
        case "unit" -> {
          desired = 1.0;
          inside = norm == 1.0;
        }
        default -> {
          desired = rate * Math.min(Math.max(norm, a), b) + (1 - rate) * norm;
          inside = norm >= a && norm <= b;
        }
      }
      double factor;
      if (keras) {
        factor = norm == 0 ? 1.0 : desired / (1e-7 + norm);
      } else {
        factor = (!Double.isFinite(norm) || norm == 0 || inside) ? 1.0 : desired / norm;
      }
      for (int i : idx) {
        out[i] = (float) (w[i] * factor);
      }
    }
    return out;
  }

  private static float[] random(long seed, int size, double scale) {
    SplittableRandom rng = new SplittableRandom(seed);
    float[] d = new float[size];
    for (int i = 0; i < size; i++) {
      d[i] = (float) ((rng.nextDouble() * 2 - 1) * scale);
    }
    return d;
  }

  static Stream<Arguments> layouts() {
    return Stream.of(
        Arguments.of(new int[] {7, 5}, new int[] {0}),
        Arguments.of(new int[] {7, 5}, new int[] {1}),
        Arguments.of(new int[] {7, 5}, new int[] {-1}),
        Arguments.of(new int[] {7, 5}, null),
        Arguments.of(new int[] {3, 3, 2, 4}, new int[] {0, 1, 2}),
        Arguments.of(new int[] {3, 3, 2, 4}, new int[] {0}),
        Arguments.of(new int[] {3, 3, 2, 4}, new int[] {1, 3}),
        Arguments.of(new int[] {3, 1, 4, 2}, new int[] {0, 2}),
        Arguments.of(new int[] {2, 3, 4}, new int[] {2, 0}),
        Arguments.of(new int[] {9}, new int[] {0}),
        Arguments.of(new int[] {4, 1}, new int[] {0}));
  }

  @ParameterizedTest
  @MethodSource("layouts")
  void inPlaceMatchesPerSliceReference(int[] shape, int[] axes) {
    int size = Shape.of(shape).size();
    boolean[] reduced = new boolean[shape.length];
    if (axes == null) {
      Arrays.fill(reduced, true);
    } else {
      for (int a : axes) {
        reduced[a < 0 ? a + shape.length : a] = true;
      }
    }
    for (long seed = 1; seed <= 5; seed++) {
      float[] w = random(seed * 31 + size, size, 1.5);
      for (boolean keras : new boolean[] {false, true}) {
        List<Object[]> cases = new ArrayList<>();
        cases.add(new Object[] {Constraints.maxNorm(1.3), "max", 1.3, 0.0, 0.0});
        cases.add(new Object[] {Constraints.unitNorm(), "unit", 0.0, 0.0, 0.0});
        cases.add(new Object[] {Constraints.minMaxNorm(0.8, 1.4, 0.6), "minmax", 0.8, 1.4, 0.6});
        for (Object[] c : cases) {
          NormConstraint nc = (NormConstraint) c[0];
          nc = axes == null ? nc.withAxis() : nc.withAxis(axes);
          if (keras) {
            nc = nc.kerasFormula();
          }
          float[] expected =
              reference(w, shape, reduced, (String) c[1], (double) c[2], (double) c[3],
                  (double) c[4], keras);
          float[] functional = nc.apply(Tensor.of(w, shape)).toArray();
          Parameter p = param(shape, nc, new int[] {0}, w);
          p.constrain();
          float[] inPlace = p.variable().data();
          String what = nc + " on " + Arrays.toString(shape) + " seed " + seed;
          assertArrayEquals(functional, inPlace, what);
          for (int i = 0; i < size; i++) {
            assertEquals(expected[i], inPlace[i], 1e-6 + 1e-6 * Math.abs(expected[i]), what + " @" + i);
          }
        }
      }
    }
  }

  private static Parameter param(int[] shape, Constraint c, int[] unitAxes, float[] w) {
    return new Parameter(
        "dense_1", "kernel", new Variable("dense_1/kernel", Tensor.of(w, shape)), c, null, unitAxes);
  }

  // ------------------------------------------------------------------ exact projection semantics

  @Test
  void slicesInsideTheBallAreBitForBitUnchanged() {
    float[] w = random(7, 40 * 6, 0.1); // column norms ~0.37
    w[5] = 3f; // column 5 leaves the ball
    Tensor t = Tensor.of(w, 40, 6);
    float[] out = Constraints.maxNorm(1.0).apply(t).toArray();
    for (int i = 0; i < w.length; i++) {
      if (i % 6 == 5) {
        continue;
      }
      assertEquals(Float.floatToIntBits(w[i]), Float.floatToIntBits(out[i]), "element " + i);
    }
    double norm5 = 0;
    for (int r = 0; r < 40; r++) {
      norm5 += (double) out[r * 6 + 5] * out[r * 6 + 5];
    }
    assertEquals(1.0, Math.sqrt(norm5), 1e-6);
    // Keras's formula changes every slice slightly
    float[] keras = Constraints.maxNorm(1.0).kerasFormula().apply(t).toArray();
    assertNotEquals(Float.floatToIntBits(w[0]), Float.floatToIntBits(keras[0]));
    assertEquals(w[0], keras[0], 1e-6);
  }

  @Test
  void minMaxNormLeavesInRangeSlicesUnchanged() {
    float[] w = {0.6f, 3f, 0.8f, 0f, 0f, 0f}; // [3, 2]: column norms 1, 3
    float[] out = Constraints.minMaxNorm(0.5, 2.0, 0.5, 0).apply(Tensor.of(w, 3, 2)).toArray();
    assertEquals(0.6f, out[0]);
    assertEquals(0.8f, out[2]);
    // column 1: desired = 0.5 * 2 + 0.5 * 3 = 2.5
    assertEquals(2.5f, out[1], 1e-6);
  }

  @Test
  void zeroSlicesStayZero() {
    float[] w = {0f, 5f, 0f, 0f}; // [2, 2]: column 0 all zero
    for (NormConstraint c :
        List.of(
            Constraints.maxNorm(1, 0),
            Constraints.unitNorm(0),
            Constraints.minMaxNorm(1, 2, 1, 0),
            Constraints.unitNorm(0).kerasFormula(),
            Constraints.minMaxNorm(1, 2, 1, 0).kerasFormula())) {
      float[] out = c.apply(Tensor.of(w, 2, 2)).toArray();
      assertEquals(0f, out[0], c.toString());
      assertEquals(0f, out[2], c.toString());
      assertFalse(Float.isNaN(out[0]), c.toString());
    }
  }

  @Test
  void nonFiniteSlicesAreLeftUnchangedAndCounted() {
    float[] w = {Float.NaN, 4f, Float.POSITIVE_INFINITY, 1f, 3f, 0f}; // [2, 3]
    Parameter p = param(new int[] {2, 3}, Constraints.maxNorm(1), new int[] {0}, w);
    ConstraintActivity a = p.constrain();
    assertEquals(new ConstraintActivity(3, 1, 2, 5.0), a);
    float[] d = p.variable().data();
    assertTrue(Float.isNaN(d[0]));
    assertEquals(1f, d[3]);
    assertEquals(Float.POSITIVE_INFINITY, d[2]);
    assertEquals(0f, d[5]);
    assertEquals(0.8f, d[1], 1e-6);
    assertEquals(0.6f, d[4], 1e-6);
  }

  @Test
  void activityCountsSlicesProjectedAndMaxNorm() {
    // [3, 4] columns with norms 1, 2, 3, 0
    float[] w = {1, 2, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0};
    Parameter p = param(new int[] {3, 4}, Constraints.maxNorm(2), new int[] {0}, w);
    assertEquals(new ConstraintActivity(4, 1, 0, 3.0), p.constrain());
    assertEquals(new ConstraintActivity(4, 0, 0, 2.0), p.constrain(), "a projected value stays");
    Parameter none = param(new int[] {3, 4}, null, new int[] {0}, w);
    assertEquals(ConstraintActivity.NONE, none.constrain());
    assertEquals(ConstraintActivity.NONE, none.constrain().plus(ConstraintActivity.NONE));
  }

  @Test
  void nonNegZeroesNegativesAndCountsThem() {
    float[] w = {-1f, 2f, Float.NaN, -0.5f};
    Parameter p = param(new int[] {4}, Constraints.nonNeg(), new int[] {0}, w);
    assertEquals(new ConstraintActivity(4, 2, 1, 2.0), p.constrain());
    float[] d = p.variable().data();
    assertEquals(0f, d[0]);
    assertEquals(2f, d[1]);
    assertTrue(Float.isNaN(d[2]));
    assertEquals(0f, d[3]);
  }

  @Test
  void defaultAxisIsTheParametersUnitAxes() {
    int[] shape = {3, 3, 2, 4};
    float[] w = random(3, 72, 1.0);
    boolean[] perFilter = {true, true, true, false};
    float[] expected = reference(w, shape, perFilter, "max", 1.0, 0, 0, false);
    Parameter conv = param(shape, Constraints.maxNorm(1.0), new int[] {0, 1, 2}, w);
    conv.constrain();
    assertArrayEquals(expected, conv.variable().data(), 1e-6f);
    // bias: all axes
    float[] b = {3f, 4f};
    Parameter bias =
        new Parameter("dense_1", "bias", new Variable("b", Tensor.of(b, 2)), Constraints.maxNorm(1),
            null, new int[] {0});
    assertEquals(new ConstraintActivity(1, 1, 0, 5.0), bias.constrain());
    assertArrayEquals(new float[] {0.6f, 0.8f}, bias.variable().data(), 1e-6f);
    // an explicit axis means exactly that axis, whatever the unit axes
    Parameter explicit = param(shape, Constraints.maxNorm(1.0, 0), new int[] {0, 1, 2}, w);
    explicit.constrain();
    assertArrayEquals(
        reference(w, shape, new boolean[] {true, false, false, false}, "max", 1.0, 0, 0, false),
        explicit.variable().data(), 1e-6f);
  }

  @Test
  void userFunctionConstraint() {
    Constraint halve = Constraints.of(t -> t.mul(Tensor.scalar(0.5f)));
    Parameter p = param(new int[] {2, 2}, halve, new int[] {0}, new float[] {3, 0, 0, 4});
    assertEquals(new ConstraintActivity(1, 1, 0, 5.0), p.constrain());
    assertArrayEquals(new float[] {1.5f, 0, 0, 2}, p.variable().data());
    Parameter same = param(new int[] {2}, Constraints.of(t -> t), new int[] {0}, new float[] {1, 0});
    assertEquals(new ConstraintActivity(1, 0, 0, 1.0), same.constrain());
    Parameter bad =
        param(new int[] {2, 2}, Constraints.of(t -> t.reshape(4)), new int[] {0}, new float[4]);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, bad::constrain);
    assertTrue(e.getMessage().contains("[2, 2]") && e.getMessage().contains("[4]"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Constraints.toConfig(halve));
  }

  // ------------------------------------------------------------------ validation

  @Test
  void constructionValidationMessages() {
    assertMessage("MaxNorm: max_value must be >= 0, received -1", () -> Constraints.maxNorm(-1));
    assertMessage("max_value must be >= 0, received NaN", () -> Constraints.maxNorm(Double.NaN));
    assertMessage(
        "min_value must be <= max_value, received min_value=2, max_value=1",
        () -> Constraints.minMaxNorm(2, 1, 1));
    assertMessage("rate must be in [0, 1], received 1.5", () -> Constraints.minMaxNorm(0, 1, 1.5));
    assertMessage("rate must be in [0, 1], received -0.5", () -> Constraints.minMaxNorm(0, 1, -0.5));
    assertMessage(
        "MaxNorm: unknown config key 'max_vale'",
        () -> Constraints.fromConfig(new Config("MaxNorm", Map.of("max_vale", 1))));
    assertMessage(
        "MaxNorm: max_value must be a number, received \"3\"",
        () -> Constraints.fromConfig(new Config("MaxNorm", Map.of("max_value", "3"))));
    assertMessage(
        "axis must be an int, a list of ints or null, received 1.5",
        () -> Constraints.fromConfig(new Config("MaxNorm", Map.of("axis", 1.5))));
    assertMessage(
        "unknown constraint 'MaxiNorm'; known: MaxNorm, MinMaxNorm, UnitNorm, NonNeg",
        () -> Constraints.fromConfig(Config.of("MaxiNorm")));
  }

  @Test
  void bindingValidationNamesLayerParameterShapeAndAxis() {
    assertMessage(
        "dense_1/kernel: MaxNorm axis 2 is out of range for shape [784, 512]",
        () -> param(new int[] {784, 512}, Constraints.maxNorm(3, 2), new int[] {0}, new float[784 * 512]));
    assertMessage(
        "dense_1/kernel: UnitNorm axis -3 is out of range for shape [4, 5]",
        () -> param(new int[] {4, 5}, Constraints.unitNorm(-3), new int[] {0}, new float[20]));
    assertMessage(
        "dense_1/kernel: MinMaxNorm axis -2 is listed twice in [0, -2] for shape [4, 5]",
        () -> param(new int[] {4, 5}, Constraints.minMaxNorm(0, 1, 1, 0, -2), new int[] {0},
            new float[20]));
    assertMessage(
        "dense_1/kernel: unit axis 3 is out of range for shape [4, 5]",
        () -> param(new int[] {4, 5}, null, new int[] {3}, new float[20]));
    assertMessage(
        "MaxNorm axis 3 is out of range for shape [2, 2] of rank 2",
        () -> Constraints.maxNorm(1, 3).apply(Tensor.zeros(2, 2)));
  }

  private static void assertMessage(String expectedPart, Runnable r) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
    assertTrue(
        e.getMessage().contains(expectedPart),
        "message '" + e.getMessage() + "' should contain '" + expectedPart + "'");
  }

  // ------------------------------------------------------------------ configs

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"class_name\": \"MaxNorm\", \"config\": {\"max_value\": 3, \"axis\": [0, 1, 2]}}",
        "{\"class_name\": \"max_norm\", \"config\": {\"max_value\": 3.5, \"axis\": 0}}",
        "{\"class_name\": \"maxnorm\", \"config\": {\"max_value\": 2, \"axis\": null}}",
        "{\"class_name\": \"MaxNorm\", \"config\": {\"max_value\": 2}}",
        "{\"class_name\": \"MaxNorm\", \"config\": {\"max_value\": 2, \"keras_formula\": true}}",
        "{\"class_name\": \"MinMaxNorm\", \"config\": {\"min_value\": 0.5, \"max_value\": 1,"
            + " \"rate\": 0.5, \"axis\": -1}}",
        "{\"class_name\": \"min_max_norm\", \"config\": {}}",
        "{\"class_name\": \"UnitNorm\", \"config\": {\"axis\": 1}}",
        "{\"class_name\": \"unit_norm\", \"config\": {\"keras_formula\": true}}",
        "{\"class_name\": \"NonNeg\", \"config\": {}}",
        "\"non_neg\"",
        "\"max_norm\""
      })
  void configRoundTrips(String json) {
    Config parsed = Config.fromJson(json);
    Constraint c = Constraints.fromConfig(parsed);
    Config out = Constraints.toConfig(c);
    assertEquals(Constraints.registry().canonicalName(parsed.className()), out.className());
    // the written config rebuilds an equal config, through JSON text as well
    Config again = Constraints.toConfig(Constraints.fromConfig(Config.fromJson(out.toJsonString())));
    assertEquals(out, again);
    // axis presence is preserved: absent stays absent, null stays null
    assertEquals(parsed.has("axis"), out.has("axis"), json);
    if (parsed.has("axis")) {
      assertEquals(parsed.get("axis") == null, out.get("axis") == null, json);
    }
    // numbers compare by value
    for (String k : parsed.config().keySet()) {
      Object v = parsed.get(k);
      if (v instanceof Number n && !k.equals("axis")) {
        assertEquals(n.doubleValue(), ((Number) out.get(k)).doubleValue(), json);
      }
    }
  }

  @Test
  void typedConfigsRoundTrip() {
    List<Object> configs =
        List.of(
            new Constraints.MaxNormConfig(3, ReducedAxes.unitDefault(), false),
            new Constraints.MaxNormConfig(3, ReducedAxes.whole(), true),
            new Constraints.MaxNormConfig(0, ReducedAxes.of(0, 1, 2), false),
            new Constraints.MinMaxNormConfig(0.1, 2, 0.3, ReducedAxes.of(-1), true),
            new Constraints.UnitNormConfig(ReducedAxes.unitDefault(), false),
            new Constraints.NonNegConfig());
    for (Object o : configs) {
      if (o instanceof Constraints.MaxNormConfig m) {
        assertEquals(m, Constraints.MaxNormConfig.fromConfig(m.toConfig()));
        assertEquals(m.toConfig(), ((NormConstraint) m.build()).config());
      } else if (o instanceof Constraints.MinMaxNormConfig m) {
        assertEquals(m, Constraints.MinMaxNormConfig.fromConfig(m.toConfig()));
      } else if (o instanceof Constraints.UnitNormConfig m) {
        assertEquals(m, Constraints.UnitNormConfig.fromConfig(m.toConfig()));
      } else if (o instanceof Constraints.NonNegConfig m) {
        assertEquals(m, Constraints.NonNegConfig.fromConfig(m.toConfig()));
      }
    }
  }

  @Test
  void axisAbsentNullAndGivenAreDistinct() {
    NormConstraint absent = (NormConstraint) Constraints.fromConfig(Config.fromJson(
        "{\"class_name\": \"MaxNorm\", \"config\": {\"max_value\": 1}}"));
    NormConstraint nul = (NormConstraint) Constraints.fromConfig(Config.fromJson(
        "{\"class_name\": \"MaxNorm\", \"config\": {\"max_value\": 1, \"axis\": null}}"));
    NormConstraint list = (NormConstraint) Constraints.fromConfig(Config.fromJson(
        "{\"class_name\": \"MaxNorm\", \"config\": {\"max_value\": 1, \"axis\": [0, 1, 2]}}"));
    assertEquals(ReducedAxes.unitDefault(), absent.axis());
    assertEquals(ReducedAxes.whole(), nul.axis());
    assertEquals(ReducedAxes.of(0, 1, 2), list.axis());
    assertFalse(absent.config().has("axis"));
    assertTrue(nul.config().has("axis") && nul.config().get("axis") == null);
    assertEquals("{\"class_name\":\"MaxNorm\",\"config\":{\"max_value\":1.0,\"axis\":null}}",
        nul.config().toJsonString());
    assertEquals(List.of(0, 1, 2), list.config().get("axis"));
    // whole tensor vs per column on a Dense kernel: different results
    float[] w = {3f, 0f, 0f, 4f};
    assertArrayEquals(new float[] {0.6f, 0f, 0f, 0.8f}, applyParam(nul, w), 1e-6f);
    assertArrayEquals(new float[] {1f, 0f, 0f, 1f}, applyParam(absent, w), 1e-6f);
  }

  private static float[] applyParam(Constraint c, float[] w) {
    Parameter p = param(new int[] {2, 2}, c, new int[] {0}, w);
    p.constrain();
    return p.variable().data();
  }

  @Test
  void registryIsAValueAndExtensible() {
    Registry<Constraint> mine =
        Constraints.registry().with("Clip", c -> Constraints.of(t -> t), "clip_values");
    assertTrue(mine.contains("clip_values"));
    assertTrue(mine.contains("CLIP"));
    assertFalse(Constraints.registry().contains("Clip"));
    assertMessage("name max_norm is already taken by MaxNorm",
        () -> Constraints.registry().with("Other", c -> null, "max_norm"));
    assertEquals("MaxNorm", Constraints.registry().canonicalName("MAX_NORM"));
  }
}

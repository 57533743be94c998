package io.github.maxnorm.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.maxnorm.tensor.Shape;
import io.github.maxnorm.tensor.Tensor;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class InitializersTest {

  @Test
  void fansFollowKeras() {
    assertArrayEquals(new double[] {5, 7}, VarianceScaling.fans(Shape.of(5, 7)));
    assertArrayEquals(new double[] {36, 72}, VarianceScaling.fans(Shape.of(3, 3, 4, 8)));
    assertArrayEquals(new double[] {6, 6}, VarianceScaling.fans(Shape.of(6)));
    assertArrayEquals(new double[] {1, 1}, VarianceScaling.fans(Shape.of()));
  }

  /** name, shape, expected mean, expected variance, bound on |x - mean| (or NaN), truncated. */
  static Stream<Arguments> distributions() {
    double trunc = 0.87962566103423978;
    return Stream.of(
        Arguments.of("glorot_uniform", new int[] {200, 300}, 0.0, 2.0 / 500,
            Math.sqrt(3 * 2.0 / 500)),
        Arguments.of("glorot_normal", new int[] {200, 300}, 0.0, 2.0 / 500,
            2 * Math.sqrt(2.0 / 500) / trunc),
        Arguments.of("he_normal", new int[] {3, 3, 16, 400}, 0.0, 2.0 / 144,
            2 * Math.sqrt(2.0 / 144) / trunc),
        Arguments.of("he_uniform", new int[] {200, 300}, 0.0, 2.0 / 200, Math.sqrt(3 * 2.0 / 200)),
        Arguments.of("lecun_normal", new int[] {200, 300}, 0.0, 1.0 / 200,
            2 * Math.sqrt(1.0 / 200) / trunc),
        Arguments.of("lecun_uniform", new int[] {200, 300}, 0.0, 1.0 / 200,
            Math.sqrt(3 * 1.0 / 200)),
        // a unit normal truncated to [-2, 2] has variance trunc^2
        Arguments.of("truncated_normal", new int[] {200, 300}, 0.0,
            0.05 * 0.05 * trunc * trunc, 2 * 0.05),
        Arguments.of("random_normal", new int[] {200, 300}, 0.0, 0.05 * 0.05, Double.NaN),
        Arguments.of("random_uniform", new int[] {200, 300}, 0.0, 0.1 * 0.1 / 12, 0.05));
  }

  @ParameterizedTest
  @MethodSource("distributions")
  void sampleMomentsMatchTheory(String name, int[] shape, double mean, double var, double bound) {
    Initializer init = Initializers.registry().build(name);
    Tensor t = init.initialize(Shape.of(shape), new SplittableRandom(42));
    assertEquals(Shape.of(shape), t.shape());
    float[] d = t.toArray();
    double s = 0;
    for (float x : d) {
      s += x;
    }
    double m = s / d.length;
    double ss = 0;
    double maxDev = 0;
    for (float x : d) {
      ss += (x - m) * (x - m);
      maxDev = Math.max(maxDev, Math.abs(x - mean));
    }
    double v = ss / (d.length - 1);
    assertEquals(mean, m, 5 * Math.sqrt(var / d.length), name + " mean");
    assertEquals(var, v, 0.03 * var, name + " variance");
    if (!Double.isNaN(bound)) {
      assertTrue(maxDev <= bound * (1 + 1e-6), name + " exceeds bound " + bound + ": " + maxDev);
      assertTrue(maxDev >= 0.95 * bound, name + " never approaches bound " + bound + ": " + maxDev);
    } else {
      // plain normal: some samples lie beyond two standard deviations
      assertTrue(maxDev > 2.5 * Math.sqrt(var), name + " looks truncated: " + maxDev);
    }
  }

  @Test
  void randomNormalUsesMeanAndStddev() {
    float[] d = Initializers.randomNormal(1.0, 0.5).initialize(Shape.of(100, 100), new SplittableRandom(3)).toArray();
    double s = 0;
    for (float x : d) {
      s += x;
    }
    assertEquals(1.0, s / d.length, 0.02);
    float[] u = Initializers.randomUniform(2, 3).initialize(Shape.of(1000), new SplittableRandom(3)).toArray();
    for (float x : u) {
      assertTrue(x >= 2 && x <= 3, "uniform sample " + x);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"GlorotUniform", "GlorotNormal", "HeNormal", "HeUniform", "LecunNormal",
      "RandomNormal", "RandomUniform"})
  void seededDeterminism(String name) {
    Initializer init = Initializers.registry().build(name);
    float[] a = init.initialize(Shape.of(4, 5), new SplittableRandom(7)).toArray();
    float[] b = init.initialize(Shape.of(4, 5), new SplittableRandom(7)).toArray();
    float[] c = init.initialize(Shape.of(4, 5), new SplittableRandom(8)).toArray();
    assertArrayEquals(a, b);
    assertFalse(Arrays.equals(a, c));
  }

  @Test
  void constants() {
    assertArrayEquals(new float[6], Initializers.zeros().initialize(Shape.of(2, 3), null).toArray());
    float[] ones = new float[6];
    Arrays.fill(ones, 1f);
    assertArrayEquals(ones, Initializers.ones().initialize(Shape.of(2, 3), null).toArray());
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2})
  void orthogonalGivesOrthonormalRowsOrColumns(int variant) {
    // (3*3*4, 8): 36 rows, 8 orthonormal columns; (5, 12): 5 orthonormal rows
    Shape shape = variant == 1 ? Shape.of(3, 3, 4, 8) : Shape.of(5, 12);
    Tensor t = Initializers.fromConfig(Config.fromJson(
        "{\"class_name\": \"Orthogonal\", \"config\": {\"gain\": 2.0, \"seed\": null}}"))
        .initialize(shape, new SplittableRandom(5));
    assertEquals(shape, t.shape());
    float[] d = t.toArray();
    int cols = shape.dim(shape.rank() - 1);
    int rows = d.length / cols;
    boolean byColumns = rows >= cols;
    int k = byColumns ? cols : rows;
    int n = byColumns ? rows : cols;
    for (int a = 0; a < k; a++) {
      for (int b = 0; b < k; b++) {
        double dot = 0;
        for (int i = 0; i < n; i++) {
          double x = byColumns ? d[i * cols + a] : d[a * cols + i];
          double y = byColumns ? d[i * cols + b] : d[b * cols + i];
          dot += x * y;
        }
        assertEquals(a == b ? 4.0 : 0.0, dot, 1e-4, "gain^2 * delta at " + a + "," + b);
      }
    }
  }

  @Test
  void identityAndConstant() {
    Tensor eye = Initializers.fromConfig(Config.fromJson(
        "{\"class_name\": \"Identity\", \"config\": {\"gain\": 3}}"))
        .initialize(Shape.of(2, 3), null);
    assertArrayEquals(new float[] {3, 0, 0, 0, 3, 0}, eye.toArray());
    assertThrows(IllegalArgumentException.class, () -> Initializers.registry().build("Identity")
        .initialize(Shape.of(2, 2, 2), null));
    Tensor c = Initializers.fromConfig(Config.fromJson(
        "{\"class_name\": \"Constant\", \"config\": {\"value\": 0.25}}"))
        .initialize(Shape.of(3), null);
    assertArrayEquals(new float[] {0.25f, 0.25f, 0.25f}, c.toArray());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Initializers.fromConfig(Config.fromJson(
            "{\"class_name\": \"Constant\", \"config\": {\"value\": [1, 2]}}")));
    assertTrue(e.getMessage().contains("value must be a finite number"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"class_name\": \"Constant\", \"config\": {\"value\": 0.5}}",
        "{\"class_name\": \"TruncatedNormal\", \"config\": {\"mean\": 0, \"stddev\": 0.1,"
            + " \"seed\": null}}",
        "\"lecun_uniform\"", "\"orthogonal\"", "\"Identity\"",
        "\"glorot_uniform\"", "\"GlorotNormal\"", "\"he_normal\"", "\"he_uniform\"",
        "\"lecun_normal\"", "\"normal\"", "\"uniform\"", "\"zeros\"", "\"ones\"",
        "{\"class_name\": \"GlorotUniform\", \"config\": {\"seed\": null}}",
        "{\"class_name\": \"RandomNormal\", \"config\": {\"mean\": 0, \"stddev\": 0.1,"
            + " \"seed\": null}}",
        "{\"class_name\": \"random_uniform\", \"config\": {\"minval\": -1, \"maxval\": 1}}",
        "{\"class_name\": \"VarianceScaling\", \"config\": {\"scale\": 2, \"mode\": \"fan_out\","
            + " \"distribution\": \"uniform\"}}"
      })
  void configRoundTrips(String json) {
    Config parsed = Config.fromJson(json);
    Initializer init = Initializers.fromConfig(parsed);
    Config out = Initializers.toConfig(init);
    assertEquals(Initializers.registry().canonicalName(parsed.className()), out.className());
    Initializer again = Initializers.fromConfig(Config.fromJson(out.toJson()));
    assertEquals(out, Initializers.toConfig(again));
    float[] a = init.initialize(Shape.of(3, 4), new SplittableRandom(1)).toArray();
    float[] b = again.initialize(Shape.of(3, 4), new SplittableRandom(1)).toArray();
    assertArrayEquals(a, b, json);
  }

  @Test
  void typedConfigsRoundTripAndValidate() {
    var rn = new Initializers.RandomNormalConfig(0.5, 2);
    assertEquals(rn, Initializers.RandomNormalConfig.fromConfig(rn.toConfig()));
    var ru = new Initializers.RandomUniformConfig(-1, 1);
    assertEquals(ru, Initializers.RandomUniformConfig.fromConfig(ru.toConfig()));
    var vs = new Initializers.VarianceScalingConfig(2, "fan_in", "truncated_normal");
    assertEquals(vs, Initializers.VarianceScalingConfig.fromConfig(vs.toConfig()));
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> Initializers.randomNormal(0, -1))
            .getMessage().contains("stddev must be >= 0, received -1"));
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> Initializers.randomUniform(1, 0))
            .getMessage().contains("minval must be <= maxval"));
    assertTrue(
        assertThrows(IllegalArgumentException.class,
            () -> new Initializers.VarianceScalingConfig(1, "fan_sum", "uniform"))
            .getMessage().contains("received fan_sum"));
    assertTrue(
        assertThrows(IllegalArgumentException.class,
            () -> Initializers.fromConfig(Config.fromJson(
                "{\"class_name\": \"HeNormal\", \"config\": {\"seed\": 5}}")))
            .getMessage().contains("seed must be null"));
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> Initializers.registry().build("xavier"))
            .getMessage().contains("GlorotUniform"));
  }
}

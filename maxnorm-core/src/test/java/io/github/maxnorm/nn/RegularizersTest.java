package io.github.maxnorm.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.maxnorm.tensor.Autograd;
import io.github.maxnorm.tensor.Tensor;
import io.github.maxnorm.tensor.Variable;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class RegularizersTest {

  @ParameterizedTest
  @CsvSource({"0.01, 0.0, 1", "0.0, 0.02, 2", "0.3, 0.7, 3", "0.0, 0.0, 4"})
  void penaltyValueAndGradientMatchReference(double l1, double l2, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    float[] w = new float[24];
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) (rng.nextDouble() * 4 - 2);
    }
    w[3] = 0f;
    Variable v = new Variable("w", Tensor.of(w, 4, 6));
    Tensor p = Regularizers.l1l2(l1, l2).penalty(v.value());
    assertEquals(1, p.size());
    double expected = 0;
    float[] grad = new float[w.length];
    for (int i = 0; i < w.length; i++) {
      expected += l1 * Math.abs(w[i]) + l2 * (double) w[i] * w[i];
      grad[i] = (float) (l1 * Math.signum(w[i]) + 2 * l2 * w[i]);
    }
    assertEquals(expected, p.item(), 1e-5 * (1 + expected));
    List<Tensor> g = Autograd.grad(p, List.of(v.value()));
    assertArrayEquals(grad, g.get(0).toArray(), 1e-6f);
    assertEquals(0f, g.get(0).get(3), 1e-6f, "subgradient 0 at 0");
  }

  @Test
  void shortcutsUseOneTerm() {
    Tensor w = Tensor.of(new float[] {-2f, 3f}, 2);
    assertEquals(0.5f, Regularizers.l1(0.1).penalty(w).item(), 1e-6);
    assertEquals(1.3f, Regularizers.l2(0.1).penalty(w).item(), 1e-6);
    assertEquals(0.05f, Regularizers.fromConfig(Config.of("l1")).penalty(w).item(), 1e-6);
    assertEquals(0.13f + 0.05f, Regularizers.fromConfig(Config.of("l1_l2")).penalty(w).item(), 1e-6);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "\"l1\"", "\"L2\"", "\"l1_l2\"",
        "{\"class_name\": \"L1\", \"config\": {\"l1\": 0.5}}",
        "{\"class_name\": \"L2\", \"config\": {\"l2\": 1}}",
        "{\"class_name\": \"L1L2\", \"config\": {\"l1\": 0.1, \"l2\": 0.2}}"
      })
  void configRoundTrips(String json) {
    Config parsed = Config.fromJson(json);
    Regularizer r = Regularizers.fromConfig(parsed);
    Config out = Regularizers.toConfig(r);
    assertEquals(Regularizers.registry().canonicalName(parsed.className()), out.className());
    assertEquals(out, Regularizers.toConfig(Regularizers.fromConfig(Config.fromJson(out.toJsonString()))));
    var typed = new Regularizers.L1L2Config(0.1, 0.2);
    assertEquals(typed.toConfig(), Regularizers.toConfig(typed.build()));
  }

  @Test
  void validation() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Regularizers.l1(-1))
        .getMessage().contains("l1 must be finite and >= 0, received -1"));
    assertTrue(assertThrows(IllegalArgumentException.class,
            () -> Regularizers.fromConfig(new Config("L1", Map.of("l2", 0.1))))
        .getMessage().contains("unknown config key 'l2'"));
  }
}

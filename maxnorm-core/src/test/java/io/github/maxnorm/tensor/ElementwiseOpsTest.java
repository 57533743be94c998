package io.github.maxnorm.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.maxnorm.kernel.Parallel;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ElementwiseOpsTest {

  static Stream<Arguments> ops() {
    return Stream.of(
        op("exp", Tensor::exp, Math::exp, -3, 3),
        op("log", Tensor::log, Math::log, 0.2, 4),
        op("sqrt", Tensor::sqrt, Math::sqrt, 0.2, 4),
        op("square", Tensor::square, v -> v * v, -3, 3),
        op("sigmoid", Tensor::sigmoid, v -> 1 / (1 + Math.exp(-v)), -6, 6),
        op("tanh", Tensor::tanh, Math::tanh, -3, 3));
  }

  private static Arguments op(
      String name, UnaryOperator<Tensor> f, DoubleUnaryOperator ref, double low, double high) {
    return Arguments.of(name, f, ref, low, high);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ops")
  void forwardAndGradientMatchReference(
      String name, UnaryOperator<Tensor> f, DoubleUnaryOperator ref, double low, double high) {
    for (long seed = 1; seed <= 3; seed++) {
      Tensor x =
          Tensor.randomUniform(new SplittableRandom(seed), (float) low, (float) high, 3, 4, 2);
      GradCheck.check(in -> f.apply(in.get(0)), r -> Refs.map(r.get(0), ref), List.of(x), 1e-4);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ops")
  void largeArraysAreBitIdenticalAcrossThreadCounts(
      String name, UnaryOperator<Tensor> f, DoubleUnaryOperator ref, double low, double high) {
    Tensor x = Tensor.randomUniform(new SplittableRandom(5), (float) low, (float) high, 300, 200);
    int before = Parallel.threads();
    int grainBefore = Parallel.grain();
    try {
      Parallel.setGrain(1024); // run the parallel paths on this input
      Parallel.setThreads(1);
      float[] one = f.apply(x).toArray();
      Parallel.setThreads(4);
      float[] four = f.apply(x).toArray();
      assertArrayEquals(one, four);
      for (int i = 0; i < one.length; i += 997) {
        assertEquals(ref.applyAsDouble(x.get(i)), one[i], 1e-5 + 1e-5 * Math.abs(one[i]));
      }
    } finally {
      Parallel.setThreads(before);
      Parallel.setGrain(grainBefore);
    }
  }

  @Test
  void nanAndInfinityPropagateUnclamped() {
    Tensor t = Tensor.of(new float[] {Float.NaN, 0f, -1f, 1000f}, 4);
    float[] exp = t.exp().toArray();
    assertTrue(Float.isNaN(exp[0]));
    assertEquals(Float.POSITIVE_INFINITY, exp[3]);
    float[] log = t.log().toArray();
    assertTrue(Float.isNaN(log[0]) && Float.isNaN(log[2]));
    assertEquals(Float.NEGATIVE_INFINITY, log[1]);
    float[] sqrt = t.sqrt().toArray();
    assertTrue(Float.isNaN(sqrt[0]) && Float.isNaN(sqrt[2]));
    assertTrue(Float.isNaN(t.square().get(0)));
    assertTrue(Float.isNaN(t.sigmoid().get(0)));
    assertTrue(Float.isNaN(t.tanh().get(0)));
    assertEquals(1f, Tensor.scalar(Float.POSITIVE_INFINITY).tanh().item());
  }

  @Test
  void sigmoidIsStableForLargeMagnitudes() {
    float[] s = Tensor.of(new float[] {-1000f, -100f, 0f, 100f, 1000f}, 5).sigmoid().toArray();
    assertEquals(0f, s[0]);
    assertTrue(s[1] > 0f && s[1] < 1e-40f, "sigmoid(-100) = " + s[1]);
    assertEquals(0.5f, s[2]);
    assertEquals(1f, s[3]);
    assertEquals(1f, s[4]);
    Tensor x = Tensor.of(new float[] {-1000f, 1000f}, 2).requiringGrad();
    float[] g = Autograd.grad(x.sigmoid().sum(), List.of(x)).get(0).toArray();
    assertArrayEquals(new float[] {0f, 0f}, g);
  }

  @Test
  void gradientsAccumulateWhenATensorIsUsedTwice() {
    GradCheck.check(
        in -> in.get(0).mul(in.get(0)),
        r -> Refs.map(r.get(0), v -> v * v),
        List.of(GradCheck.random(21, 4, 3)),
        1e-4);
    GradCheck.check(
        in -> in.get(0).square().add(in.get(0).tanh()).mul(in.get(0).sigmoid()),
        r -> Refs.map(r.get(0), v -> (v * v + Math.tanh(v)) / (1 + Math.exp(-v))),
        List.of(GradCheck.random(22, 5)),
        1e-4);
    Variable v = new Variable("v", Tensor.of(new float[] {1f, -2f, 3f}, 3));
    Autograd.backward(v.value().mul(v.value()).sum());
    assertArrayEquals(new float[] {2f, -4f, 6f}, v.grad());
    Autograd.backward(v.value().exp().sum());
    assertArrayEquals(
        new float[] {2f + (float) Math.exp(1), -4f + (float) Math.exp(-2), 6f + (float) Math.exp(3)},
        v.grad(),
        1e-5f);
  }
}

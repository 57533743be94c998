package io.github.maxnorm.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SoftmaxOpsTest {

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, -1, -3})
  void softmaxAndLogSoftmaxMatchReference(int axis) {
    int[] dims = {2, 3, 4};
    int ax = axis < 0 ? axis + 3 : axis;
    Tensor x = Tensor.randomUniform(new SplittableRandom(41 + ax), -3f, 3f, dims);
    GradCheck.check(
        in -> in.get(0).softmax(axis), r -> Refs.softmax(r.get(0), dims, ax, false), List.of(x),
        1e-4);
    GradCheck.check(
        in -> in.get(0).logSoftmax(axis), r -> Refs.softmax(r.get(0), dims, ax, true), List.of(x),
        1e-4);
  }

  @Test
  void largeLogitsStayFinite() {
    Tensor x = Tensor.randomUniform(new SplittableRandom(42), 995f, 1005f, 3, 5);
    GradCheck.check(
        in -> in.get(0).softmax(1), r -> Refs.softmax(r.get(0), new int[] {3, 5}, 1, false),
        List.of(x), 1e-4);
    GradCheck.check(
        in -> in.get(0).logSoftmax(-1), r -> Refs.softmax(r.get(0), new int[] {3, 5}, 1, true),
        List.of(x), 1e-4);
    Tensor big = Tensor.of(new float[] {1000f, 0f, -1000f}, 1, 3);
    assertArrayEquals(new float[] {1f, 0f, 0f}, big.softmax(1).toArray());
    assertArrayEquals(new float[] {0f, -1000f, -2000f}, big.logSoftmax(1).toArray());
    assertEquals(0f, big.softmaxCrossEntropy(new int[] {0}).item());
    assertEquals(2000f, big.softmaxCrossEntropy(new int[] {2}).item());
    Tensor logits = big.requiringGrad();
    float[] g = Autograd.grad(logits.softmaxCrossEntropy(new int[] {2}), List.of(logits))
        .get(0).toArray();
    assertArrayEquals(new float[] {1f, 0f, -1f}, g);
  }

  @Test
  void softmaxRowsSumToOne() {
    Tensor p = GradCheck.random(43, 5, 7).softmax(-1);
    float[] s = p.sum(1).toArray();
    for (float v : s) {
      assertEquals(1f, v, 1e-6f);
    }
  }

  @Test
  void axisErrorsNameTheOpAndShape() {
    Tensor x = Tensor.zeros(4, 3);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> x.softmax(2));
    assertTrue(e.getMessage().startsWith("softmax: axis 2 is out of range for shape [4, 3]"),
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> x.logSoftmax(-3));
    assertTrue(e.getMessage().startsWith("logSoftmax: axis -3 is out of range for shape [4, 3]"),
        e.getMessage());
  }

  static double[] crossEntropyRef(double[] x, double[] t, int n, int c) {
    double total = 0;
    for (int i = 0; i < n; i++) {
      double max = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < c; j++) {
        max = Math.max(max, x[i * c + j]);
      }
      double s = 0;
      for (int j = 0; j < c; j++) {
        s += Math.exp(x[i * c + j] - max);
      }
      for (int j = 0; j < c; j++) {
        double logp = x[i * c + j] - max - Math.log(s);
        total -= t[i * c + j] * logp;
      }
    }
    return new double[] {total / n};
  }

  static double[] oneHot(int[] labels, int c) {
    double[] t = new double[labels.length * c];
    for (int i = 0; i < labels.length; i++) {
      t[i * c + labels[i]] = 1;
    }
    return t;
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3})
  void crossEntropyWithLabelsMatchesReference(long seed) {
    int n = 6;
    int c = 4;
    SplittableRandom rng = new SplittableRandom(seed);
    int[] labels = rng.ints(n, 0, c).toArray();
    Tensor x = Tensor.randomUniform(rng, -4f, 4f, n, c);
    GradCheck.check(
        in -> in.get(0).softmaxCrossEntropy(labels),
        r -> crossEntropyRef(r.get(0), oneHot(labels, c), n, c),
        List.of(x),
        1e-4);
    assertEquals(0, x.softmaxCrossEntropy(labels).rank());
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3})
  void crossEntropyWithTargetsMatchesReference(long seed) {
    int n = 5;
    int c = 3;
    SplittableRandom rng = new SplittableRandom(seed);
    Tensor x = Tensor.randomUniform(rng, -4f, 4f, n, c);
    Tensor t = Tensor.randomUniform(rng, -2f, 2f, n, c).softmax(1);
    GradCheck.check(
        in -> in.get(0).softmaxCrossEntropy(in.get(1)),
        r -> crossEntropyRef(r.get(0), r.get(1), n, c),
        List.of(x, t),
        1e-4);
    // Targets that do not sum to one still get the exact gradient.
    GradCheck.check(
        in -> in.get(0).softmaxCrossEntropy(in.get(1)),
        r -> crossEntropyRef(r.get(0), r.get(1), n, c),
        List.of(x, Tensor.randomUniform(rng, 0f, 1f, n, c)),
        1e-4);
  }

  @Test
  void targetsFormAgreesWithLabelsForm() {
    int[] labels = {2, 0, 1, 1};
    Tensor x = GradCheck.random(44, 4, 3);
    float[] t = new float[12];
    for (int i = 0; i < 4; i++) {
      t[i * 3 + labels[i]] = 1f;
    }
    Tensor a = x.requiringGrad();
    Tensor b = x.requiringGrad();
    Tensor la = a.softmaxCrossEntropy(labels);
    Tensor lb = b.softmaxCrossEntropy(Tensor.of(t, 4, 3));
    assertEquals(la.item(), lb.item(), 1e-6f);
    assertArrayEquals(
        Autograd.grad(la, List.of(a)).get(0).toArray(),
        Autograd.grad(lb, List.of(b)).get(0).toArray(),
        1e-7f);
  }

  @Test
  void crossEntropyValidatesItsInputs() {
    Tensor x = Tensor.zeros(3, 5);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> x.softmaxCrossEntropy(new int[] {0, 7, 1}));
    assertTrue(e.getMessage().contains("label 7 at index 1"), e.getMessage());
    assertTrue(e.getMessage().contains("[3, 5]"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> x.softmaxCrossEntropy(new int[] {0, 1, -1}));
    assertTrue(e.getMessage().contains("label -1 at index 2"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> x.softmaxCrossEntropy(new int[] {0, 1}));
    assertTrue(e.getMessage().contains("expects 3 labels") && e.getMessage().contains("2 labels"),
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> Tensor.zeros(5).softmaxCrossEntropy(new int[] {0}));
    assertTrue(e.getMessage().contains("[5]"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> x.softmaxCrossEntropy(Tensor.zeros(3, 4)));
    assertTrue(e.getMessage().contains("[3, 5]") && e.getMessage().contains("[3, 4]"),
        e.getMessage());
  }
}

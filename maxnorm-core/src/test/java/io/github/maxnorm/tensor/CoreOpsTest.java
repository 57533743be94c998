package io.github.maxnorm.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CoreOpsTest {

  /** out[i] for broadcasting a (shape sa) with b (shape sb) into shape so, in double. */
  static double[] broadcastRef(
      double[] a, int[] sa, double[] b, int[] sb, int[] so, java.util.function.DoubleBinaryOperator f) {
    Shape out = Shape.of(so);
    double[] o = new double[out.size()];
    int[] idx = new int[so.length];
    for (int p = 0; p < o.length; p++) {
      int rem = p;
      for (int d = so.length - 1; d >= 0; d--) {
        idx[d] = rem % so[d];
        rem /= so[d];
      }
      o[p] = f.applyAsDouble(a[flat(idx, sa)], b[flat(idx, sb)]);
    }
    return o;
  }

  private static int flat(int[] outIdx, int[] s) {
    int shift = outIdx.length - s.length;
    int f = 0;
    for (int d = 0; d < s.length; d++) {
      int i = s[d] == 1 ? 0 : outIdx[d + shift];
      f = f * s[d] + i;
    }
    return f;
  }

  @Test
  void addBroadcastsBiasAndScalar() {
    int[][][] cases = {
      {{4, 3}, {3}, {4, 3}},
      {{2, 1, 3}, {4, 1}, {2, 4, 3}},
      {{3}, {}, {3}},
      {{2, 3}, {2, 3}, {2, 3}},
    };
    for (int[][] c : cases) {
      GradCheck.check(
          in -> in.get(0).add(in.get(1)),
          r -> broadcastRef(r.get(0), c[0], r.get(1), c[1], c[2], Double::sum),
          List.of(GradCheck.random(1, c[0]), GradCheck.random(2, c[1])),
          1e-4);
      GradCheck.check(
          in -> in.get(0).sub(in.get(1)),
          r -> broadcastRef(r.get(0), c[0], r.get(1), c[1], c[2], (x, y) -> x - y),
          List.of(GradCheck.random(3, c[0]), GradCheck.random(4, c[1])),
          1e-4);
      GradCheck.check(
          in -> in.get(0).mul(in.get(1)),
          r -> broadcastRef(r.get(0), c[0], r.get(1), c[1], c[2], (x, y) -> x * y),
          List.of(GradCheck.random(5, c[0]), GradCheck.random(6, c[1])),
          1e-4);
    }
  }

  @Test
  void divGradient() {
    Tensor b = GradCheck.random(8, 3).add(Tensor.full(2f, 3));
    GradCheck.check(
        in -> in.get(0).div(in.get(1)),
        r -> broadcastRef(r.get(0), new int[] {4, 3}, r.get(1), new int[] {3}, new int[] {4, 3},
            (x, y) -> x / y),
        List.of(GradCheck.random(7, 4, 3), b),
        1e-4);
  }

  @Test
  void matmulForwardAndGradient() {
    int m = 5, k = 7, n = 3;
    GradCheck.check(
        in -> in.get(0).matmul(in.get(1)),
        r -> matmulRef(r.get(0), r.get(1), 1, m, k, n, false),
        List.of(GradCheck.random(1, m, k), GradCheck.random(2, k, n)),
        1e-4);
    GradCheck.check(
        in -> in.get(0).matmul(in.get(1)),
        r -> matmulRef(r.get(0), r.get(1), 2, m, k, n, false),
        List.of(GradCheck.random(3, 2, m, k), GradCheck.random(4, 2, k, n)),
        1e-4);
    GradCheck.check(
        in -> in.get(0).matmul(in.get(1)),
        r -> matmulRef(r.get(0), r.get(1), 2, m, k, n, true),
        List.of(GradCheck.random(5, 2, m, k), GradCheck.random(6, k, n)),
        1e-4);
  }

  static double[] matmulRef(double[] a, double[] b, int batch, int m, int k, int n, boolean sharedB) {
    double[] o = new double[batch * m * n];
    for (int q = 0; q < batch; q++) {
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
          double s = 0;
          for (int p = 0; p < k; p++) {
            s += a[q * m * k + i * k + p] * b[(sharedB ? 0 : q * k * n) + p * n + j];
          }
          o[q * m * n + i * n + j] = s;
        }
      }
    }
    return o;
  }

  @Test
  void matmulNamesBothShapes() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class,
            () -> Tensor.zeros(128, 784).matmul(Tensor.zeros(512, 10)));
    assertEquals("matmul: [128, 784] x [512, 10]: inner dimensions 784 and 512 differ", e.getMessage());
  }

  @Test
  void reluSumNegReshape() {
    GradCheck.check(
        in -> in.get(0).relu(),
        r -> java.util.Arrays.stream(r.get(0)).map(v -> Math.max(v, 0)).toArray(),
        List.of(GradCheck.random(9, 3, 4)),
        1e-4);
    GradCheck.check(
        in -> in.get(0).neg(),
        r -> java.util.Arrays.stream(r.get(0)).map(v -> -v).toArray(),
        List.of(GradCheck.random(10, 5)),
        1e-4);
    GradCheck.check(
        in -> in.get(0).sum(1),
        r -> {
          double[] x = r.get(0);
          double[] o = new double[6];
          for (int i = 0; i < 2; i++) for (int j = 0; j < 4; j++) for (int l = 0; l < 3; l++) {
            o[i * 3 + l] += x[i * 12 + j * 3 + l];
          }
          return o;
        },
        List.of(GradCheck.random(11, 2, 4, 3)),
        1e-4);
    GradCheck.check(
        in -> in.get(0).sum(),
        r -> new double[] {java.util.Arrays.stream(r.get(0)).sum()},
        List.of(GradCheck.random(12, 2, 3)),
        1e-4);
    GradCheck.check(
        in -> in.get(0).reshape(3, -1),
        r -> r.get(0).clone(),
        List.of(GradCheck.random(13, 2, 3)),
        1e-4);
  }

  @Test
  void backwardAccumulatesIntoVariablesAndReleasesGraph() {
    Variable w = new Variable("w", Tensor.of(new float[] {1, 2, 3, 4}, 2, 2));
    Tensor x = Tensor.of(new float[] {1, 1}, 1, 2);
    Tensor loss = x.matmul(w.value()).sum();
    Autograd.backward(loss);
    assertArrayEquals(new float[] {1, 1, 1, 1}, w.grad());
    assertThrows(IllegalStateException.class, () -> Autograd.backward(loss));
  }

  @Test
  void noGradRecordsNothing() {
    Variable w = new Variable("w", Tensor.ones(2, 2));
    try (GradMode.Scope ignored = GradMode.off()) {
      Tensor y = w.value().mul(w.value());
      assertTrue(!y.requiresGrad() && y.creator() == null);
    }
    assertTrue(w.value().mul(w.value()).requiresGrad());
  }

  @Test
  void nanPropagates() {
    Tensor t = Tensor.of(new float[] {Float.NaN, 1f}, 2);
    assertTrue(Float.isNaN(t.add(Tensor.scalar(1f)).get(0)));
    assertTrue(Float.isNaN(t.relu().get(0)));
  }
}

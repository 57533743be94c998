package io.github.maxnorm.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.github.maxnorm.kernel.Gemm;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A product with a large shared right operand stages it once for the forward and the backward
 * pass; the results are those of plain products on the arrays, bit for bit.
 */
class MatMulStagingTest {

  private static float[] random(SplittableRandom rng, int n) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) (rng.nextDouble() * 2 - 1);
    }
    return x;
  }

  @ParameterizedTest
  @CsvSource({"5, 300, 70", "32, 200, 100", "3, 64, 256", "4, 10, 10"})
  void forwardAndGradientsEqualPlainProducts(int m, int k, int n) {
    SplittableRandom rng = new SplittableRandom(1000L * m + k + n);
    float[] xs = random(rng, m * k);
    Variable x = new Variable("x", Tensor.of(xs, m, k));
    Variable w = new Variable("w", Tensor.of(random(rng, k * n), k, n));
    float[] g = random(rng, m * n);
    Tensor out = x.value().matmul(w.value());
    float[] wantOut = new float[m * n];
    Gemm.sgemm(false, false, m, n, k, 1f, xs, 0, k, w.data(), 0, n, 0f, wantOut, 0, n);
    assertArrayEquals(wantOut, out.toArray());
    List<Tensor> grads = Autograd.grad(out, Tensor.of(g, m, n), List.of(x.value(), w.value()));
    float[] wantDx = new float[m * k];
    Gemm.sgemm(false, true, m, k, n, 1f, g, 0, n, w.data(), 0, n, 0f, wantDx, 0, k);
    float[] wantDw = new float[k * n];
    Gemm.sgemm(true, false, k, n, m, 1f, xs, 0, k, g, 0, n, 0f, wantDw, 0, n);
    assertArrayEquals(wantDx, grads.get(0).toArray());
    assertArrayEquals(wantDw, grads.get(1).toArray());
  }
}

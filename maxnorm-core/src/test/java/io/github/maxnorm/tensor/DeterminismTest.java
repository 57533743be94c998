package io.github.maxnorm.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DeterminismTest {

  /** Loss and gradients of a small classifier step, everything drawn from one seed. */
  private static float[][] run(long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    Tensor x = Tensor.randomNormal(rng, 0f, 1f, 64, 20);
    Variable w = new Variable("w", Tensor.randomNormal(rng, 0f, 0.3f, 20, 10));
    Variable b = new Variable("b", Tensor.zeros(10));
    int[] labels = rng.ints(64, 0, 10).toArray();
    Tensor h = x.matmul(w.value()).add(b.value()).dropout(0.2f, rng);
    Tensor probs = h.softmax(-1);
    Tensor loss = h.softmaxCrossEntropy(labels).add(probs.max(1).mean().mul(Tensor.scalar(0.1f)));
    Autograd.backward(loss);
    return new float[][] {loss.toArray(), probs.toArray(), w.grad().clone(), b.grad().clone()};
  }

  @Test
  void sameSeedGivesBitIdenticalResults() {
    float[][] first = run(2024);
    float[][] second = run(2024);
    for (int k = 0; k < first.length; k++) {
      assertArrayEquals(first[k], second[k], "result " + k);
    }
    float[][] other = run(2025);
    assertTrue(!java.util.Arrays.equals(first[2], other[2]), "a different seed changed nothing");
  }

  @Test
  void gradientOfTheCompositeMatchesReference() {
    int n = 4;
    int c = 3;
    int k = 5;
    int[] labels = {0, 2, 1, 2};
    GradCheck.check(
        in -> in.get(0).matmul(in.get(1)).softmaxCrossEntropy(labels),
        r -> SoftmaxOpsTest.crossEntropyRef(
            CoreOpsTest.matmulRef(r.get(0), r.get(1), 1, n, k, c, false),
            SoftmaxOpsTest.oneHot(labels, c), n, c),
        List.of(GradCheck.random(71, n, k), GradCheck.random(72, k, c)),
        1e-4);
  }
}

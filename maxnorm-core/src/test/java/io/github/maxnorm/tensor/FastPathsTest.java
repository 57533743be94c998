package io.github.maxnorm.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The branch-free and parallel loops of the training step give bit for bit what the plain loops
 * give.
 */
class FastPathsTest {

  private static float[] specials() {
    return new float[] {0f, -0f, 1f, -1f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MAX_VALUE,
        -Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN,
        Float.intBitsToFloat(0xffc00000), Float.intBitsToFloat(0x7f800001),
        Float.intBitsToFloat(0xff800001), Float.intBitsToFloat(0x80000001)};
  }

  @Test
  void branchFreeReluMatchesTheComparisonOnEveryKindOfFloat() {
    SplittableRandom rng = new SplittableRandom(71);
    float[] special = specials();
    for (int k = 0; k < 400_000; k++) {
      float v = k < special.length ? special[k] : Float.intBitsToFloat(rng.nextInt());
      float want = v < 0f ? 0f : v;
      assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(Relu.relu(v)),
          "relu of bits " + Integer.toHexString(Float.floatToRawIntBits(v)));
      float wantGrad = v > 0f ? 2.5f : 0f;
      assertEquals(Float.floatToRawIntBits(wantGrad),
          Float.floatToRawIntBits(Relu.passIfPositive(v, 2.5f)),
          "relu gradient at bits " + Integer.toHexString(Float.floatToRawIntBits(v)));
    }
  }

  @Test
  void biasAddAndItsGradientMatchPlainLoops() {
    int n = 300;
    int c = 257;
    Tensor x = GradCheck.random(72, n, c).requiringGrad();
    Tensor b = GradCheck.random(73, c).requiringGrad();
    Tensor y = x.add(b);
    float[] want = new float[n * c];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < c; j++) {
        want[i * c + j] = x.get(i * c + j) + b.get(j);
      }
    }
    assertArrayEquals(want, y.toArray());
    Tensor gOut = GradCheck.random(74, n, c);
    float[] gb = Autograd.grad(y, gOut, List.of(b)).get(0).toArray();
    float[] wantGb = new float[c];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < c; j++) {
        wantGb[j] += gOut.get(i * c + j);
      }
    }
    assertArrayEquals(wantGb, gb);
  }

  @Test
  void backwardReplacingEqualsZeroingThenBackward() {
    Variable w = new Variable("w", GradCheck.random(75, 6, 4));
    Variable unused = new Variable("unused", GradCheck.random(76, 3));
    Variable unlisted = new Variable("unlisted", GradCheck.random(77, 4));
    Tensor x = GradCheck.random(78, 5, 6);
    java.util.Arrays.fill(w.grad(), 9f);
    java.util.Arrays.fill(unused.grad(), 9f);
    java.util.Arrays.fill(unlisted.grad(), 1f);
    Autograd.backwardReplacing(
        x.matmul(w.value()).add(unlisted.value()).relu().sum(), List.of(w, unused));

    Variable w2 = new Variable("w", GradCheck.random(75, 6, 4));
    Variable unlisted2 = new Variable("unlisted", GradCheck.random(77, 4));
    java.util.Arrays.fill(unlisted2.grad(), 1f);
    Autograd.backward(x.matmul(w2.value()).add(unlisted2.value()).relu().sum());

    assertArrayEquals(w2.grad(), w.grad());
    assertArrayEquals(new float[3], unused.grad());
    assertArrayEquals(unlisted2.grad(), unlisted.grad(), "an unlisted variable accumulates");
  }
}

package io.github.maxnorm.nn.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.maxnorm.nn.ForwardContext;
import io.github.maxnorm.nn.Layer;
import io.github.maxnorm.tensor.Shape;
import io.github.maxnorm.tensor.Tensor;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The random layers, whose values no reference file can hold: identity at inference, the same
 * noise for the same step seed, and the moments and sharing pattern the definitions give.
 */
class NoiseLayersTest {
  private static float[] run(Layer l, Tensor x, long seed) {
    return l.forward(x, ForwardContext.training(seed)).toArray();
  }

  private static void checkIdentityAndSeeding(Layer l, Tensor x) {
    assertArrayEquals(x.toArray(), l.forward(x, ForwardContext.INFERENCE).toArray());
    assertArrayEquals(run(l, x, 3), run(l, x, 3));
    assertNotEquals(Arrays.toString(run(l, x, 3)), Arrays.toString(run(l, x, 4)));
  }

  @Test
  void gaussianNoiseAddsZeroMeanNoiseOfTheGivenSpread() {
    GaussianNoise l = new GaussianNoise(0.5);
    l.build(Shape.of(1000), new SplittableRandom(0));
    Tensor x = Tensor.full(2f, 20, 1000);
    checkIdentityAndSeeding(l, x);
    double[] m = moments(run(l, x, 5));
    assertEquals(2.0, m[0], 0.01);
    assertEquals(0.25, m[1], 0.01);
  }

  @Test
  void gaussianDropoutMultipliesByNoiseOfMeanOne() {
    GaussianDropout l = new GaussianDropout(0.2);
    l.build(Shape.of(1000), new SplittableRandom(0));
    Tensor x = Tensor.full(3f, 20, 1000);
    checkIdentityAndSeeding(l, x);
    double[] m = moments(run(l, x, 5));
    assertEquals(3.0, m[0], 0.02);
    assertEquals(9 * 0.2 / 0.8, m[1], 0.05);
  }

  @Test
  void spatialDropoutDropsWholeFeatureMaps() {
    SpatialDropout2D l = new SpatialDropout2D(0.5);
    l.build(Shape.of(4, 5, 64), new SplittableRandom(0));
    Tensor x = Tensor.ones(8, 4, 5, 64);
    checkIdentityAndSeeding(l, x);
    float[] y = run(l, x, 7);
    int dropped = 0;
    for (int n = 0; n < 8; n++) {
      for (int c = 0; c < 64; c++) {
        float first = y[(n * 20) * 64 + c];
        for (int p = 0; p < 20; p++) {
          assertEquals(first, y[(n * 20 + p) * 64 + c], "one value per image and channel");
        }
        assertTrue(first == 0f || first == 2f, "kept maps are scaled by 1 / (1 - rate)");
        dropped += first == 0f ? 1 : 0;
      }
    }
    assertTrue(dropped > 8 * 64 * 0.35 && dropped < 8 * 64 * 0.65, "dropped " + dropped);
    SpatialDropout1D seq = new SpatialDropout1D(0.5);
    seq.build(Shape.of(6, 32), new SplittableRandom(0));
    float[] z = seq.forward(Tensor.ones(2, 6, 32), ForwardContext.training(1)).toArray();
    for (int t = 1; t < 6; t++) {
      assertEquals(z[t * 32 + 3], z[3], "one value per sequence and channel");
    }
  }

  @Test
  void dropoutNoiseShapeSharesTheMaskAlongAxesOfOne() {
    Dropout l = new Dropout(0.5).noiseShape(0, 1, 0);
    l.build(Shape.of(7, 40), new SplittableRandom(0));
    float[] y = run(l, Tensor.ones(3, 7, 40), 2);
    for (int n = 0; n < 3; n++) {
      for (int t = 0; t < 7; t++) {
        for (int f = 0; f < 40; f++) {
          assertEquals(y[n * 280 + f], y[n * 280 + t * 40 + f]);
        }
      }
    }
  }

  private static double[] moments(float[] v) {
    double mean = 0;
    for (float x : v) {
      mean += x;
    }
    mean /= v.length;
    double var = 0;
    for (float x : v) {
      var += (x - mean) * (x - mean);
    }
    return new double[] {mean, var / v.length};
  }
}

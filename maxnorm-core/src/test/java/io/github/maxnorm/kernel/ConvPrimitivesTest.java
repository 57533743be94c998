package io.github.maxnorm.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConvPrimitivesTest {

  /** A Keras-style geometry: "same" or "valid" padding. */
  static Conv2d.Geometry geometry(int batch, int h, int w, int c, int kh, int kw, int out,
      int sh, int sw, boolean same) {
    int outH = same ? (h + sh - 1) / sh : (h - kh) / sh + 1;
    int outW = same ? (w + sw - 1) / sw : (w - kw) / sw + 1;
    int padTop = same ? Math.max((outH - 1) * sh + kh - h, 0) / 2 : 0;
    int padLeft = same ? Math.max((outW - 1) * sw + kw - w, 0) / 2 : 0;
    return new Conv2d.Geometry(batch, h, w, c, kh, kw, out, sh, sw, padTop, padLeft, outH, outW);
  }

  static Stream<Arguments> geometries() {
    return Stream.of(
        Arguments.of(geometry(2, 7, 6, 3, 3, 3, 5, 1, 1, true)),
        Arguments.of(geometry(2, 7, 6, 3, 3, 3, 5, 1, 1, false)),
        Arguments.of(geometry(3, 9, 8, 16, 3, 3, 8, 2, 2, true)),
        Arguments.of(geometry(3, 9, 8, 16, 3, 3, 8, 2, 2, false)),
        Arguments.of(geometry(1, 10, 11, 20, 5, 3, 17, 2, 3, true)),
        Arguments.of(geometry(2, 10, 11, 20, 5, 3, 17, 3, 2, false)),
        Arguments.of(geometry(2, 8, 8, 32, 2, 2, 32, 2, 2, false)),
        Arguments.of(geometry(4, 6, 6, 18, 3, 3, 12, 1, 1, true)));
  }

  static float[] random(int n, SplittableRandom rng) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) (rng.nextDouble() * 2 - 1);
    }
    return a;
  }

  /** The float32 forward pass through the primitives; false where unsupported. */
  static boolean forward(Conv2d.Geometry g, float[] x, float[] k, float[] y) {
    return ConvPrimitives.forward(g, Precision.FLOAT32, x, k, null, false, y) != 0;
  }

  static boolean backwardData(Conv2d.Geometry g, float[] gy, float[] k, float[] gx) {
    return ConvPrimitives.backward(g, Precision.FLOAT32, gy, null, k, null, 0, gx, null, null);
  }

  static boolean backwardWeights(Conv2d.Geometry g, float[] x, float[] gy, float[] gk) {
    return ConvPrimitives.backward(g, Precision.FLOAT32, gy, null, new float[g.kernelSize()], x,
        0, null, gk, null);
  }

  /** Equal up to float summation order over {@code terms} products of values in [-1, 1]. */
  static void assertClose(String what, float[] expected, float[] actual, int terms) {
    assertEquals(expected.length, actual.length, what);
    double tol = 1e-6 * terms + 1e-6;
    for (int i = 0; i < expected.length; i++) {
      double d = Math.abs(expected[i] - actual[i]);
      assertTrue(d <= tol, what + "[" + i + "]: expected " + expected[i] + ", got " + actual[i]);
    }
  }

  @ParameterizedTest
  @MethodSource("geometries")
  void primitivesMatchTheLoweredPath(Conv2d.Geometry g) {
    SplittableRandom rng = new SplittableRandom(g.hashCode());
    float[] x = random(g.inputSize(), rng);
    float[] k = random(g.kernelSize(), rng);
    float[] gy = random(g.outputSize(), rng);

    float[] y = new float[g.outputSize()];
    float[] yRef = new float[g.outputSize()];
    assertTrue(forward(g, x, k, y), "forward supported for " + g);
    Conv2d.forwardLowered(g, x, k, yRef);
    assertClose("output", yRef, y, g.kernelH() * g.kernelW() * g.inC());

    float[] gx = new float[g.inputSize()];
    float[] gxRef = new float[g.inputSize()];
    assertTrue(backwardData(g, gy, k, gx), "backward-data supported for " + g);
    Conv2d.backwardDataLowered(g, gy, k, gxRef);
    assertClose("gradInput", gxRef, gx, g.kernelH() * g.kernelW() * g.outC());

    float[] gk = new float[g.kernelSize()];
    float[] gkRef = new float[g.kernelSize()];
    assertTrue(backwardWeights(g, x, gy, gk), "backward-weights supported");
    Conv2d.backwardWeightsLowered(g, x, gy, gkRef);
    assertClose("gradKernel", gkRef, gk, g.batch() * g.outH() * g.outW());
  }

  @ParameterizedTest
  @MethodSource("geometries")
  void publicEntryPointsMatchTheLoweredPath(Conv2d.Geometry g) {
    SplittableRandom rng = new SplittableRandom(g.hashCode() + 1L);
    float[] x = random(g.inputSize(), rng);
    float[] k = random(g.kernelSize(), rng);
    float[] gy = random(g.outputSize(), rng);
    float[] y = new float[g.outputSize()];
    float[] yRef = new float[g.outputSize()];
    Conv2d.forward(g, x, k, y);
    Conv2d.forwardLowered(g, x, k, yRef);
    assertClose("output", yRef, y, g.kernelH() * g.kernelW() * g.inC());
    float[] gx = new float[g.inputSize()];
    float[] gxRef = new float[g.inputSize()];
    Conv2d.backwardData(g, gy, k, gx);
    Conv2d.backwardDataLowered(g, gy, k, gxRef);
    assertClose("gradInput", gxRef, gx, g.kernelH() * g.kernelW() * g.outC());
    float[] gk = new float[g.kernelSize()];
    float[] gkRef = new float[g.kernelSize()];
    Conv2d.backwardWeights(g, x, gy, gk);
    Conv2d.backwardWeightsLowered(g, x, gy, gkRef);
    assertClose("gradKernel", gkRef, gk, g.batch() * g.outH() * g.outW());
  }

  @Test
  void sameInputsGiveBitIdenticalResults() {
    for (Conv2d.Geometry g : new Conv2d.Geometry[] {
        geometry(8, 16, 16, 32, 3, 3, 32, 1, 1, true), geometry(8, 16, 16, 3, 3, 3, 32, 1, 1, true)}) {
      SplittableRandom rng = new SplittableRandom(7);
      float[] x = random(g.inputSize(), rng);
      float[] k = random(g.kernelSize(), rng);
      float[] gy = random(g.outputSize(), rng);
      float[][] first = run(g, x, k, gy);
      float[][] second = run(g, x, k, gy);
      for (int i = 0; i < first.length; i++) {
        assertArrayEquals(first[i], second[i], "result " + i + " for " + g);
      }
      float[] a = new float[g.kernelSize()];
      float[] b = new float[g.kernelSize()];
      assertTrue(backwardWeights(g, x, gy, a));
      assertTrue(backwardWeights(g, x, gy, b));
      assertArrayEquals(a, b, "oneDNN kernel gradient for " + g);
    }
  }

  @Test
  void bfloat16GivesBitIdenticalResultsAndReusesTheStagedInput() {
    org.junit.jupiter.api.Assumptions.assumeTrue(Precision.BFLOAT16.supported(),
        Precision.bfloat16Unsupported());
    Conv2d.Geometry g = geometry(4, 12, 12, 32, 3, 3, 16, 1, 1, true);
    SplittableRandom rng = new SplittableRandom(8);
    float[] x = random(g.inputSize(), rng);
    float[] k = random(g.kernelSize(), rng);
    float[] b = random(g.outC(), rng);
    float[] gy = random(g.outputSize(), rng);
    float[][] results = new float[3][];
    for (int round = 0; round < 3; round++) {
      float[] y = new float[g.outputSize()];
      float[] gx = new float[g.inputSize()];
      float[] gk = new float[g.kernelSize()];
      long stamp = Conv2d.forward(g, Precision.BFLOAT16, x, k, b, true, y);
      // round 1 passes no stamp (the input is staged again), round 2 a stale one
      long use = round == 0 ? stamp : round == 1 ? 0 : stamp - 1;
      Conv2d.backward(g, Precision.BFLOAT16, gy, k, x, use, gx, gk);
      float[] all = new float[y.length + gx.length + gk.length];
      System.arraycopy(y, 0, all, 0, y.length);
      System.arraycopy(gx, 0, all, y.length, gx.length);
      System.arraycopy(gk, 0, all, y.length + gx.length, gk.length);
      results[round] = all;
    }
    assertArrayEquals(results[0], results[1]);
    assertArrayEquals(results[0], results[2]);
  }

  private static float[][] run(Conv2d.Geometry g, float[] x, float[] k, float[] gy) {
    float[] y = new float[g.outputSize()];
    float[] gx = new float[g.inputSize()];
    float[] gk = new float[g.kernelSize()];
    Conv2d.forward(g, x, k, y);
    Conv2d.backwardData(g, gy, k, gx);
    Conv2d.backwardWeights(g, x, gy, gk);
    return new float[][] {y, gx, gk};
  }

  @Test
  void cacheStaysBoundedAndEvictedGeometriesStillWork() {
    SplittableRandom rng = new SplittableRandom(3);
    Conv2d.Geometry first = geometry(1, 5, 5, 2, 3, 3, 2, 1, 1, true);
    float[] x = random(first.inputSize(), rng);
    float[] k = random(first.kernelSize(), rng);
    float[] y = new float[first.outputSize()];
    assertTrue(forward(first, x, k, y));
    for (int i = 0; i < ConvPrimitives.CACHE_CAPACITY + 3; i++) {
      Conv2d.Geometry g = geometry(1, 5 + i, 5, 2, 3, 3, 2, 1, 1, true);
      assertTrue(forward(g, new float[g.inputSize()], k, new float[g.outputSize()]));
      assertTrue(ConvPrimitives.cached() <= ConvPrimitives.CACHE_CAPACITY);
    }
    long floats = ConvPrimitives.cachedFloats();
    assertTrue(floats > 0 && floats <= ConvPrimitives.CACHE_MAX_FLOATS, "cached floats " + floats);
    float[] again = new float[first.outputSize()];
    assertTrue(forward(first, x, k, again));
    assertArrayEquals(y, again);
  }

  @Test
  void rightPaddingGivesTheWindowCount() {
    // "same", 5 wide, 3-window, stride 2: 3 windows, one cell of padding on each side
    assertEquals(1, ConvPrimitives.rightPadding(5, 3, 2, 1, 3));
    // "valid", 6 wide, 3-window, stride 2: 2 windows, the last cell is never reached
    assertEquals(0, ConvPrimitives.rightPadding(6, 3, 2, 0, 2));
    // fewer windows than fit: no padding gives that count
    assertEquals(-1, ConvPrimitives.rightPadding(9, 3, 1, 0, 2));
  }
}

package io.github.maxnorm.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.maxnorm.kernel.Precision;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The fused product ops ({@link Tensor#linear}, {@link Tensor#conv2d(Tensor, Tensor, int[],
 * Padding, int[], int, boolean, Precision)}): in float32 against double references and central
 * differences; in bfloat16 against references that round every product operand to bfloat16 (which
 * only a real bfloat16 product matches closely) and against their float32 counterparts within
 * bfloat16's tolerance.
 */
class FusedOpsTest {
  /** Relative error bound of a product of two bfloat16-rounded values (2 * 2^-8, and some). */
  private static final double BF16_PRODUCT = 0x1p-7 * 1.01;

  /** bfloat16 rounding of a float (round to nearest even), as a float. */
  static float bf16(float v) {
    if (Float.isNaN(v)) {
      return v;
    }
    int b = Float.floatToRawIntBits(v);
    b += 0x7fff + ((b >>> 16) & 1);
    return Float.intBitsToFloat(b & 0xffff0000);
  }

  static double[] bf16(double[] v) {
    double[] r = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      r[i] = bf16((float) v[i]);
    }
    return r;
  }

  static void assumeBf16() {
    Assumptions.assumeTrue(Precision.BFLOAT16.supported(), Precision.bfloat16Unsupported());
  }

  // ------------------------------------------------------------------------------ references

  /** x [m, k] . w [k, n] + b, then ReLU when asked, in double. */
  static double[] linearRef(double[] x, double[] w, double[] b, int m, int k, int n,
      boolean relu) {
    double[] o = new double[m * n];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double s = b == null ? 0 : b[j];
        for (int p = 0; p < k; p++) {
          s += x[i * k + p] * w[p * n + j];
        }
        o[i * n + j] = relu ? Math.max(s, 0) : s;
      }
    }
    return o;
  }

  static double[] conv(double[] x, double[] k, double[] b, int n, int h, int w, int c, int f,
      boolean relu) {
    double[] o = ConvPoolTest.convRef(x, k, n, h, w, c, 3, 3, f, 1, 1, true);
    for (int i = 0; i < o.length; i++) {
      double v = o[i] + (b == null ? 0 : b[i % f]);
      o[i] = relu ? Math.max(v, 0) : v;
    }
    return o;
  }

  private static double[] doubles(Tensor t) {
    double[] d = new double[t.size()];
    for (int i = 0; i < d.length; i++) {
      d[i] = t.get(i);
    }
    return d;
  }

  // ------------------------------------------------------------------------------ float32

  @ParameterizedTest
  @CsvSource({"true, true", "true, false", "false, true", "false, false"})
  void linearMatchesReferenceAndCentralDifferences(boolean bias, boolean relu) {
    int m = 5;
    int k = 7;
    int n = 6;
    List<Tensor> in = new ArrayList<>(List.of(GradCheck.random(1, m, k),
        GradCheck.random(2, k, n)));
    if (bias) {
      in.add(GradCheck.random(3, n));
    }
    GradCheck.check(
        t -> t.get(0).linear(t.get(1), bias ? t.get(2) : null, relu, Precision.FLOAT32),
        r -> linearRef(r.get(0), r.get(1), bias ? r.get(2) : null, m, k, n, relu), in, 1e-3);
  }

  @Test
  void linearFoldsLeadingAxesIntoRows() {
    Tensor x = GradCheck.random(4, 2, 3, 5);
    Tensor w = GradCheck.random(5, 5, 4);
    Tensor b = GradCheck.random(6, 4);
    Tensor y = x.linear(w, b, true, Precision.FLOAT32);
    assertArrayEquals(new int[] {2, 3, 4}, y.shape().dims());
    double[] ref = linearRef(doubles(x), doubles(w), doubles(b), 6, 5, 4, true);
    for (int i = 0; i < ref.length; i++) {
      assertEquals(ref[i], y.get(i), 1e-5);
    }
  }

  @Test
  void linearRejectsShapesNamingThem() {
    Tensor x = Tensor.zeros(2, 3);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> x.linear(Tensor.zeros(4, 2), null, false, Precision.FLOAT32));
    assertTrue(e.getMessage().contains("[2, 3]") && e.getMessage().contains("[4, 2]"),
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> x.linear(Tensor.zeros(3, 2), Tensor.zeros(3), false, Precision.FLOAT32));
    assertTrue(e.getMessage().contains("bias [3]"), e.getMessage());
  }

  @ParameterizedTest
  @CsvSource({
    // c, bias, relu, dilation: 3 channels take the lowered gradients, 16 oneDNN's, dilation the
    // general loops
    "3, true, true, 1", "16, true, true, 1", "16, false, true, 1", "3, true, false, 1",
    "4, true, true, 2"})
  void conv2dWithBiasAndReluMatchesReferenceAndCentralDifferences(int c, boolean bias,
      boolean relu, int dilation) {
    int n = 2;
    int h = 6;
    int w = 5;
    int f = 4;
    List<Tensor> in = new ArrayList<>(List.of(GradCheck.random(10 + c, n, h, w, c),
        GradCheck.random(20 + c, 3, 3, c, f)));
    if (bias) {
      in.add(GradCheck.random(30 + c, f));
    }
    int[] dil = {dilation, dilation};
    GradCheck.Reference ref = dilation == 1
        ? r -> conv(r.get(0), r.get(1), bias ? r.get(2) : null, n, h, w, c, f, relu)
        : r -> {
          // a dilated kernel is the undilated 5x5 kernel with zeros between the taps
          double[] big = new double[5 * 5 * c * f];
          double[] k = r.get(1);
          for (int ky = 0; ky < 3; ky++) {
            for (int kx = 0; kx < 3; kx++) {
              System.arraycopy(k, (ky * 3 + kx) * c * f, big, (ky * 2 * 5 + kx * 2) * c * f,
                  c * f);
            }
          }
          double[] o = ConvPoolTest.convRef(r.get(0), big, n, h, w, c, 5, 5, f, 1, 1, true);
          for (int i = 0; i < o.length; i++) {
            double v = o[i] + (bias ? r.get(2)[i % f] : 0);
            o[i] = relu ? Math.max(v, 0) : v;
          }
          return o;
        };
    GradCheck.check(
        t -> t.get(0).conv2d(t.get(1), bias ? t.get(2) : null, new int[] {1, 1}, Padding.SAME,
            dil, 1, relu, Precision.FLOAT32),
        ref, in, 1e-3);
  }

  @Test
  void fusedOpsMatchTheComposedOps() {
    Tensor x = GradCheck.random(40, 8, 16, 16, 16);
    Tensor k = GradCheck.random(41, 3, 3, 16, 8);
    Tensor b = GradCheck.random(42, 8);
    Tensor fused = x.conv2d(k, b, new int[] {1, 1}, Padding.SAME, new int[] {1, 1}, 1, true,
        Precision.FLOAT32);
    Tensor composed = x.conv2d(k, 1, 1, Padding.SAME).add(b).relu();
    assertArrayEquals(composed.toArray(), fused.toArray(), 1e-5f);
    Tensor xd = GradCheck.random(43, 9, 20);
    Tensor wd = GradCheck.random(44, 20, 30);
    Tensor bd = GradCheck.random(45, 30);
    assertArrayEquals(xd.matmul(wd).add(bd).relu().toArray(),
        xd.linear(wd, bd, true, Precision.FLOAT32).toArray(), 1e-5f);
  }

  /**
   * A kernel gradient that reads the input staged by its forward pass gives the bits of one that
   * copies the input again, also when another forward pass of the same geometry ran in between.
   */
  @Test
  void kernelGradientOfInterleavedCallsIsUnaffected() {
    Tensor k = GradCheck.random(51, 3, 3, 16, 16).requiringGrad();
    Tensor x1 = GradCheck.random(52, 4, 8, 8, 16);
    Tensor x2 = GradCheck.random(53, 4, 8, 8, 16);
    Tensor g = GradCheck.random(54, 4, 8, 8, 16);
    Tensor y1 = conv(x1, k);
    Tensor y2 = conv(x2, k);
    float[] interleaved1 = Autograd.grad(y1, g, List.of(k)).get(0).toArray();
    float[] interleaved2 = Autograd.grad(y2, g, List.of(k)).get(0).toArray();
    float[] alone1 = Autograd.grad(conv(x1, k), g, List.of(k)).get(0).toArray();
    float[] alone2 = Autograd.grad(conv(x2, k), g, List.of(k)).get(0).toArray();
    assertArrayEquals(alone1, interleaved1);
    assertArrayEquals(alone2, interleaved2);
    assertTrue(!java.util.Arrays.equals(alone1, alone2), "the two inputs give different gradients");
  }

  private static Tensor conv(Tensor x, Tensor k) {
    return x.conv2d(k, null, new int[] {1, 1}, Padding.SAME, new int[] {1, 1}, 1, true,
        Precision.FLOAT32);
  }

  // ------------------------------------------------------------------------------ bfloat16

  /**
   * Checks {@code actual} against two references: {@code rounded} (the same arithmetic with every
   * product operand rounded to bfloat16, in double), within float32 accumulation error; and {@code
   * exact} (no rounding), within bfloat16's error {@code 2^-7 * scale}. Also asserts that the
   * rounded reference differs from the unrounded one somewhere by more than the first tolerance, so
   * that a float32 computation would fail this check.
   */
  static void assertBf16(String what, float[] actual, double[] rounded, double[] exact,
      double[] scale) {
    assertEquals(rounded.length, actual.length, what + ": size");
    boolean distinguishable = false;
    for (int i = 0; i < actual.length; i++) {
      double accTol = 1e-6 * (1 + scale[i]);
      if (Math.abs(actual[i] - rounded[i]) > accTol) {
        fail(what + "[" + i + "]: bfloat16 result " + actual[i] + ", bfloat16-rounded reference "
            + rounded[i] + " (float32 reference " + exact[i] + ")");
      }
      if (Math.abs(actual[i] - exact[i]) > BF16_PRODUCT * scale[i] + 1e-6) {
        fail(what + "[" + i + "]: bfloat16 result " + actual[i] + " differs from float32 "
            + exact[i] + " by more than bfloat16's bound " + BF16_PRODUCT * scale[i]);
      }
      distinguishable |= Math.abs(rounded[i] - exact[i]) > 10 * accTol;
    }
    assertTrue(distinguishable, what + ": the test data cannot tell bfloat16 from float32");
  }

  static double[] abs(double[] v) {
    double[] r = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      r[i] = Math.abs(v[i]);
    }
    return r;
  }

  /** gz^T-free helpers: the gradients of x [m,k] . w [k,n] given gz [m,n], in double. */
  static double[] gradX(double[] gz, double[] w, int m, int k, int n) {
    double[] r = new double[m * k];
    for (int i = 0; i < m; i++) {
      for (int p = 0; p < k; p++) {
        double s = 0;
        for (int j = 0; j < n; j++) {
          s += gz[i * n + j] * w[p * n + j];
        }
        r[i * k + p] = s;
      }
    }
    return r;
  }

  static double[] gradW(double[] x, double[] gz, int m, int k, int n) {
    double[] r = new double[k * n];
    for (int p = 0; p < k; p++) {
      for (int j = 0; j < n; j++) {
        double s = 0;
        for (int i = 0; i < m; i++) {
          s += x[i * k + p] * gz[i * n + j];
        }
        r[p * n + j] = s;
      }
    }
    return r;
  }

  @ParameterizedTest
  @CsvSource({"33, 70, 45, true", "128, 256, 64, false", "1, 300, 17, true"})
  void linearInBfloat16RoundsEveryProductOperand(int m, int k, int n, boolean relu) {
    assumeBf16();
    Tensor x = GradCheck.random(60 + m, m, k).requiringGrad();
    Tensor w = GradCheck.random(61 + k, k, n).requiringGrad();
    Tensor b = GradCheck.random(62 + n, n).requiringGrad();
    Tensor y = x.linear(w, b, relu, Precision.BFLOAT16);
    double[] xd = doubles(x);
    double[] wd = doubles(w);
    double[] bd = doubles(b);
    assertBf16("output", y.toArray(), linearRef(bf16(xd), bf16(wd), bd, m, k, n, relu),
        linearRef(xd, wd, bd, m, k, n, relu), linearRef(abs(xd), abs(wd), abs(bd), m, k, n, false));

    Tensor g = GradCheck.random(63, m, n);
    List<Tensor> grads = Autograd.grad(y, g, List.of(x, w, b));
    // the mask comes from the op's own output (a float32 op may switch units near zero)
    double[] gz = doubles(g);
    for (int i = 0; i < gz.length; i++) {
      gz[i] = relu && !(y.get(i) > 0) ? 0 : gz[i];
    }
    assertBf16("gradient of x", grads.get(0).toArray(), gradX(bf16(gz), bf16(wd), m, k, n),
        gradX(gz, wd, m, k, n), gradX(abs(gz), abs(wd), m, k, n));
    assertBf16("gradient of kernel", grads.get(1).toArray(), gradW(bf16(xd), bf16(gz), m, k, n),
        gradW(xd, gz, m, k, n), gradW(abs(xd), abs(gz), m, k, n));
    // the bias gradient is a float32 sum of the unrounded gradient
    for (int j = 0; j < n; j++) {
      double s = 0;
      for (int i = 0; i < m; i++) {
        s += gz[i * n + j];
      }
      assertEquals(s, grads.get(2).get(j), 1e-5 * m);
    }
  }

  @ParameterizedTest
  @CsvSource({"3, true", "16, true", "32, false"})
  void conv2dInBfloat16RoundsEveryProductOperand(int c, boolean relu) {
    assumeBf16();
    int n = 3;
    int h = 7;
    int w = 6;
    int f = 16;
    Tensor x = GradCheck.random(70 + c, n, h, w, c).requiringGrad();
    Tensor k = GradCheck.random(71 + c, 3, 3, c, f).requiringGrad();
    Tensor b = GradCheck.random(72 + c, f).requiringGrad();
    Tensor y = x.conv2d(k, b, new int[] {1, 1}, Padding.SAME, new int[] {1, 1}, 1, relu,
        Precision.BFLOAT16);
    double[] xd = doubles(x);
    double[] kd = doubles(k);
    double[] bd = doubles(b);
    assertBf16("output", y.toArray(), conv(bf16(xd), bf16(kd), bd, n, h, w, c, f, relu),
        conv(xd, kd, bd, n, h, w, c, f, relu), conv(abs(xd), abs(kd), abs(bd), n, h, w, c, f,
            false));

    Tensor g = GradCheck.random(73, n, h, w, f);
    List<Tensor> grads = Autograd.grad(y, g, List.of(x, k));
    double[] gz = doubles(g);
    for (int i = 0; i < gz.length; i++) {
      gz[i] = relu && !(y.get(i) > 0) ? 0 : gz[i];
    }
    // the gradients are the vector-Jacobian products of the convolution: compute them through the
    // reference as the sums they are (d/dx and d/dk of sum(conv(x, k) * gz))
    assertBf16("gradient of x", grads.get(0).toArray(),
        convGradX(bf16(gz), bf16(kd), n, h, w, c, f), convGradX(gz, kd, n, h, w, c, f),
        convGradX(abs(gz), abs(kd), n, h, w, c, f));
    assertBf16("gradient of kernel", grads.get(1).toArray(),
        convGradK(bf16(xd), bf16(gz), n, h, w, c, f), convGradK(xd, gz, n, h, w, c, f),
        convGradK(abs(xd), abs(gz), n, h, w, c, f));
  }

  /** d/dx of sum(conv(x, k) * gz) for a 3x3 'same' convolution, in double. */
  static double[] convGradX(double[] gz, double[] k, int n, int h, int w, int c, int f) {
    return ConvPoolTest.convGradients(new double[n * h * w * c], k, gz, n, h, w, c, 3, 3, f)[0];
  }

  /** d/dk of sum(conv(x, k) * gz) for a 3x3 'same' convolution, in double. */
  static double[] convGradK(double[] x, double[] gz, int n, int h, int w, int c, int f) {
    return ConvPoolTest.convGradients(x, new double[9 * c * f], gz, n, h, w, c, 3, 3, f)[1];
  }

  @Test
  void bfloat16RoundingHelperRoundsToNearestEven() {
    assertEquals(1f, bf16(1f + 0x1p-9f));
    assertEquals(1f + 0x1p-7f, bf16(1f + 0x1p-8f + 0x1p-9f));
    assertEquals(1f, bf16(1f + 0x1p-8f), "a tie rounds to the even neighbour");
    assertEquals(1f + 0x1p-6f, bf16(1f + 0x1p-7f + 0x1p-8f), "a tie rounds up to even");
    SplittableRandom r = new SplittableRandom(5);
    for (int i = 0; i < 1000; i++) {
      float v = (float) r.nextGaussian();
      assertTrue(Math.abs(bf16(v) - v) <= Math.abs(v) * 0x1p-8f);
    }
  }
}

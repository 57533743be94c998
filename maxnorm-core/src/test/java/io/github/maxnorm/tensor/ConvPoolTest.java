package io.github.maxnorm.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConvPoolTest {

  /** Keras's rule, written out independently of {@link Padding}: {out, padBefore}. */
  private static int[] keras(boolean same, int in, int k, int s) {
    if (!same) {
      return new int[] {(in - k) / s + 1, 0};
    }
    int out = (in + s - 1) / s;
    int total = Math.max((out - 1) * s + k - in, 0);
    return new int[] {out, total / 2};
  }

  /** Direct convolution in double: x [n,h,w,c], k [kh,kw,c,f]. */
  static double[] convRef(double[] x, double[] k, int n, int h, int w, int c, int kh, int kw,
      int f, int sh, int sw, boolean same) {
    int[] hy = keras(same, h, kh, sh);
    int[] wx = keras(same, w, kw, sw);
    int oh = hy[0];
    int ow = wx[0];
    double[] o = new double[n * oh * ow * f];
    for (int b = 0; b < n; b++) {
      for (int oy = 0; oy < oh; oy++) {
        for (int ox = 0; ox < ow; ox++) {
          for (int fo = 0; fo < f; fo++) {
            double s = 0;
            for (int ky = 0; ky < kh; ky++) {
              for (int kx = 0; kx < kw; kx++) {
                for (int ci = 0; ci < c; ci++) {
                  int y = oy * sh - hy[1] + ky;
                  int xx = ox * sw - wx[1] + kx;
                  if (y >= 0 && y < h && xx >= 0 && xx < w) {
                    s += x[((b * h + y) * w + xx) * c + ci] * k[((ky * kw + kx) * c + ci) * f + fo];
                  }
                }
              }
            }
            o[((b * oh + oy) * ow + ox) * f + fo] = s;
          }
        }
      }
    }
    return o;
  }

  /**
   * The gradients {x, k} of {@code sum(conv(x, k) * g)} for a stride-1 convolution padded by one
   * cell on each side (a 3 x 3 'same' window), by direct accumulation in double.
   */
  static double[][] convGradients(double[] xd, double[] kd, double[] gd, int n, int h, int w,
      int c, int kh, int kw, int f) {
    double[] gx = new double[xd.length];
    double[] gk = new double[kd.length];
    for (int b = 0; b < n; b++) {
      for (int oy = 0; oy < h; oy++) {
        for (int ox = 0; ox < w; ox++) {
          for (int ky = 0; ky < kh; ky++) {
            for (int kx = 0; kx < kw; kx++) {
              int y = oy - 1 + ky;
              int xx = ox - 1 + kx;
              if (y < 0 || y >= h || xx < 0 || xx >= w) {
                continue;
              }
              for (int ci = 0; ci < c; ci++) {
                for (int fo = 0; fo < f; fo++) {
                  double go = gd[((b * h + oy) * w + ox) * f + fo];
                  int xi = ((b * h + y) * w + xx) * c + ci;
                  int ki = ((ky * kw + kx) * c + ci) * f + fo;
                  gx[xi] += go * kd[ki];
                  gk[ki] += go * xd[xi];
                }
              }
            }
          }
        }
      }
    }
    return new double[][] {gx, gk};
  }

  /** Direct max pooling in double; padding cells are ignored. */
  static double[] poolRef(double[] x, int n, int h, int w, int c, int ph, int pw, int sh, int sw,
      boolean same) {
    int[] hy = keras(same, h, ph, sh);
    int[] wx = keras(same, w, pw, sw);
    int oh = hy[0];
    int ow = wx[0];
    double[] o = new double[n * oh * ow * c];
    for (int b = 0; b < n; b++) {
      for (int oy = 0; oy < oh; oy++) {
        for (int ox = 0; ox < ow; ox++) {
          for (int ci = 0; ci < c; ci++) {
            double m = Double.NEGATIVE_INFINITY;
            for (int dy = 0; dy < ph; dy++) {
              for (int dx = 0; dx < pw; dx++) {
                int y = oy * sh - hy[1] + dy;
                int xx = ox * sw - wx[1] + dx;
                if (y >= 0 && y < h && xx >= 0 && xx < w) {
                  m = Math.max(m, x[((b * h + y) * w + xx) * c + ci]);
                }
              }
            }
            o[((b * oh + oy) * ow + ox) * c + ci] = m;
          }
        }
      }
    }
    return o;
  }

  @ParameterizedTest
  @CsvSource({
    // n, h, w, c, kh, kw, f, sh, sw, padding
    "2, 5, 5, 3, 3, 3, 4, 1, 1, SAME",
    "2, 6, 7, 2, 3, 3, 3, 2, 2, SAME",
    "1, 7, 6, 3, 3, 2, 2, 2, 1, VALID",
    "2, 6, 6, 2, 2, 2, 3, 2, 2, VALID",
    "1, 8, 8, 2, 4, 4, 2, 2, 2, SAME",
    "1, 5, 4, 3, 1, 1, 4, 1, 1, VALID",
    "1, 5, 4, 3, 1, 1, 4, 1, 1, SAME",
    "2, 3, 4, 1, 5, 5, 2, 1, 1, SAME",
    "1, 7, 7, 4, 3, 3, 5, 3, 2, VALID",
  })
  void conv2dMatchesDirectConvolution(
      int n, int h, int w, int c, int kh, int kw, int f, int sh, int sw, Padding padding) {
    boolean same = padding == Padding.SAME;
    long seed = 31L * h + 7L * w + c + kh + sh;
    GradCheck.check(
        in -> in.get(0).conv2d(in.get(1), sh, sw, padding),
        r -> convRef(r.get(0), r.get(1), n, h, w, c, kh, kw, f, sh, sw, same),
        List.of(GradCheck.random(seed, n, h, w, c), GradCheck.random(seed + 1, kh, kw, c, f)),
        1e-3);
    Tensor out = GradCheck.random(1, n, h, w, c).conv2d(GradCheck.random(2, kh, kw, c, f), sh, sw,
        padding);
    assertArrayEquals(new int[] {n, keras(same, h, kh, sh)[0], keras(same, w, kw, sw)[0], f},
        out.shape().dims());
  }

  /** Large enough that the kernel splits the batch into several column groups. */
  @Test
  void conv2dGradientsOverSeveralGroups() {
    int n = 3, h = 64, w = 64, c = 16, kh = 3, kw = 3, f = 4;
    Tensor x = GradCheck.random(11, n, h, w, c).requiringGrad();
    Tensor k = GradCheck.random(12, kh, kw, c, f).requiringGrad();
    Tensor out = x.conv2d(k, 1, 1, Padding.SAME);
    double[] xd = toDouble(x);
    double[] kd = toDouble(k);
    double[] ref = convRef(xd, kd, n, h, w, c, kh, kw, f, 1, 1, true);
    for (int i = 0; i < ref.length; i++) {
      assertEquals(ref[i], out.get(i), 1e-4 + 1e-4 * Math.abs(ref[i]), "forward element " + i);
    }
    Tensor g = GradCheck.random(13, n, h, w, f);
    double[] gd = toDouble(g);
    List<Tensor> grads = Autograd.grad(out, g, List.of(x, k));
    double[][] ref2 = convGradients(xd, kd, gd, n, h, w, c, kh, kw, f);
    double[] gx = ref2[0];
    double[] gk = ref2[1];
    float[] ax = grads.get(0).toArray();
    float[] ak = grads.get(1).toArray();
    for (int i = 0; i < gx.length; i++) {
      assertEquals(gx[i], ax[i], 1e-4 + 1e-4 * Math.abs(gx[i]), "input gradient " + i);
    }
    for (int i = 0; i < gk.length; i++) {
      assertEquals(gk[i], ak[i], 1e-2 + 1e-4 * Math.abs(gk[i]), "kernel gradient " + i);
    }
  }

  @ParameterizedTest
  @CsvSource({
    // n, h, w, c, ph, pw, sh, sw, padding
    "2, 6, 6, 3, 2, 2, 2, 2, VALID",
    "2, 5, 7, 2, 2, 2, 2, 2, SAME",
    "1, 7, 7, 3, 3, 3, 2, 2, SAME",
    "1, 7, 6, 2, 3, 3, 1, 1, SAME",
    "2, 6, 5, 2, 3, 2, 1, 2, VALID",
    "1, 4, 4, 1, 4, 4, 1, 1, SAME",
  })
  void maxPool2dMatchesDirectPooling(
      int n, int h, int w, int c, int ph, int pw, int sh, int sw, Padding padding) {
    boolean same = padding == Padding.SAME;
    GradCheck.check(
        in -> in.get(0).maxPool2d(ph, pw, sh, sw, padding),
        r -> poolRef(r.get(0), n, h, w, c, ph, pw, sh, sw, same),
        List.of(GradCheck.random(100L + h * 10L + w + ph, n, h, w, c)),
        1e-3);
  }

  @Test
  void paddingCellsNeverWinAMaxPool() {
    float[] v = new float[3 * 3];
    for (int i = 0; i < v.length; i++) {
      v[i] = -1f - i;
    }
    Tensor x = Tensor.of(v, 1, 3, 3, 1);
    Tensor out = x.maxPool2d(2, 2, 2, 2, Padding.SAME);
    assertArrayEquals(new int[] {1, 2, 2, 1}, out.shape().dims());
    assertArrayEquals(new float[] {-1f, -3f, -7f, -9f}, out.toArray());
  }

  @Test
  void maxPoolGradientGoesToTheWinnerOnly() {
    Tensor x = Tensor.of(new float[] {1, 5, 2, 3, 0, 4, 9, 8, 7}, 1, 3, 3, 1).requiringGrad();
    Tensor out = x.maxPool2d(2, 2, 1, 1, Padding.VALID);
    assertArrayEquals(new float[] {5, 5, 9, 8}, out.toArray());
    float[] g = Autograd.grad(out, Tensor.of(new float[] {1, 2, 3, 4}, 1, 2, 2, 1), List.of(x))
        .get(0).toArray();
    assertArrayEquals(new float[] {0, 3, 0, 0, 0, 0, 3, 4, 0}, g);
  }

  @Test
  void paddingFollowsKerasArithmetic() {
    assertEquals(32, Padding.SAME.outputSize(32, 3, 1));
    assertEquals(1, Padding.SAME.padBefore(32, 3, 1));
    assertEquals(1, Padding.SAME.padAfter(32, 3, 1));
    assertEquals(3, Padding.SAME.outputSize(5, 2, 2));
    assertEquals(0, Padding.SAME.padBefore(5, 2, 2));
    assertEquals(1, Padding.SAME.padAfter(5, 2, 2));
    assertEquals(16, Padding.SAME.outputSize(32, 3, 2));
    assertEquals(0, Padding.SAME.padBefore(32, 3, 2));
    assertEquals(1, Padding.SAME.padAfter(32, 3, 2));
    assertEquals(1, Padding.SAME.padBefore(8, 4, 1));
    assertEquals(2, Padding.SAME.padAfter(8, 4, 1));
    assertEquals(3, Padding.VALID.outputSize(7, 3, 2));
    assertEquals(30, Padding.VALID.outputSize(32, 3, 1));
    assertEquals(0, Padding.VALID.padBefore(32, 3, 1));
    assertTrue(Padding.VALID.outputSize(2, 3, 2) < 1);
    assertThrows(IllegalArgumentException.class, () -> Padding.SAME.outputSize(4, 3, 0));
  }

  @Test
  void conv2dRejectsBadShapesNamingThem() {
    Tensor x = Tensor.zeros(8, 32, 32, 3);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> x.conv2d(Tensor.zeros(3, 3, 4, 32), 1, 1, Padding.SAME));
    assertEquals(
        "conv2d: input [8, 32, 32, 3] and kernel [3, 3, 4, 32]: input channels 3 and 4 differ",
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> Tensor.zeros(32, 32, 3).conv2d(Tensor.zeros(3, 3, 3, 8), 1, 1, Padding.SAME));
    assertTrue(e.getMessage().contains("[32, 32, 3]"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> Tensor.zeros(1, 2, 2, 3).conv2d(Tensor.zeros(3, 3, 3, 8), 1, 1, Padding.VALID));
    assertTrue(e.getMessage().contains("[1, 2, 2, 3]") && e.getMessage().contains("[3, 3, 3, 8]"),
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> x.conv2d(Tensor.zeros(3, 3, 3, 8), 0, 1, Padding.SAME));
    assertTrue(e.getMessage().contains("strides"), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> x.conv2d(Tensor.zeros(3, 3, 3, 8), 1, 1, null));
  }

  @Test
  void maxPool2dRejectsBadShapesNamingThem() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Tensor.zeros(4, 4, 3).maxPool2d(2, 2, 2, 2, Padding.VALID));
    assertTrue(e.getMessage().contains("[4, 4, 3]"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> Tensor.zeros(1, 2, 2, 3).maxPool2d(3, 3, 1, 1, Padding.VALID));
    assertTrue(e.getMessage().contains("[1, 2, 2, 3]"), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> Tensor.zeros(1, 4, 4, 3).maxPool2d(2, 0, 2, 2, Padding.VALID));
  }

  @Test
  void conv2dHandlesAnEmptyBatch() {
    Tensor out = Tensor.zeros(0, 5, 5, 2).conv2d(Tensor.ones(3, 3, 2, 4), 2, 2, Padding.SAME);
    assertArrayEquals(new int[] {0, 3, 3, 4}, out.shape().dims());
  }

  private static double[] toDouble(Tensor t) {
    double[] d = new double[t.size()];
    for (int i = 0; i < d.length; i++) {
      d[i] = t.get(i);
    }
    return d;
  }

}

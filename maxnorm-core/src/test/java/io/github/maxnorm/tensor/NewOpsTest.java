package io.github.maxnorm.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The standard test of the activation functions, elementwise maximum and minimum, slicing along
 * any axis, padding, dilated and grouped convolution, transposed convolution and average pooling:
 * float32 forward against a double-precision reference, backward against its central differences.
 */
class NewOpsTest {
  private static final double SELU_A = 1.6732632423543772848170429916717;
  private static final double SELU_S = 1.0507009873554804934193349852946;

  static double sigmoid(double x) {
    return 1 / (1 + Math.exp(-x));
  }

  static double softplus(double x) {
    return Math.log1p(Math.exp(x));
  }

  /** erf by Simpson's rule on 2/sqrt(pi) e^(-t^2) over [0, x]: an independent reference. */
  static double erf(double x) {
    int n = 2000;
    double h = x / n;
    double s = 0;
    for (int i = 0; i <= n; i++) {
      double t = i * h;
      double f = Math.exp(-t * t);
      s += (i == 0 || i == n ? 1 : i % 2 == 1 ? 4 : 2) * f;
    }
    return 2 / Math.sqrt(Math.PI) * s * h / 3;
  }

  static Stream<Arguments> unary() {
    return Stream.of(
        Arguments.of("elu", (Function<Tensor, Tensor>) t -> t.elu(1.5f),
            (DoubleUnaryOperator) x -> x > 0 ? x : 1.5 * Math.expm1(x)),
        Arguments.of("selu", (Function<Tensor, Tensor>) Tensor::selu,
            (DoubleUnaryOperator) x -> SELU_S * (x > 0 ? x : SELU_A * Math.expm1(x))),
        Arguments.of("softplus", (Function<Tensor, Tensor>) Tensor::softplus,
            (DoubleUnaryOperator) NewOpsTest::softplus),
        Arguments.of("softsign", (Function<Tensor, Tensor>) Tensor::softsign,
            (DoubleUnaryOperator) x -> x / (1 + Math.abs(x))),
        Arguments.of("gelu", (Function<Tensor, Tensor>) t -> t.gelu(false),
            (DoubleUnaryOperator) x -> 0.5 * x * (1 + erf(x / Math.sqrt(2)))),
        Arguments.of("gelu_tanh", (Function<Tensor, Tensor>) t -> t.gelu(true),
            (DoubleUnaryOperator) x -> 0.5 * x
                * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)))),
        Arguments.of("swish", (Function<Tensor, Tensor>) Tensor::swish,
            (DoubleUnaryOperator) x -> x * sigmoid(x)),
        Arguments.of("mish", (Function<Tensor, Tensor>) Tensor::mish,
            (DoubleUnaryOperator) x -> x * Math.tanh(softplus(x))),
        Arguments.of("hard_sigmoid", (Function<Tensor, Tensor>) t -> t.hardSigmoid(0.4f, 0.5f),
            (DoubleUnaryOperator) x -> Math.min(1, Math.max(0, 0.4 * x + 0.5))),
        Arguments.of("abs", (Function<Tensor, Tensor>) Tensor::abs,
            (DoubleUnaryOperator) Math::abs),
        Arguments.of("affine", (Function<Tensor, Tensor>) t -> t.affine(-2.5f, 0.25f),
            (DoubleUnaryOperator) x -> -2.5 * x + 0.25),
        Arguments.of("leaky_relu", (Function<Tensor, Tensor>) t -> t.relu(Float.NaN, 0.3f, 0f),
            (DoubleUnaryOperator) x -> x > 0 ? x : 0.3 * x),
        Arguments.of("relu6", (Function<Tensor, Tensor>) t -> t.relu(1.2f, 0f, 0f),
            (DoubleUnaryOperator) x -> Math.min(Math.max(x, 0), 1.2)),
        Arguments.of("relu_threshold_slope_max",
            (Function<Tensor, Tensor>) t -> t.relu(1.5f, 0.2f, 0.3f),
            (DoubleUnaryOperator) x -> Math.min(Math.max(x > 0.3 ? x : 0, 0), 1.5)
                - 0.2 * Math.max(0.3 - x, 0)),
        Arguments.of("relu_negative_threshold", (Function<Tensor, Tensor>) t -> t.relu(Float.NaN,
            0f, -0.5f), (DoubleUnaryOperator) x -> x > -0.5 ? x : 0),
        Arguments.of("thresholded_relu", (Function<Tensor, Tensor>) t -> t.thresholdedRelu(0.4f),
            (DoubleUnaryOperator) x -> x > 0.4 ? x : 0));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("unary")
  void activation(String name, Function<Tensor, Tensor> op, DoubleUnaryOperator ref) {
    Tensor x = Tensor.randomUniform(new java.util.SplittableRandom(name.hashCode()), -2.5f,
        2.5f, 5, 7);
    GradCheck.check(in -> op.apply(in.get(0)), r -> Refs.map(r.get(0), ref), List.of(x), 1e-3);
  }

  @Test
  void erfMatchesKnownValues() {
    assertEquals(0.5204998778130465, Erf.erf(0.5), 1e-15);
    assertEquals(0.8427007929497149, Erf.erf(1.0), 1e-15);
    assertEquals(0.9953222650189527, Erf.erf(2.0), 1e-15);
    assertEquals(0.9999779095030014, Erf.erf(3.0), 1e-15);
    assertEquals(-0.9999999845827421, Erf.erf(-4.0), 1e-15);
    assertEquals(1.0, Erf.erf(7.0), 0);
  }

  @Test
  void maximumAndMinimumBroadcastAndRouteGradients() {
    GradCheck.check(in -> in.get(0).maximum(in.get(1)),
        r -> {
          double[] a = r.get(0);
          double[] b = r.get(1);
          double[] o = new double[a.length];
          for (int i = 0; i < o.length; i++) {
            o[i] = Math.max(a[i], b[i % 4]);
          }
          return o;
        },
        List.of(GradCheck.random(1, 3, 4), GradCheck.random(2, 4)), 1e-3);
    GradCheck.check(in -> in.get(0).minimum(in.get(1)),
        r -> {
          double[] a = r.get(0);
          double[] b = r.get(1);
          double[] o = new double[a.length];
          for (int i = 0; i < o.length; i++) {
            o[i] = Math.min(a[i], b[i / 4]);
          }
          return o;
        },
        List.of(GradCheck.random(3, 3, 4), GradCheck.random(4, 3, 1)), 1e-3);
    // ties: the gradient goes to the first operand
    Tensor a = Tensor.of(new float[] {1, 2}, 2).requiringGrad();
    Tensor b = Tensor.of(new float[] {1, 3}, 2).requiringGrad();
    List<Tensor> g = Autograd.grad(a.maximum(b).sum(), List.of(a, b));
    assertArrayEquals(new float[] {1, 0}, g.get(0).toArray());
    assertArrayEquals(new float[] {0, 1}, g.get(1).toArray());
  }

  @Test
  void sliceAlongAnyAxisAndPad() {
    int[] dims = {2, 3, 4};
    GradCheck.check(in -> in.get(0).slice(2, 1, 3),
        r -> {
          double[] x = r.get(0);
          double[] o = new double[2 * 3 * 2];
          for (int i = 0; i < o.length; i++) {
            int[] c = Refs.coords(i, new int[] {2, 3, 2});
            c[2] += 1;
            o[i] = x[Refs.flat(c, dims)];
          }
          return o;
        }, List.of(GradCheck.random(5, dims)), 1e-4);
    GradCheck.check(in -> in.get(0).pad(1, 2, 1),
        r -> {
          double[] x = r.get(0);
          int[] od = {2, 6, 4};
          double[] o = new double[2 * 6 * 4];
          for (int i = 0; i < o.length; i++) {
            int[] c = Refs.coords(i, od);
            if (c[1] >= 2 && c[1] < 5) {
              c[1] -= 2;
              o[i] = x[Refs.flat(c, dims)];
            }
          }
          return o;
        }, List.of(GradCheck.random(6, dims)), 1e-4);
    assertThrows(IllegalArgumentException.class, () -> GradCheck.random(7, dims).slice(1, 2, 4));
  }

  /** A plain double-precision convolution with dilation and groups ('same' when pad is true). */
  static double[] convRef(double[] x, double[] k, int n, int h, int w, int c, int kh, int kw,
      int f, int s, int d, int groups, boolean same) {
    int ekh = (kh - 1) * d + 1;
    int ekw = (kw - 1) * d + 1;
    int oh = same ? (h + s - 1) / s : (h - ekh) / s + 1;
    int ow = same ? (w + s - 1) / s : (w - ekw) / s + 1;
    int pt = same ? Math.max((oh - 1) * s + ekh - h, 0) / 2 : 0;
    int pl = same ? Math.max((ow - 1) * s + ekw - w, 0) / 2 : 0;
    int cg = c / groups;
    int fg = f / groups;
    double[] o = new double[n * oh * ow * f];
    for (int b = 0; b < n; b++) {
      for (int y = 0; y < oh; y++) {
        for (int xx = 0; xx < ow; xx++) {
          for (int o1 = 0; o1 < f; o1++) {
            int g = o1 / fg;
            double sum = 0;
            for (int i = 0; i < kh; i++) {
              for (int j = 0; j < kw; j++) {
                int iy = y * s - pt + i * d;
                int ix = xx * s - pl + j * d;
                if (iy < 0 || iy >= h || ix < 0 || ix >= w) {
                  continue;
                }
                for (int ci = 0; ci < cg; ci++) {
                  sum += x[((b * h + iy) * w + ix) * c + g * cg + ci]
                      * k[((i * kw + j) * cg + ci) * f + o1];
                }
              }
            }
            o[((b * oh + y) * ow + xx) * f + o1] = sum;
          }
        }
      }
    }
    return o;
  }

  @Test
  void dilatedAndGroupedConvolution() {
    for (boolean same : new boolean[] {false, true}) {
      GradCheck.check(
          in -> in.get(0).conv2d(in.get(1), new int[] {1, 1},
              same ? Padding.SAME : Padding.VALID, new int[] {2, 2}, 2),
          r -> convRef(r.get(0), r.get(1), 2, 7, 6, 4, 3, 2, 6, 1, 2, 2, same),
          List.of(GradCheck.random(11, 2, 7, 6, 4), GradCheck.random(12, 3, 2, 2, 6)), 1e-3);
    }
    // strided, dilated, one group: the general loops, not oneDNN
    GradCheck.check(
        in -> in.get(0).conv2d(in.get(1), new int[] {2, 2}, Padding.SAME, new int[] {1, 2}, 1),
        r -> convRefHw(r.get(0), r.get(1)),
        List.of(GradCheck.random(13, 1, 6, 7, 2), GradCheck.random(14, 2, 3, 2, 3)), 1e-3);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> GradCheck.random(1, 1, 5, 5, 3).conv2d(GradCheck.random(2, 3, 3, 1, 4),
            new int[] {1, 1}, Padding.VALID, new int[] {1, 1}, 2));
    assertTrue(e.getMessage().contains("groups"), e.getMessage());
  }

  /** Strides (2, 2), dilation (1, 2), 'same', input 6x7x2, kernel 2x3x2x3. */
  private static double[] convRefHw(double[] x, double[] k) {
    int h = 6;
    int w = 7;
    int c = 2;
    int f = 3;
    int oh = 3;
    int ow = 4;
    int pt = Math.max((oh - 1) * 2 + 2 - h, 0) / 2;
    int pl = Math.max((ow - 1) * 2 + 5 - w, 0) / 2;
    double[] o = new double[oh * ow * f];
    for (int y = 0; y < oh; y++) {
      for (int xx = 0; xx < ow; xx++) {
        for (int o1 = 0; o1 < f; o1++) {
          double sum = 0;
          for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
              int iy = y * 2 - pt + i;
              int ix = xx * 2 - pl + j * 2;
              if (iy < 0 || iy >= h || ix < 0 || ix >= w) {
                continue;
              }
              for (int ci = 0; ci < c; ci++) {
                sum += x[(iy * w + ix) * c + ci] * k[((i * 3 + j) * c + ci) * f + o1];
              }
            }
          }
          o[(y * ow + xx) * f + o1] = sum;
        }
      }
    }
    return o;
  }

  /** Transposed convolution by scattering every input cell through the kernel. */
  static double[] convTransposeRef(double[] x, double[] k, int n, int h, int w, int c, int kh,
      int kw, int f, int s, boolean same) {
    int oh = same ? h * s : (h - 1) * s + kh;
    int ow = same ? w * s : (w - 1) * s + kw;
    int pt = Math.max((h - 1) * s + kh - oh, 0) / 2;
    int pl = Math.max((w - 1) * s + kw - ow, 0) / 2;
    double[] o = new double[n * oh * ow * f];
    for (int b = 0; b < n; b++) {
      for (int y = 0; y < h; y++) {
        for (int xx = 0; xx < w; xx++) {
          for (int i = 0; i < kh; i++) {
            for (int j = 0; j < kw; j++) {
              int oy = y * s - pt + i;
              int ox = xx * s - pl + j;
              if (oy < 0 || oy >= oh || ox < 0 || ox >= ow) {
                continue;
              }
              for (int ci = 0; ci < c; ci++) {
                for (int o1 = 0; o1 < f; o1++) {
                  o[((b * oh + oy) * ow + ox) * f + o1] += x[((b * h + y) * w + xx) * c + ci]
                      * k[((i * kw + j) * f + o1) * c + ci];
                }
              }
            }
          }
        }
      }
    }
    return o;
  }

  @Test
  void transposedConvolution() {
    for (boolean same : new boolean[] {false, true}) {
      for (int s : new int[] {1, 2}) {
        GradCheck.check(
            in -> in.get(0).conv2dTranspose(in.get(1), new int[] {s, s},
                same ? Padding.SAME : Padding.VALID, new int[] {1, 1}),
            r -> convTransposeRef(r.get(0), r.get(1), 2, 3, 4, 3, 3, 3, 2, s, same),
            List.of(GradCheck.random(21 + s, 2, 3, 4, 3), GradCheck.random(22, 3, 3, 2, 3)),
            1e-3);
      }
    }
    Tensor y = GradCheck.random(1, 1, 5, 5, 4).conv2dTranspose(GradCheck.random(2, 3, 3, 8, 4),
        new int[] {2, 2}, Padding.SAME, new int[] {1, 1});
    assertArrayEquals(new int[] {1, 10, 10, 8}, y.shape().dims());
  }

  @Test
  void averagePoolingSkipsPaddingCells() {
    for (boolean same : new boolean[] {false, true}) {
      GradCheck.check(
          in -> in.get(0).avgPool2d(2, 3, 2, 2, same ? Padding.SAME : Padding.VALID),
          r -> {
            double[] x = r.get(0);
            int h = 5;
            int w = 6;
            int c = 2;
            int oh = same ? 3 : 2;
            int ow = same ? 3 : 2;
            int pt = same ? Math.max((oh - 1) * 2 + 2 - h, 0) / 2 : 0;
            int pl = same ? Math.max((ow - 1) * 2 + 3 - w, 0) / 2 : 0;
            double[] o = new double[2 * oh * ow * c];
            for (int b = 0; b < 2; b++) {
              for (int y = 0; y < oh; y++) {
                for (int xx = 0; xx < ow; xx++) {
                  for (int ch = 0; ch < c; ch++) {
                    double s = 0;
                    int cnt = 0;
                    for (int i = 0; i < 2; i++) {
                      for (int j = 0; j < 3; j++) {
                        int iy = y * 2 - pt + i;
                        int ix = xx * 2 - pl + j;
                        if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
                          s += x[((b * h + iy) * w + ix) * c + ch];
                          cnt++;
                        }
                      }
                    }
                    o[((b * oh + y) * ow + xx) * c + ch] = s / cnt;
                  }
                }
              }
            }
            return o;
          }, List.of(GradCheck.random(31, 2, 5, 6, 2)), 1e-3);
    }
  }

  @Test
  void batchNormOverTheLastAxis() {
    int rows = 4 * 2;
    int c = 3;
    GradCheck.check(
        in -> in.get(0).batchNorm(in.get(1), in.get(2), 1e-3, new float[c], new float[c]),
        r -> {
          double[] x = r.get(0);
          double[] o = new double[x.length];
          for (int j = 0; j < c; j++) {
            double m = 0;
            for (int i = 0; i < rows; i++) {
              m += x[i * c + j] / rows;
            }
            double v = 0;
            for (int i = 0; i < rows; i++) {
              v += (x[i * c + j] - m) * (x[i * c + j] - m) / rows;
            }
            for (int i = 0; i < rows; i++) {
              o[i * c + j] = r.get(1)[j] * (x[i * c + j] - m) / Math.sqrt(v + 1e-3) + r.get(2)[j];
            }
          }
          return o;
        },
        List.of(GradCheck.random(41, 4, 2, c), GradCheck.random(42, c), GradCheck.random(43, c)),
        1e-3);
    float[] mean = new float[2];
    float[] var = new float[2];
    Tensor.of(new float[] {1, 10, 3, 20}, 2, 2).batchNorm(Tensor.ones(2), Tensor.zeros(2), 1e-3,
        mean, var);
    assertArrayEquals(new float[] {2, 15}, mean);
    assertArrayEquals(new float[] {1, 25}, var);
  }

  @Test
  void softmaxRemembersItsLogits() {
    Tensor z = GradCheck.random(1, 3, 4);
    assertTrue(z.softmax(-1).softmaxLogits() == z);
    assertTrue(z.softmax(0).softmaxLogits() == null);
    assertTrue(z.relu().softmaxLogits() == null);
  }
}

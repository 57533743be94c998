package io.github.maxnorm.tensor;

import java.util.List;

/**
 * An elementwise function of one operand, {@code out[i] = f(a[i])}, with up to three constant
 * parameters. Each {@link Fn} states its value and its backward rule, the gradient of the loss with
 * respect to {@code a[i]} from the gradient {@code g} of the output, the input {@code x} and the
 * output {@code y}; the loops over elements are shared.
 */
final class Unary implements Op {
  private final Tensor a;
  private final Fn fn;
  private final float p;
  private final float q;
  private final float r;

  private Unary(Tensor a, Fn fn, float p, float q, float r) {
    this.a = a;
    this.fn = fn;
    this.p = p;
    this.q = q;
    this.r = r;
  }

  static Tensor apply(Tensor a, Fn fn) {
    return apply(a, fn, 0f, 0f, 0f);
  }

  static Tensor apply(Tensor a, Fn fn, float p, float q, float r) {
    float[] in = a.data;
    // every element is written
    float[] o = Workspace.uninitialized(in.length);
    Elementwise.forRange(
        o.length,
        (from, to) -> {
          for (int i = from; i < to; i++) {
            o[i] = fn.f(in[i], p, q, r);
          }
        });
    return Tensor.result(o, a.shape, new Unary(a, fn, p, q, r));
  }

  @Override
  public String name() {
    return fn.name().toLowerCase(java.util.Locale.ROOT);
  }

  @Override
  public List<Tensor> inputs() {
    return List.of(a);
  }

  @Override
  public void backward(Tensor out, float[] g, GradSink sink) {
    float[] in = a.data;
    float[] res = out.data;
    float[] ga = Workspace.uninitialized(g.length);
    Elementwise.forRange(
        ga.length,
        (from, to) -> {
          for (int i = from; i < to; i++) {
            ga[i] = fn.back(g[i], in[i], res[i], p, q, r);
          }
        });
    sink.accumulate(0, ga);
  }

  private static final double SQRT_2 = Math.sqrt(2.0);
  private static final double SQRT_2_OVER_PI = Math.sqrt(2.0 / Math.PI);
  private static final double INV_SQRT_2PI = 1.0 / Math.sqrt(2.0 * Math.PI);
  /** SELU's constants (Klambauer et al., 2017), as Keras uses them. */
  static final double SELU_ALPHA = 1.6732632423543772848170429916717;

  static final double SELU_SCALE = 1.0507009873554804934193349852946;

  /** The functions; {@code p, q, r} are the parameters named in each description. */
  enum Fn {
    /** {@code e^x}. */
    EXP {
      float f(float x, float p, float q, float r) {
        return (float) Math.exp(x);
      }

      float back(float g, float x, float y, float p, float q, float r) {
        return g * y;
      }
    },
    /** Natural logarithm; negative inputs give NaN, zero gives -Infinity. */
    LOG {
      float f(float x, float p, float q, float r) {
        return (float) Math.log(x);
      }

      float back(float g, float x, float y, float p, float q, float r) {
        return g / x;
      }
    },
    /** Square root; negative inputs give NaN. */
    SQRT {
      float f(float x, float p, float q, float r) {
        return (float) Math.sqrt(x);
      }

      float back(float g, float x, float y, float p, float q, float r) {
        return g * 0.5f / y;
      }
    },
    /** {@code x * x}. */
    SQUARE {
      float f(float x, float p, float q, float r) {
        return x * x;
      }

      float back(float g, float x, float y, float p, float q, float r) {
        return 2f * x * g;
      }
    },
    /** Hyperbolic tangent. */
    TANH {
      float f(float x, float p, float q, float r) {
        return (float) Math.tanh(x);
      }

      float back(float g, float x, float y, float p, float q, float r) {
        return g * (1f - y * y);
      }
    },
    /** {@code 1 / (1 + e^-x)}, never exponentiating a positive number. */
    SIGMOID {
      float f(float x, float p, float q, float r) {
        return (float) sigmoid(x);
      }

      float back(float g, float x, float y, float p, float q, float r) {
        return g * y * (1f - y);
      }
    },
    /** {@code -x}. */
    NEG {
      float f(float x, float p, float q, float r) {
        return -x;
      }

      float back(float g, float x, float y, float p, float q, float r) {
        return -g;
      }
    },
    /** {@code |x|}; the gradient at 0 is taken as 0. */
    ABS {
      float f(float x, float p, float q, float r) {
        return Math.abs(x);
      }

      float back(float g, float x, float y, float p, float q, float r) {
        return x > 0f ? g : x < 0f ? -g : 0f;
      }
    },
    /**
     * {@code min(max(x, p), q)}; NaN propagates; the gradient passes where {@code p <= x <= q}.
     */
    CLIP {
      float f(float x, float p, float q, float r) {
        return x < p ? p : x > q ? q : x;
      }

      float back(float g, float x, float y, float p, float q, float r) {
        return x >= p && x <= q ? g : 0f;
      }
    },
    /**
     * Keras's general ReLU with {@code p} = max_value (NaN for none), {@code q} = negative_slope,
     * {@code r} = threshold: {@code x} where {@code x > r} ({@code x > 0} when r is 0), else 0;
     * clipped to {@code [0, p]} when p is given; minus {@code q * max(r - x, 0)}. With a slope, no
     * maximum and threshold 0 it is the leaky ReLU, {@code x > 0 ? x : q x}.
     */
    RELU {
      float f(float x, float p, float q, float r) {
        if (q != 0f && p != p && r == 0f) {
          return x > 0f ? x : q * x;
        }
        float v = x > r ? x : 0f;
        if (p == p) {
          v = v < 0f ? 0f : v > p ? p : v;
        }
        return q == 0f ? v : v - q * Math.max(r - x, 0f);
      }

      float back(float g, float x, float y, float p, float q, float r) {
        if (q != 0f && p != p && r == 0f) {
          return x > 0f ? g : q * g;
        }
        float d = x > r && (p != p || (x > 0f && x < p)) ? 1f : 0f;
        if (q != 0f && r - x > 0f) {
          d += q;
        }
        return g * d;
      }
    },
    /** {@code x > p ? x : 0} (ThresholdedReLU with theta {@code p}). */
    THRESHOLDED_RELU {
      float f(float x, float p, float q, float r) {
        return x > p ? x : 0f;
      }

      float back(float g, float x, float y, float p, float q, float r) {
        return x > p ? g : 0f;
      }
    },
    /** {@code x > 0 ? x : p (e^x - 1)}. */
    ELU {
      float f(float x, float p, float q, float r) {
        return x > 0f ? x : (float) (p * Math.expm1(x));
      }

      float back(float g, float x, float y, float p, float q, float r) {
        return x > 0f ? g : (float) (g * p * Math.exp(x));
      }
    },
    /** {@code scale * elu(x, alpha)} with Klambauer et al.'s constants. */
    SELU {
      float f(float x, float p, float q, float r) {
        return (float) (SELU_SCALE * (x > 0f ? x : SELU_ALPHA * Math.expm1(x)));
      }

      float back(float g, float x, float y, float p, float q, float r) {
        return (float) (g * SELU_SCALE * (x > 0f ? 1.0 : SELU_ALPHA * Math.exp(x)));
      }
    },
    /** {@code log(1 + e^x)}, computed without overflow. */
    SOFTPLUS {
      float f(float x, float p, float q, float r) {
        return (float) softplus(x);
      }

      float back(float g, float x, float y, float p, float q, float r) {
        return (float) (g * sigmoid(x));
      }
    },
    /** {@code x / (1 + |x|)}. */
    SOFTSIGN {
      float f(float x, float p, float q, float r) {
        return x / (1f + Math.abs(x));
      }

      float back(float g, float x, float y, float p, float q, float r) {
        float d = 1f + Math.abs(x);
        return g / (d * d);
      }
    },
    /** {@code x Phi(x)} with the normal distribution function, through erf. */
    GELU {
      float f(float x, float p, float q, float r) {
        return (float) (0.5 * x * (1.0 + Erf.erf(x / SQRT_2)));
      }

      float back(float g, float x, float y, float p, float q, float r) {
        double cdf = 0.5 * (1.0 + Erf.erf(x / SQRT_2));
        double pdf = INV_SQRT_2PI * Math.exp(-0.5 * (double) x * x);
        return (float) (g * (cdf + x * pdf));
      }
    },
    /** The tanh approximation of GELU, {@code 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))}. */
    GELU_TANH {
      float f(float x, float p, float q, float r) {
        double u = SQRT_2_OVER_PI * (x + 0.044715 * x * x * (double) x);
        return (float) (0.5 * x * (1.0 + Math.tanh(u)));
      }

      float back(float g, float x, float y, float p, float q, float r) {
        double u = SQRT_2_OVER_PI * (x + 0.044715 * x * x * (double) x);
        double t = Math.tanh(u);
        double du = SQRT_2_OVER_PI * (1.0 + 3 * 0.044715 * x * (double) x);
        return (float) (g * (0.5 * (1.0 + t) + 0.5 * x * (1.0 - t * t) * du));
      }
    },
    /** {@code x sigmoid(x)} (swish, SiLU). */
    SWISH {
      float f(float x, float p, float q, float r) {
        return (float) (x * sigmoid(x));
      }

      float back(float g, float x, float y, float p, float q, float r) {
        double s = sigmoid(x);
        return (float) (g * (s + x * s * (1.0 - s)));
      }
    },
    /** {@code x tanh(softplus(x))}. */
    MISH {
      float f(float x, float p, float q, float r) {
        return (float) (x * Math.tanh(softplus(x)));
      }

      float back(float g, float x, float y, float p, float q, float r) {
        double t = Math.tanh(softplus(x));
        return (float) (g * (t + x * (1.0 - t * t) * sigmoid(x)));
      }
    },
    /** {@code clip(p x + q, 0, 1)}: Keras 3 uses p = 1/6, q = 0.5; Keras 2 p = 0.2, q = 0.5. */
    HARD_SIGMOID {
      float f(float x, float p, float q, float r) {
        float v = p * x + q;
        return v < 0f ? 0f : v > 1f ? 1f : v;
      }

      float back(float g, float x, float y, float p, float q, float r) {
        float v = p * x + q;
        return v > 0f && v < 1f ? g * p : 0f;
      }
    },
    /** {@code p x + q}, an affine map (Rescaling). */
    AFFINE {
      float f(float x, float p, float q, float r) {
        return p * x + q;
      }

      float back(float g, float x, float y, float p, float q, float r) {
        return g * p;
      }
    };

    abstract float f(float x, float p, float q, float r);

    abstract float back(float g, float x, float y, float p, float q, float r);
  }

  /** The logistic function in double, never exponentiating a positive number; NaN propagates. */
  static double sigmoid(double x) {
    if (x >= 0) {
      return 1.0 / (1.0 + Math.exp(-x));
    }
    double e = Math.exp(x);
    return e / (1.0 + e);
  }

  /** {@code log(1 + e^x)} without overflow. */
  static double softplus(double x) {
    return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
  }
}

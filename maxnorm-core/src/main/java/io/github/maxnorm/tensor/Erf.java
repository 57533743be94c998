package io.github.maxnorm.tensor;

/**
 * The error function in double precision, for GELU. Below |x| = 2.5 it sums the Maclaurin series
 * {@code 2/sqrt(pi) sum (-1)^n x^(2n+1) / (n! (2n+1))} until the terms stop mattering; above, it
 * evaluates the continued fraction of {@code erfc(x) = e^(-x^2)/sqrt(pi) / (x + (1/2)/(x + 1/(x +
 * (3/2)/(x + ...))))} from a fixed depth, which converges quickly there.
 */
final class Erf {
  private static final double TWO_OVER_SQRT_PI = 2.0 / Math.sqrt(Math.PI);
  private static final double INV_SQRT_PI = 1.0 / Math.sqrt(Math.PI);

  private Erf() {}

  static double erf(double x) {
    if (Double.isNaN(x)) {
      return x;
    }
    double ax = Math.abs(x);
    double v;
    if (ax < 2.5) {
      double x2 = ax * ax;
      double term = ax;
      double sum = ax;
      for (int n = 1; n < 100; n++) {
        term *= -x2 / n;
        double add = term / (2 * n + 1);
        sum += add;
        if (Math.abs(add) < 1e-17 * Math.abs(sum)) {
          break;
        }
      }
      v = TWO_OVER_SQRT_PI * sum;
    } else if (ax < 6.5) {
      double frac = 0;
      for (int k = 60; k >= 1; k--) {
        frac = (k / 2.0) / (ax + frac);
      }
      v = 1.0 - Math.exp(-ax * ax) * INV_SQRT_PI / (ax + frac);
    } else {
      v = 1.0;
    }
    return x < 0 ? -v : v;
  }
}

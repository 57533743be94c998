package io.github.maxnorm.losses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.maxnorm.nn.Config;
import io.github.maxnorm.tensor.Autograd;
import io.github.maxnorm.tensor.Tensor;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Loss values against direct double-precision formulas, gradients by central differences. */
class LossesTest {
  private static final int N = 4;
  private static final int C = 3;
  private static final int[] LABELS = {0, 2, 1, 2};

  private static double[] softmaxRow(double[] z, int row, int c) {
    double m = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < c; j++) {
      m = Math.max(m, z[row * c + j]);
    }
    double s = 0;
    double[] p = new double[c];
    for (int j = 0; j < c; j++) {
      p[j] = Math.exp(z[row * c + j] - m);
      s += p[j];
    }
    for (int j = 0; j < c; j++) {
      p[j] /= s;
    }
    return p;
  }

  private static double reference(String kind, double[] z, int[] y, int c) {
    int n = y.length;
    double total = 0;
    for (int i = 0; i < n; i++) {
      switch (kind) {
        case "ce-logits" -> total -= Math.log(softmaxRow(z, i, c)[y[i]]);
        case "ce-probs" -> total -= Math.log(Math.min(Math.max(z[i * c + y[i]], 1e-7), 1 - 1e-7));
        case "bce-logits", "bce-probs", "mse" -> {
          for (int j = 0; j < c; j++) {
            double t = c == 1 ? y[i] : (j == y[i] ? 1 : 0);
            double x = z[i * c + j];
            if (kind.equals("mse")) {
              total += (x - t) * (x - t) / c;
            } else {
              double p = kind.equals("bce-logits") ? 1 / (1 + Math.exp(-x))
                  : Math.min(Math.max(x, 1e-7), 1 - 1e-7);
              total -= (t * Math.log(p) + (1 - t) * Math.log(1 - p)) / c;
            }
          }
        }
        default -> throw new IllegalArgumentException(kind);
      }
    }
    return total / n;
  }

  private static void check(String kind, Loss loss, Tensor z) {
    Tensor leaf = z.requiringGrad();
    Tensor l = loss.compute(leaf, LABELS);
    double[] zd = new double[z.size()];
    for (int i = 0; i < zd.length; i++) {
      zd[i] = z.get(i);
    }
    assertEquals(reference(kind, zd, LABELS, C), l.item(), 1e-5, kind + " value");
    float[] g = Autograd.grad(l, List.of(leaf)).get(0).toArray();
    double eps = 1e-6;
    for (int i = 0; i < zd.length; i++) {
      double keep = zd[i];
      zd[i] = keep + eps;
      double plus = reference(kind, zd, LABELS, C);
      zd[i] = keep - eps;
      double minus = reference(kind, zd, LABELS, C);
      zd[i] = keep;
      assertEquals((plus - minus) / (2 * eps), g[i], 1e-4, kind + " gradient " + i);
    }
  }

  @Test
  void valuesAndGradients() {
    SplittableRandom r = new SplittableRandom(3);
    Tensor logits = Tensor.randomUniform(r, -2, 2, N, C);
    Tensor probs = Tensor.randomUniform(r, 0.05f, 0.95f, N, C);
    check("ce-logits", Losses.sparseCategoricalCrossentropy(true), logits);
    check("ce-logits", Losses.categoricalCrossentropy(true), logits);
    check("ce-probs", Losses.categoricalCrossentropy(false), probs);
    check("bce-logits", Losses.binaryCrossentropy(true), logits);
    check("bce-probs", Losses.binaryCrossentropy(false), probs);
    check("mse", Losses.meanSquaredError(), logits);
  }

  @Test
  void probabilitiesAreClippedAsKeras() {
    Tensor p = Tensor.of(new float[] {0f, 1f}, 1, 2);
    float v = Losses.categoricalCrossentropy(false).compute(p, new int[] {0}).item();
    assertEquals(-Math.log(1e-7), v, 1e-3);
  }

  @Test
  void namesAndErrors() {
    assertTrue(Losses.byName("mse") instanceof Regression);
    assertTrue(Losses.byName("sparse_categorical_crossentropy") instanceof CategoricalCrossentropy);
    Loss l = Losses.fromConfig(new Config("CategoricalCrossentropy",
        java.util.Map.of("from_logits", true)));
    assertEquals(l.config(), Losses.fromConfig(l.config()).config());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Losses.byName("hinge"));
    assertTrue(e.getMessage().contains("known"), e.getMessage());
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
        () -> Losses.meanSquaredError().compute(Tensor.zeros(2, 3), new int[] {0, 3}));
    assertTrue(bad.getMessage().contains("label 3 at index 1"), bad.getMessage());
  }
}

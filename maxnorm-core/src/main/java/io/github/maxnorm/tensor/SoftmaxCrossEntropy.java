package io.github.maxnorm.tensor;

import io.github.maxnorm.kernel.Parallel;
import java.util.List;

/**
 * Softmax followed by cross-entropy, fused: the mean over a batch of logits {@code [N, C]} of
 * {@code -sum_c t[c] * log softmax(x)[c]}, with targets {@code t} given either as class labels
 * (one-hot) or as probabilities. Log-softmax is computed as {@code x - max - log(sum e^(x - max))},
 * so large logits stay finite; the gradient {@code (softmax * sum_c t[c] - t) / N}, which is
 * {@code (softmax - t) / N} for targets that sum to one, never divides by a probability.
 */
final class SoftmaxCrossEntropy implements Op {
  private final Tensor logits;
  /** Class labels, or null when {@link #targets} is given. */
  private final int[] labels;
  /** Target probabilities {@code [N, C]}, or null when {@link #labels} is given. */
  private final Tensor targets;
  /** Per row, {@code max + log(sum e^(x - max))}. */
  private final double[] logSumExp;

  private SoftmaxCrossEntropy(Tensor logits, int[] labels, Tensor targets, double[] logSumExp) {
    this.logits = logits;
    this.labels = labels;
    this.targets = targets;
    this.logSumExp = logSumExp;
  }

  private static void requireMatrix(Tensor logits) {
    if (logits.rank() != 2) {
      throw new IllegalArgumentException(
          "softmaxCrossEntropy: expects logits of shape [N, C], received shape " + logits.shape);
    }
    if (logits.shape.raw()[0] == 0 || logits.shape.raw()[1] == 0) {
      throw new IllegalArgumentException(
          "softmaxCrossEntropy: expects a non-empty batch of logits, received shape "
              + logits.shape);
    }
  }

  static Tensor apply(Tensor logits, int[] labels) {
    requireMatrix(logits);
    int n = logits.shape.raw()[0];
    int c = logits.shape.raw()[1];
    if (labels == null || labels.length != n) {
      throw new IllegalArgumentException(
          "softmaxCrossEntropy: expects " + n + " labels for logits of shape " + logits.shape
              + ", received " + (labels == null ? "null" : labels.length + " labels"));
    }
    int[] y = labels.clone();
    for (int i = 0; i < n; i++) {
      if (y[i] < 0 || y[i] >= c) {
        throw new IllegalArgumentException(
            "softmaxCrossEntropy: label " + y[i] + " at index " + i + " is out of range [0, "
                + c + ") for logits of shape " + logits.shape);
      }
    }
    double[] lse = logSumExp(logits);
    float[] x = logits.data;
    double total = 0;
    for (int i = 0; i < n; i++) {
      total += lse[i] - x[i * c + y[i]];
    }
    return Tensor.result(
        new float[] {(float) (total / n)},
        Shape.of(),
        new SoftmaxCrossEntropy(logits, y, null, lse));
  }

  static Tensor apply(Tensor logits, Tensor targets) {
    requireMatrix(logits);
    if (targets == null || !targets.shape.equals(logits.shape)) {
      throw new IllegalArgumentException(
          "softmaxCrossEntropy: expects targets of the logits' shape " + logits.shape
              + ", received " + (targets == null ? "null" : "shape " + targets.shape));
    }
    int n = logits.shape.raw()[0];
    int c = logits.shape.raw()[1];
    double[] lse = logSumExp(logits);
    float[] x = logits.data;
    float[] t = targets.data;
    double[] rows = new double[n];
    Parallel.forRange(
        n,
        2 * c,
        (from, to) -> {
          for (int i = from; i < to; i++) {
            double s = 0;
            for (int j = i * c; j < (i + 1) * c; j++) {
              if (t[j] != 0f) {
                s += t[j] * (lse[i] - x[j]);
              }
            }
            rows[i] = s;
          }
        });
    double total = 0;
    for (double r : rows) {
      total += r;
    }
    return Tensor.result(
        new float[] {(float) (total / n)},
        Shape.of(),
        new SoftmaxCrossEntropy(logits, null, targets, lse));
  }

  /** Per row of {@code [N, C]} logits, {@code max + log(sum e^(x - max))}, in double. */
  private static double[] logSumExp(Tensor logits) {
    int n = logits.shape.raw()[0];
    int c = logits.shape.raw()[1];
    float[] x = logits.data;
    double[] lse = new double[n];
    Parallel.forRange(
        n,
        4 * c,
        (from, to) -> {
          for (int i = from; i < to; i++) {
            float m = Float.NEGATIVE_INFINITY;
            for (int j = i * c; j < (i + 1) * c; j++) {
              m = Math.max(m, x[j]);
            }
            double s = 0;
            for (int j = i * c; j < (i + 1) * c; j++) {
              s += Math.exp((double) x[j] - m);
            }
            lse[i] = m + Math.log(s);
          }
        });
    return lse;
  }

  @Override
  public String name() {
    return "softmaxCrossEntropy";
  }

  @Override
  public List<Tensor> inputs() {
    return targets == null ? List.of(logits) : List.of(logits, targets);
  }

  @Override
  public void backward(Tensor out, float[] g, GradSink sink) {
    int n = logits.shape.raw()[0];
    int c = logits.shape.raw()[1];
    float[] x = logits.data;
    double scale = g[0] / (double) n;
    if (sink.needs(0)) {
      float[] gx = Workspace.zeros(x.length);
      float[] t = targets == null ? null : targets.data;
      Parallel.forRange(
          n,
          4 * c,
          (from, to) -> {
            for (int i = from; i < to; i++) {
              double mass = 1;
              if (t != null) {
                mass = 0;
                for (int j = i * c; j < (i + 1) * c; j++) {
                  mass += t[j];
                }
              }
              for (int j = i * c; j < (i + 1) * c; j++) {
                double p = Math.exp(x[j] - lse(i));
                double target = t == null ? (j - i * c == labels[i] ? 1 : 0) : t[j];
                gx[j] = (float) (scale * (p * mass - target));
              }
            }
          });
      sink.accumulate(0, gx);
    }
    if (targets != null && sink.needs(1)) {
      float[] gt = Workspace.zeros(x.length);
      for (int i = 0; i < n; i++) {
        for (int j = i * c; j < (i + 1) * c; j++) {
          gt[j] = (float) (scale * (lse(i) - x[j]));
        }
      }
      sink.accumulate(1, gt);
    }
  }

  private double lse(int row) {
    return logSumExp[row];
  }
}

package io.github.maxnorm.tensor;

import io.github.maxnorm.kernel.Parallel;
import java.util.List;

/**
 * Batch normalization in training mode over the last axis (the features): each feature is
 * normalized by the mean and biased variance of its values in the batch, {@code y = (x - mean) *
 * (gamma / sqrt(var + eps)) + beta}. The statistics accumulate in double, the mean first, then
 * the squared deviations from it. The backward rule is the usual one for batch statistics: with
 * {@code xhat = (x - mean) inv}, {@code inv = 1 / sqrt(var + eps)} and {@code n} values per
 * feature, {@code dbeta = sum dy}, {@code dgamma = sum dy xhat}, {@code dx = gamma inv (dy -
 * (sum dy + xhat sum(dy xhat)) / n)}.
 *
 * <p>The rows (all positions of the other axes) are split into as many fixed blocks as there are
 * threads; each block sums its rows in order, and the block sums are added in block order, so the
 * results are the same from run to run for a given thread count.
 */
final class BatchNorm implements Op {
  private final Tensor x;
  private final Tensor gamma;
  private final Tensor beta;
  private final float[] mean;
  private final float[] inv;

  private BatchNorm(Tensor x, Tensor gamma, Tensor beta, float[] mean, float[] inv) {
    this.x = x;
    this.gamma = gamma;
    this.beta = beta;
    this.mean = mean;
    this.inv = inv;
  }

  /** Per-feature sums over the rows of one block, in row order. */
  @FunctionalInterface
  private interface BlockSums {
    void add(int rowFrom, int rowTo, double[] acc);
  }

  /**
   * The per-feature sums of {@code body} over all rows: blocks of rows summed in parallel, then
   * added in block order.
   */
  private static double[] sums(int rows, int c, int width, BlockSums body) {
    int blocks = Math.max(1, Math.min(Parallel.threads(), rows));
    double[][] part = new double[blocks][width * c];
    Parallel.forRange(blocks, (rows / blocks) * c * 2, (b0, b1) -> {
      for (int b = b0; b < b1; b++) {
        body.add((int) ((long) rows * b / blocks), (int) ((long) rows * (b + 1) / blocks),
            part[b]);
      }
    });
    double[] total = new double[width * c];
    for (double[] p : part) {
      for (int j = 0; j < total.length; j++) {
        total[j] += p[j];
      }
    }
    return total;
  }

  /** Runs {@code body} over row ranges in parallel (each row's outputs depend on it alone). */
  private static void rowsInParallel(int rows, int c, Parallel.RangeBody body) {
    Parallel.forRange(rows, 2 * c, body);
  }

  static Tensor apply(Tensor x, Tensor gamma, Tensor beta, double eps, float[] batchMean,
      float[] batchVar) {
    if (x.rank() < 2) {
      throw new IllegalArgumentException(
          "batchNorm: expected input of rank >= 2, received shape " + x.shape);
    }
    int c = x.shape.dim(-1);
    for (Tensor p : new Tensor[] {gamma, beta}) {
      if (p.rank() != 1 || p.shape.dim(0) != c) {
        throw new IllegalArgumentException(
            "batchNorm: gamma and beta must have shape [" + c + "], received " + p.shape);
      }
    }
    if (batchMean.length != c || batchVar.length != c || !(eps > 0)) {
      throw new IllegalArgumentException("batchNorm: need " + c + " statistics and eps > 0");
    }
    int rows = x.size() / c;
    if (rows == 0) {
      throw new IllegalArgumentException("batchNorm: the batch is empty: " + x.shape);
    }
    float[] in = x.data;
    double[] s = sums(rows, c, 1, (r0, r1, acc) -> {
      for (int r = r0, p = r0 * c; r < r1; r++, p += c) {
        for (int j = 0; j < c; j++) {
          acc[j] += in[p + j];
        }
      }
    });
    float[] mu = new float[c];
    for (int j = 0; j < c; j++) {
      mu[j] = (float) (s[j] / rows);
    }
    double[] ss = sums(rows, c, 1, (r0, r1, acc) -> {
      for (int r = r0, p = r0 * c; r < r1; r++, p += c) {
        for (int j = 0; j < c; j++) {
          float d = in[p + j] - mu[j];
          acc[j] += d * d;
        }
      }
    });
    float[] iv = new float[c];
    float[] scale = new float[c];
    for (int j = 0; j < c; j++) {
      double var = ss[j] / rows;
      iv[j] = (float) (1.0 / Math.sqrt(var + eps));
      scale[j] = gamma.data[j] * iv[j];
      batchMean[j] = mu[j];
      batchVar[j] = (float) var;
    }
    float[] b = beta.data;
    float[] o = Workspace.uninitialized(in.length);
    rowsInParallel(rows, c, (r0, r1) -> {
      for (int r = r0, p = r0 * c; r < r1; r++, p += c) {
        for (int j = 0; j < c; j++) {
          o[p + j] = (in[p + j] - mu[j]) * scale[j] + b[j];
        }
      }
    });
    return Tensor.result(o, x.shape, new BatchNorm(x, gamma, beta, mu, iv));
  }

  @Override
  public String name() {
    return "batchNorm";
  }

  @Override
  public List<Tensor> inputs() {
    return List.of(x, gamma, beta);
  }

  @Override
  public void backward(Tensor out, float[] dy, GradSink sink) {
    int c = gamma.size();
    int rows = x.size() / c;
    float[] in = x.data;
    // acc[j] = sum dy, acc[c + j] = sum dy * xhat
    double[] s = sums(rows, c, 2, (r0, r1, acc) -> {
      for (int r = r0, p = r0 * c; r < r1; r++, p += c) {
        for (int j = 0; j < c; j++) {
          float g = dy[p + j];
          acc[j] += g;
          acc[c + j] += g * ((in[p + j] - mean[j]) * inv[j]);
        }
      }
    });
    float[] db = new float[c];
    float[] dg = new float[c];
    float[] k = new float[c];
    float[] sdy = new float[c];
    float[] sdyx = new float[c];
    for (int j = 0; j < c; j++) {
      db[j] = (float) s[j];
      dg[j] = (float) s[c + j];
      k[j] = gamma.data[j] * inv[j];
      sdy[j] = (float) (s[j] / rows);
      sdyx[j] = (float) (s[c + j] / rows);
    }
    if (sink.needs(0)) {
      float[] dx = Workspace.uninitialized(in.length);
      rowsInParallel(rows, c, (r0, r1) -> {
        for (int r = r0, p = r0 * c; r < r1; r++, p += c) {
          for (int j = 0; j < c; j++) {
            float xhat = (in[p + j] - mean[j]) * inv[j];
            dx[p + j] = k[j] * (dy[p + j] - sdy[j] - xhat * sdyx[j]);
          }
        }
      });
      sink.accumulate(0, dx);
    }
    if (sink.needs(1)) {
      sink.accumulate(1, dg);
    }
    if (sink.needs(2)) {
      sink.accumulate(2, db);
    }
  }
}

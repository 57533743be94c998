package io.github.maxnorm.metrics;

import io.github.maxnorm.losses.Targets;
import io.github.maxnorm.tensor.Tensor;

/**
 * The mean absolute or squared difference between output and targets per sample (over all its
 * values), averaged over samples: Keras's {@code mae} and {@code mse} metrics.
 *
 * @param name the reported name, e.g. {@code mae}
 * @param squared whether the difference is squared (mse) or taken in absolute value (mae)
 */
public record ErrorMetric(String name, boolean squared) implements Metric {
  @Override
  public double batchSum(Tensor output, Tensor targets) {
    Tensor t = Targets.dense(name, output, targets);
    int n = output.shape().dim(0);
    int per = n == 0 ? 0 : output.size() / n;
    double sum = 0;
    for (int i = 0; i < output.size(); i++) {
      double e = (double) output.get(i) - t.get(i);
      sum += squared ? e * e : Math.abs(e);
    }
    return per == 0 ? 0 : sum / per;
  }
}

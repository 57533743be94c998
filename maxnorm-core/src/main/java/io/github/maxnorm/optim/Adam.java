package io.github.maxnorm.optim;

import io.github.maxnorm.kernel.Parallel;
import io.github.maxnorm.nn.Config;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adam as Keras computes it: {@code m = b1 m + (1-b1) g}, {@code v = b2 v + (1-b2) g^2},
 * {@code w -= lr * sqrt(1-b2^t)/(1-b1^t) * m / (sqrt(v) + epsilon)}.
 */
public record Adam(
    double learningRate,
    double beta1,
    double beta2,
    double epsilon,
    double decay,
    double clipnorm,
    double globalClipnorm)
    implements OptimizerConfig {

  public Adam {
    OptimizerConfig.checkRate("Adam learning_rate", learningRate);
    OptimizerConfig.checkUnit("Adam beta_1", beta1);
    OptimizerConfig.checkUnit("Adam beta_2", beta2);
    OptimizerConfig.checkRate("Adam epsilon", epsilon);
    OptimizerConfig.checkNonNegative("Adam decay", decay);
    OptimizerConfig.checkNonNegative("Adam clipnorm", clipnorm);
    OptimizerConfig.checkNonNegative("Adam global_clipnorm", globalClipnorm);
  }

  /** Keras defaults: beta_1 0.9, beta_2 0.999, epsilon 1e-7. */
  public static Adam of(double learningRate) {
    return new Adam(learningRate, 0.9, 0.999, 1e-7, 0, 0, 0);
  }

  @Override
  public double momentum() {
    return 0;
  }

  @Override
  public List<String> slotNames() {
    return List.of("m", "v");
  }

  @Override
  public Parallel.RangeBody updater(
      float[] w, float[] g, float[][] slots, double lr, double ignored, long t) {
    float[] m = slots[0];
    float[] v = slots[1];
    double corr = Math.sqrt(1 - Math.pow(beta2, t)) / (1 - Math.pow(beta1, t));
    float lrT = (float) (lr * corr);
    float b1 = (float) beta1;
    float b2 = (float) beta2;
    float eps = (float) epsilon;
    return (from, to) -> {
      for (int i = from; i < to; i++) {
        float gi = g[i];
        float mi = b1 * m[i] + (1f - b1) * gi;
        float vi = b2 * v[i] + (1f - b2) * gi * gi;
        m[i] = mi;
        v[i] = vi;
        w[i] -= lrT * mi / ((float) Math.sqrt(vi) + eps);
      }
    };
  }

  @Override
  public Config config() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("learning_rate", learningRate);
    c.put("beta_1", beta1);
    c.put("beta_2", beta2);
    c.put("epsilon", epsilon);
    c.put("decay", decay);
    c.put("clipnorm", clipnorm == 0 ? null : clipnorm);
    c.put("global_clipnorm", globalClipnorm == 0 ? null : globalClipnorm);
    return new Config("Adam", c);
  }
}

package io.github.maxnorm.optim;

import io.github.maxnorm.kernel.Parallel;
import io.github.maxnorm.nn.Config;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** RMSprop as Keras computes it: {@code v = rho v + (1-rho) g^2; w -= lr g / (sqrt(v) + eps)}. */
public record RMSprop(
    double learningRate,
    double rho,
    double epsilon,
    double decay,
    double clipnorm,
    double globalClipnorm)
    implements OptimizerConfig {

  public RMSprop {
    OptimizerConfig.checkRate("RMSprop learning_rate", learningRate);
    OptimizerConfig.checkUnit("RMSprop rho", rho);
    OptimizerConfig.checkRate("RMSprop epsilon", epsilon);
    OptimizerConfig.checkNonNegative("RMSprop decay", decay);
    OptimizerConfig.checkNonNegative("RMSprop clipnorm", clipnorm);
    OptimizerConfig.checkNonNegative("RMSprop global_clipnorm", globalClipnorm);
  }

  /** Keras defaults: rho 0.9, epsilon 1e-7. */
  public static RMSprop of(double learningRate) {
    return new RMSprop(learningRate, 0.9, 1e-7, 0, 0, 0);
  }

  @Override
  public double momentum() {
    return 0;
  }

  @Override
  public List<String> slotNames() {
    return List.of("rms");
  }

  @Override
  public Parallel.RangeBody updater(
      float[] w, float[] g, float[][] slots, double lr, double ignored, long t) {
    float[] v = slots[0];
    float r = (float) rho;
    float flr = (float) lr;
    float eps = (float) epsilon;
    return (from, to) -> {
      for (int i = from; i < to; i++) {
        float gi = g[i];
        float vi = r * v[i] + (1f - r) * gi * gi;
        v[i] = vi;
        w[i] -= flr * gi / ((float) Math.sqrt(vi) + eps);
      }
    };
  }

  @Override
  public Config config() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("learning_rate", learningRate);
    c.put("rho", rho);
    c.put("epsilon", epsilon);
    c.put("decay", decay);
    c.put("clipnorm", clipnorm == 0 ? null : clipnorm);
    c.put("global_clipnorm", globalClipnorm == 0 ? null : globalClipnorm);
    return new Config("RMSprop", c);
  }
}

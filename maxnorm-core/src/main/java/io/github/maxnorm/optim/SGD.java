package io.github.maxnorm.optim;

import io.github.maxnorm.kernel.Parallel;
import io.github.maxnorm.nn.Config;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stochastic gradient descent with Keras's update: {@code v = momentum * v - lr * g; w += v}, or
 * with Nesterov momentum {@code w += momentum * v - lr * g} (v updated first).
 *
 * @param learningRate the base learning rate (> 0)
 * @param momentum in [0, 1)
 * @param nesterov whether to use Nesterov momentum
 * @param decay Keras's legacy per-step decay (>= 0)
 * @param clipnorm per-parameter gradient clipping (0 = off)
 * @param globalClipnorm clipping of the norm over all gradients (0 = off)
 */
public record SGD(
    double learningRate,
    double momentum,
    boolean nesterov,
    double decay,
    double clipnorm,
    double globalClipnorm)
    implements OptimizerConfig {

  public SGD {
    OptimizerConfig.checkRate("SGD learning_rate", learningRate);
    OptimizerConfig.checkUnit("SGD momentum", momentum);
    OptimizerConfig.checkNonNegative("SGD decay", decay);
    OptimizerConfig.checkNonNegative("SGD clipnorm", clipnorm);
    OptimizerConfig.checkNonNegative("SGD global_clipnorm", globalClipnorm);
  }

  /** Plain SGD (Keras's default learning rate is 0.01). */
  public static SGD of(double learningRate) {
    return new SGD(learningRate, 0, false, 0, 0, 0);
  }

  public SGD withMomentum(double m) {
    return new SGD(learningRate, m, nesterov, decay, clipnorm, globalClipnorm);
  }

  public SGD withNesterov(boolean n) {
    return new SGD(learningRate, momentum, n, decay, clipnorm, globalClipnorm);
  }

  public SGD withDecay(double d) {
    return new SGD(learningRate, momentum, nesterov, d, clipnorm, globalClipnorm);
  }

  public SGD withClipnorm(double c) {
    return new SGD(learningRate, momentum, nesterov, decay, c, globalClipnorm);
  }

  public SGD withGlobalClipnorm(double c) {
    return new SGD(learningRate, momentum, nesterov, decay, clipnorm, c);
  }

  @Override
  public List<String> slotNames() {
    return List.of("momentum");
  }

  @Override
  public Parallel.RangeBody updater(
      float[] w, float[] g, float[][] slots, double lr, double m, long t) {
    float[] v = slots[0];
    float flr = (float) lr;
    float fm = (float) m;
    if (fm == 0f) {
      return (from, to) -> {
        for (int i = from; i < to; i++) {
          w[i] -= flr * g[i];
        }
      };
    }
    if (nesterov) {
      return (from, to) -> {
        for (int i = from; i < to; i++) {
          float vi = fm * v[i] - flr * g[i];
          v[i] = vi;
          w[i] += fm * vi - flr * g[i];
        }
      };
    }
    return (from, to) -> {
      for (int i = from; i < to; i++) {
        float vi = fm * v[i] - flr * g[i];
        v[i] = vi;
        w[i] += vi;
      }
    };
  }

  @Override
  public Config config() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("learning_rate", learningRate);
    c.put("momentum", momentum);
    c.put("nesterov", nesterov);
    c.put("decay", decay);
    c.put("clipnorm", clipnorm == 0 ? null : clipnorm);
    c.put("global_clipnorm", globalClipnorm == 0 ? null : globalClipnorm);
    return new Config("SGD", c);
  }
}

package io.github.maxnorm.nn.layers;

import io.github.maxnorm.nn.Config;
import io.github.maxnorm.nn.ForwardContext;
import io.github.maxnorm.tensor.Tensor;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Gaussian noise in training, the identity at inference: GaussianNoise adds {@code N(0,
 * stddev^2)}; GaussianDropout multiplies by {@code N(1, rate / (1 - rate))}. The noise of a step
 * comes from a generator seeded by the step's seed and the layer's name.
 */
public abstract class Noise<L extends Noise<L>> extends BaseLayer<L> {
  private final boolean multiplicative;
  private final double amount;

  Noise(String className, boolean multiplicative, double amount) {
    super(className);
    if (!(amount >= 0) || (multiplicative && amount >= 1)) {
      throw new IllegalArgumentException(
          className + ": " + (multiplicative ? "rate must be in [0, 1)" : "stddev must be >= 0")
              + ", received " + amount);
    }
    this.multiplicative = multiplicative;
    this.amount = amount;
  }

  @Override
  protected Tensor call(Tensor x, ForwardContext ctx) {
    if (!ctx.training() || amount == 0) {
      return x;
    }
    SplittableRandom rng = new SplittableRandom(ctx.seedFor(name().hashCode()));
    if (multiplicative) {
      float sd = (float) Math.sqrt(amount / (1 - amount));
      return x.mul(Tensor.randomNormal(rng, 1f, sd, x.shape().dims()));
    }
    return x.add(Tensor.randomNormal(rng, 0f, (float) amount, x.shape().dims()));
  }

  @Override
  protected void writeConfig(Map<String, Object> m) {
    m.put(multiplicative ? "rate" : "stddev", amount);
    m.put("seed", null);
  }

  static <L extends Noise<L>> L fromConfig(Config config, String key,
      java.util.function.DoubleFunction<L> make) {
    LayerConfig c = new LayerConfig(config);
    c.raw("seed");
    if (!c.has(key)) {
      throw new IllegalArgumentException(config.className() + ": " + key + " is required");
    }
    return c.finish(make.apply(c.number(key, 0)));
  }
}

package io.github.maxnorm.nn.layers;

import io.github.maxnorm.nn.Config;
import io.github.maxnorm.nn.ForwardContext;
import io.github.maxnorm.tensor.Tensor;
import java.util.Map;

/**
 * An activation layer with one numeric argument (ELU's alpha, LeakyReLU's slope,
 * ThresholdedReLU's theta).
 *
 * @param <L> the concrete layer type
 */
public abstract class ScalarActivation<L extends ScalarActivation<L>> extends BaseLayer<L> {
  private final String key;
  private final double value;

  ScalarActivation(String className, String key, double value) {
    super(className);
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException(
          className + ": " + key + " must be a finite number, received " + value);
    }
    this.key = key;
    this.value = value;
  }

  /** The argument's value. */
  public double value() {
    return value;
  }

  /** The function applied elementwise, given the argument. */
  abstract Tensor apply(Tensor x, float v);

  @Override
  protected Tensor call(Tensor x, ForwardContext ctx) {
    return apply(x, (float) value);
  }

  @Override
  protected void writeConfig(Map<String, Object> m) {
    m.put(key, value);
  }

  /** Reads the argument under {@code keys} (the first present wins) into {@code make}'s layer. */
  static <L extends ScalarActivation<L>> L read(Config config, double dflt,
      java.util.function.DoubleFunction<L> make, String... keys) {
    LayerConfig c = new LayerConfig(config);
    double v = dflt;
    for (int i = keys.length - 1; i >= 0; i--) {
      v = c.number(keys[i], v);
    }
    return c.finish(make.apply(v));
  }
}

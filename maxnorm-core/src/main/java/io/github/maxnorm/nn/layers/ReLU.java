package io.github.maxnorm.nn.layers;

import io.github.maxnorm.nn.Config;
import io.github.maxnorm.nn.ForwardContext;
import io.github.maxnorm.tensor.Tensor;
import java.util.Map;

/**
 * Keras's ReLU layer: {@code x} above {@code threshold} (else 0), capped at {@code max_value}
 * when given, minus {@code negative_slope * max(threshold - x, 0)}; see {@link
 * Tensor#relu(float, float, float)}.
 */
public final class ReLU extends BaseLayer<ReLU> {
  private final Double maxValue;
  private final double negativeSlope;
  private final double threshold;

  /** The plain ReLU. */
  public ReLU() {
    this(null, 0, 0);
  }

  /**
   * @param maxValue the cap, or null for none
   * @param negativeSlope the slope below the threshold (>= 0)
   * @param threshold where the function turns on
   */
  public ReLU(Double maxValue, double negativeSlope, double threshold) {
    super("ReLU");
    if ((maxValue != null && !(maxValue >= 0)) || !(negativeSlope >= 0)
        || !Double.isFinite(threshold)) {
      throw new IllegalArgumentException(
          "ReLU: max_value and negative_slope must be >= 0 and threshold finite, received "
              + maxValue + ", " + negativeSlope + ", " + threshold);
    }
    this.maxValue = maxValue;
    this.negativeSlope = negativeSlope;
    this.threshold = threshold;
  }

  @Override
  protected Tensor call(Tensor x, ForwardContext ctx) {
    return x.relu(maxValue == null ? Float.NaN : maxValue.floatValue(), (float) negativeSlope,
        (float) threshold);
  }

  @Override
  protected void writeConfig(Map<String, Object> m) {
    m.put("max_value", maxValue);
    m.put("negative_slope", negativeSlope);
    m.put("threshold", threshold);
  }

  static ReLU fromConfig(Config config) {
    LayerConfig c = new LayerConfig(config);
    Double max = c.has("max_value") ? c.number("max_value", 0) : null;
    return c.finish(new ReLU(max, c.number("negative_slope", 0), c.number("threshold", 0)));
  }
}

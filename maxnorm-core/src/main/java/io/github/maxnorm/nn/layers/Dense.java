package io.github.maxnorm.nn.layers;

import io.github.maxnorm.nn.Config;
import io.github.maxnorm.nn.ForwardContext;
import io.github.maxnorm.tensor.Shape;
import io.github.maxnorm.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * A fully connected layer, {@code activation(x . kernel + bias)}, acting on the last axis. The
 * kernel is {@code (in, units)} as Keras stores it, so a constraint's default axis ({@code [0]})
 * gives one slice per output unit.
 *
 * <pre>{@code
 * new Dense(512).activation("relu").kernelConstraint(Constraints.maxNorm(3))
 * }</pre>
 */
public final class Dense extends KernelLayer<Dense> {
  private final int units;

  public Dense(int units) {
    super("Dense");
    if (units < 1) {
      throw new IllegalArgumentException("Dense: units must be >= 1, received " + units);
    }
    this.units = units;
  }

  public int units() {
    return units;
  }

  @Override
  protected Shape computeOutputShape(Shape in) {
    if (in.rank() < 1) {
      throw new IllegalArgumentException(
          "Dense expects rank >= 2 input, received shape [batch]");
    }
    return in.withDim(-1, units);
  }

  @Override
  protected void createWeights(List<Shape> in, WeightSink sink) {
    declareKernelAndBias(sink, Shape.of(in.get(0).dim(-1), units), units, new int[] {0});
  }

  @Override
  protected Tensor call(Tensor x, ForwardContext ctx) {
    // product, bias and ReLU in one op, the product in the layer's precision
    return afterFused(
        x.linear(value(kernelWeight), biasValue(), reluActivation(), precision(ctx)));
  }

  @Override
  protected void writeConfig(Map<String, Object> m) {
    m.put("units", units);
    writeKernelConfig(m);
  }

  static Dense fromConfig(Config config) {
    LayerConfig c = new LayerConfig(config);
    return c.finish(new Dense(c.integer("units")).readKernelConfig(c));
  }

  @Override
  public String toString() {
    return "Dense(" + name() + ", units=" + units + ", activation=" + activation() + ")";
  }
}

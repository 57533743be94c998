package io.github.maxnorm.nn.layers;

import io.github.maxnorm.nn.Config;
import io.github.maxnorm.nn.ForwardContext;
import io.github.maxnorm.nn.Layer;
import io.github.maxnorm.nn.Parameter;
import io.github.maxnorm.tensor.Shape;
import io.github.maxnorm.tensor.Tensor;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Inverted dropout: in training each input is zeroed with probability {@code rate} and the rest are
 * scaled by {@code 1 / (1 - rate)}; at inference the layer is the identity. The mask of a step is
 * drawn from a generator seeded by the step's seed and this layer's name, so it is reproducible.
 */
public final class Dropout implements Layer {
  private final LayerSupport s = new LayerSupport("dropout");
  private final double rate;
  private int[] inputShape;

  /** @param rate the probability of dropping an input, in [0, 1) */
  public Dropout(double rate) {
    if (!(rate >= 0 && rate < 1)) {
      throw new IllegalArgumentException("Dropout: rate must be in [0, 1), received " + rate);
    }
    this.rate = rate;
  }

  public double rate() {
    return rate;
  }

  public Dropout name(String name) {
    s.requireUnbuilt();
    s.name(name);
    return this;
  }

  public Dropout inputShape(int... shape) {
    s.requireUnbuilt();
    inputShape = Layers.checkInputShape("Dropout", shape);
    return this;
  }

  public int[] declaredInputShape() {
    return inputShape == null ? null : inputShape.clone();
  }

  @Override
  public String name() {
    return s.name();
  }

  @Override
  public boolean built() {
    return s.built();
  }

  @Override
  public Shape outputShape(Shape in) {
    return in;
  }

  @Override
  public Shape build(Shape in, SplittableRandom rng) {
    s.requireUnbuilt();
    s.built(in, in);
    return in;
  }

  @Override
  public Tensor forward(Tensor x, ForwardContext ctx) {
    s.requireBuilt();
    s.checkInput(x);
    if (!ctx.training() || rate == 0) {
      return x;
    }
    return x.dropout((float) rate, ctx.seedFor(s.name().hashCode()));
  }

  @Override
  public List<Parameter> parameters() {
    return List.of();
  }

  @Override
  public Config config() {
    return LayerConfigs.dropout(this, rate, inputShape);
  }

}

package io.github.maxnorm.nn.layers;

import io.github.maxnorm.nn.Config;
import io.github.maxnorm.nn.ForwardContext;
import io.github.maxnorm.nn.Layer;
import io.github.maxnorm.nn.Parameter;
import io.github.maxnorm.tensor.Shape;
import io.github.maxnorm.tensor.Tensor;
import java.util.List;
import java.util.SplittableRandom;

/** Applies a named activation ({@link Activations}) to its input. */
public final class Activation implements Layer {
  private final LayerSupport s = new LayerSupport("activation");
  private final String activation;
  private int[] inputShape;

  public Activation(String activation) {
    this.activation = Activations.canonical(activation);
  }

  public String activation() {
    return activation;
  }

  public Activation name(String name) {
    s.requireUnbuilt();
    s.name(name);
    return this;
  }

  public Activation inputShape(int... shape) {
    s.requireUnbuilt();
    inputShape = Layers.checkInputShape("Activation", shape);
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
    return Activations.apply(activation, x);
  }

  @Override
  public List<Parameter> parameters() {
    return List.of();
  }

  @Override
  public Config config() {
    return LayerConfigs.activation(this, activation, inputShape);
  }

}

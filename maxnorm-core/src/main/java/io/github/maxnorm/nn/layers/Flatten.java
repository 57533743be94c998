package io.github.maxnorm.nn.layers;

import io.github.maxnorm.nn.Config;
import io.github.maxnorm.nn.ForwardContext;
import io.github.maxnorm.nn.Layer;
import io.github.maxnorm.nn.Parameter;
import io.github.maxnorm.tensor.Shape;
import io.github.maxnorm.tensor.Tensor;
import java.util.List;
import java.util.SplittableRandom;

/** Flattens each sample to one axis, row-major (channels_last order). */
public final class Flatten implements Layer {
  private final LayerSupport s = new LayerSupport("flatten");
  private int[] inputShape;

  public Flatten name(String name) {
    s.requireUnbuilt();
    s.name(name);
    return this;
  }

  public Flatten inputShape(int... shape) {
    s.requireUnbuilt();
    inputShape = Layers.checkInputShape("Flatten", shape);
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
    return Shape.of(in.size());
  }

  @Override
  public Shape build(Shape in, SplittableRandom rng) {
    s.requireUnbuilt();
    Shape out = outputShape(in);
    s.built(in, out);
    return out;
  }

  @Override
  public Tensor forward(Tensor x, ForwardContext ctx) {
    s.requireBuilt();
    s.checkInput(x);
    return x.reshape(x.shape().dim(0), s.outputShape().dim(0));
  }

  @Override
  public List<Parameter> parameters() {
    return List.of();
  }

  @Override
  public Config config() {
    return LayerConfigs.flatten(this, inputShape);
  }

}

package io.github.maxnorm.nn.layers;

import io.github.maxnorm.nn.Layer;

/**
 * A {@link Layer} whose common setters return the concrete type, so configuration chains read
 * {@code new Dense(10).name("out").activation("softmax")}. Every built-in layer extends it.
 *
 * @param <L> the concrete layer type
 */
public abstract class BaseLayer<L extends BaseLayer<L>> extends Layer {
  protected BaseLayer(String className) {
    super(className);
  }

  /** This layer as its concrete type. */
  @SuppressWarnings("unchecked")
  protected final L self() {
    return (L) this;
  }

  @Override
  public L name(String name) {
    super.name(name);
    return self();
  }

  @Override
  public L inputShape(int... shape) {
    super.inputShape(shape);
    return self();
  }

  @Override
  public L activityRegularizer(io.github.maxnorm.nn.Regularizer r) {
    super.activityRegularizer(r);
    return self();
  }

  @Override
  public L dtypePolicy(io.github.maxnorm.nn.DTypePolicy p) {
    super.dtypePolicy(p);
    return self();
  }

  @Override
  public L trainable(boolean trainable) {
    super.trainable(trainable);
    return self();
  }
}

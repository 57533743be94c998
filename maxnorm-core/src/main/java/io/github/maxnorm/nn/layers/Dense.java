package io.github.maxnorm.nn.layers;

import io.github.maxnorm.nn.Config;
import io.github.maxnorm.nn.Constraint;
import io.github.maxnorm.nn.ForwardContext;
import io.github.maxnorm.nn.Initializer;
import io.github.maxnorm.nn.Layer;
import io.github.maxnorm.nn.Parameter;
import io.github.maxnorm.nn.Regularizer;
import io.github.maxnorm.tensor.Shape;
import io.github.maxnorm.tensor.Tensor;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A fully connected layer, {@code activation(x . kernel + bias)}, acting on the last axis. The
 * kernel is {@code (in, units)} as Keras stores it, so a constraint's default axis ({@code [0]})
 * gives one slice per output unit.
 *
 * <pre>{@code
 * new Dense(512).activation("relu").kernelConstraint(Constraints.maxNorm(3))
 * }</pre>
 */
public final class Dense implements Layer {
  private final LayerSupport s = new LayerSupport("dense");
  private final int units;
  private String activation = "linear";
  private final KernelBias w = new KernelBias();
  private int[] inputShape;

  public Dense(int units) {
    if (units < 1) {
      throw new IllegalArgumentException("Dense: units must be >= 1, received " + units);
    }
    this.units = units;
  }

  public int units() {
    return units;
  }

  public Dense name(String name) {
    s.requireUnbuilt();
    s.name(name);
    return this;
  }

  /** The activation: linear (default), relu, sigmoid, tanh, softmax, log_softmax. */
  public Dense activation(String name) {
    s.requireUnbuilt();
    activation = Activations.canonical(name);
    return this;
  }

  public String activation() {
    return activation;
  }

  public Dense useBias(boolean use) {
    s.requireUnbuilt();
    w.useBias = use;
    return this;
  }

  /** The shape of one sample (no batch axis); only the first layer of a model needs it. */
  public Dense inputShape(int... shape) {
    s.requireUnbuilt();
    inputShape = Layers.checkInputShape("Dense", shape);
    return this;
  }

  public Dense kernelInitializer(Initializer i) {
    s.requireUnbuilt();
    w.kernelInitializer = Layers.required("kernel_initializer", i);
    return this;
  }

  public Dense biasInitializer(Initializer i) {
    s.requireUnbuilt();
    w.biasInitializer = Layers.required("bias_initializer", i);
    return this;
  }

  public Dense kernelRegularizer(Regularizer r) {
    s.requireUnbuilt();
    w.kernelRegularizer = r;
    return this;
  }

  public Dense biasRegularizer(Regularizer r) {
    s.requireUnbuilt();
    w.biasRegularizer = r;
    return this;
  }

  public Dense kernelConstraint(Constraint c) {
    s.requireUnbuilt();
    w.kernelConstraint = c;
    return this;
  }

  public Dense biasConstraint(Constraint c) {
    s.requireUnbuilt();
    w.biasConstraint = c;
    return this;
  }

  /** The input shape given with {@link #inputShape}, or null. */
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
    if (in.rank() < 1) {
      throw new IllegalArgumentException(
          "Dense expects rank >= 2 input, received shape [batch" + (in.rank() == 0 ? "" : ", ")
              + LayerSupport.join(in.dims()) + "]");
    }
    return in.withDim(-1, units);
  }

  @Override
  public Map<String, Shape> parameterShapes(Shape in) {
    outputShape(in);
    return w.shapes(Shape.of(in.dim(-1), units), units);
  }

  @Override
  public Shape build(Shape in, SplittableRandom rng) {
    s.requireUnbuilt();
    Shape out = outputShape(in);
    w.build(s, Shape.of(in.dim(-1), units), units, new int[] {0}, rng);
    s.built(in, out);
    return out;
  }

  @Override
  public Tensor forward(Tensor x, ForwardContext ctx) {
    return Activations.apply(activation, preActivation(x));
  }

  /** {@code x . kernel + bias}, before the activation (the logits of a softmax output layer). */
  public Tensor preActivation(Tensor x) {
    s.requireBuilt();
    s.checkInput(x);
    return w.addBias(x.matmul(w.kernel()));
  }

  /** The kernel, bias and their options (package use: configs). */
  KernelBias weights() {
    return w;
  }

  @Override
  public List<Parameter> parameters() {
    return s.parameters();
  }

  @Override
  public Config config() {
    return LayerConfigs.dense(this, units, activation, w, inputShape);
  }


  @Override
  public String toString() {
    return "Dense(" + name() + ", units=" + units + ", activation=" + activation + ")";
  }
}

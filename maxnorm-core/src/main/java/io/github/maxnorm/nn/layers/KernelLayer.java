package io.github.maxnorm.nn.layers;

import io.github.maxnorm.nn.Constraint;
import io.github.maxnorm.nn.Initializer;
import io.github.maxnorm.nn.Initializers;
import io.github.maxnorm.nn.Layer;
import io.github.maxnorm.nn.Parameter;
import io.github.maxnorm.nn.Regularizer;
import io.github.maxnorm.tensor.Shape;
import io.github.maxnorm.tensor.Tensor;
import java.util.Map;

/**
 * A layer computing {@code activation(f(x, kernel) + bias)} (Dense and the convolutions): the
 * activation, {@code use_bias}, and the initializer, regularizer and constraint of the kernel and
 * the bias, with Keras's setters and config keys.
 *
 * @param <L> the concrete layer type
 */
public abstract class KernelLayer<L extends KernelLayer<L>> extends BaseLayer<L> {
  private String activation = "linear";
  private boolean useBias = true;
  final WeightOptions kernel;
  final WeightOptions bias = new WeightOptions("bias", Initializers.zeros());
  private final String kernelName;
  Parameter kernelWeight;
  Parameter biasWeight;

  protected KernelLayer(String className) {
    this(className, "kernel");
  }

  /**
   * @param kernelKey the config prefix of the main kernel: {@code kernel}, or {@code depthwise}
   *     for the depthwise convolutions (weight {@code depthwise_kernel})
   */
  protected KernelLayer(String className, String kernelKey) {
    super(className);
    kernel = new WeightOptions(kernelKey, Initializers.glorotUniform());
    kernelName = kernelKey.equals("kernel") ? "kernel" : kernelKey + "_kernel";
  }

  /** The activation ({@link Activations}): linear (default), relu, softmax, ... */
  public L activation(String name) {
    requireUnbuilt();
    activation = Activations.canonical(name);
    return self();
  }

  public String activation() {
    return activation;
  }

  public L useBias(boolean use) {
    requireUnbuilt();
    useBias = use;
    return self();
  }

  public boolean useBias() {
    return useBias;
  }

  public L kernelInitializer(Initializer i) {
    requireUnbuilt();
    kernel.initializer(i);
    return self();
  }

  public L biasInitializer(Initializer i) {
    requireUnbuilt();
    bias.initializer(i);
    return self();
  }

  public L kernelRegularizer(Regularizer r) {
    requireUnbuilt();
    kernel.regularizer = r;
    return self();
  }

  public L biasRegularizer(Regularizer r) {
    requireUnbuilt();
    bias.regularizer = r;
    return self();
  }

  /** The kernel's constraint, e.g. {@code Constraints.maxNorm(3)}; null for none. */
  public L kernelConstraint(Constraint c) {
    requireUnbuilt();
    kernel.constraint = c;
    return self();
  }

  public L biasConstraint(Constraint c) {
    requireUnbuilt();
    bias.constraint = c;
    return self();
  }

  public Constraint kernelConstraint() {
    return kernel.constraint;
  }

  /** Declares the kernel, whose unit slices reduce {@code unitAxes}, and the bias of {@code units}. */
  final void declareKernelAndBias(Layer.WeightSink sink, Shape kernelShape, int units,
      int[] unitAxes) {
    declareKernel(sink, kernelShape, unitAxes);
    declareBias(sink, units);
  }

  final void declareKernel(Layer.WeightSink sink, Shape kernelShape, int[] unitAxes) {
    kernelWeight = kernel.declare(sink, kernelName, kernelShape, unitAxes);
  }

  final void declareBias(Layer.WeightSink sink, int units) {
    biasWeight = useBias ? bias.declare(sink, "bias", Shape.of(units), new int[] {0}) : null;
  }

  /** {@code activation(y + bias)}, the bias broadcast over the last axis. */
  final Tensor biasAndActivation(Tensor y) {
    return Activations.apply(activation, biasWeight == null ? y : y.add(value(biasWeight)));
  }

  /** The bias's value for a forward pass, or null without a bias. */
  final Tensor biasValue() {
    return biasWeight == null ? null : value(biasWeight);
  }

  /** Whether the activation is a ReLU, which the fused products apply themselves. */
  final boolean reluActivation() {
    return activation.equals("relu");
  }

  /**
   * The activation applied after a fused product that added the bias and, when {@link
   * #reluActivation}, applied the ReLU already.
   */
  final Tensor afterFused(Tensor y) {
    return reluActivation() ? y : Activations.apply(activation, y);
  }

  /** Writes {@code activation}, {@code use_bias} and the kernel and bias options. */
  void writeKernelConfig(Map<String, Object> m) {
    m.put("activation", activation);
    m.put("use_bias", useBias);
    kernel.write(m);
    bias.write(m);
  }

  /** Reads what {@link #writeKernelConfig} writes. */
  L readKernelConfig(LayerConfig c) {
    activation(c.string("activation", "linear"));
    useBias(c.bool("use_bias", true));
    kernel.read(c);
    bias.read(c);
    return self();
  }
}

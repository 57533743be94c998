package io.github.maxnorm.nn;

import io.github.maxnorm.tensor.Shape;
import io.github.maxnorm.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A layer: a shape rule, forward math built from tensor operations (so autograd covers it), its
 * weights and its configuration. This class holds the lifecycle every layer shares; a concrete
 * layer supplies only {@link #computeOutputShape}, {@link #call}, {@link #createWeights} when it
 * has weights, and {@link #writeConfig}.
 *
 * <p>Shapes exclude the batch axis, as Keras's {@code input_shape} does. The lifecycle:
 *
 * <ol>
 *   <li>configure (fluent setters; only before the layer is built);
 *   <li>call it on symbolic inputs ({@link #apply}), which checks the shapes and records a node of
 *       a graph without allocating anything; a layer called several times shares its weights;
 *   <li>build ({@link #build}) once, for the input shapes of its first call: its weights are
 *       created, in Keras's {@code get_weights()} order (kernel, bias; gamma, beta, moving_mean,
 *       moving_variance), drawing initial values from the generator passed in;
 *   <li>run ({@link #forward}) on batches, in training or inference mode.
 * </ol>
 *
 * <p>Every layer has Keras's {@code trainable} flag: the weights of a layer that is not trainable
 * are neither updated nor projected by the optimizer, and no gradient is computed for them.
 * Weights can also be non-trainable by nature (BatchNormalization's moving statistics), updated by
 * the layer itself during training and saved with the model.
 */
public abstract class Layer {
  private final String className;
  private String name;
  private boolean trainable = true;
  private DTypePolicy dtypePolicy;
  private Regularizer activityRegularizer;
  private int[] declaredInputShape;
  /** The input shapes of the first call (or of build), which every later call must match. */
  private List<Shape> inputShapes;
  private Shape outputShape;
  private boolean built;
  private final List<Parameter> weights = new ArrayList<>();
  private int calls;

  /** @param className Keras's class name, e.g. {@code Dense}; the default name derives from it. */
  protected Layer(String className) {
    if (className == null || className.isEmpty()) {
      throw new IllegalArgumentException("Layer: class name must not be empty");
    }
    this.className = className;
  }

  // ------------------------------------------------------------------------------ identity

  /** The Keras class name, e.g. {@code Dense}. */
  public final String className() {
    return className;
  }

  /**
   * The layer's name within its model, e.g. {@code dense_1}; by default Keras's snake-case form
   * of the class name, which a model makes unique.
   */
  public String name() {
    return name == null ? snakeCase(className) : name;
  }

  /** Whether a name was given (a model renames only unnamed layers). */
  public boolean hasName() {
    return name != null;
  }

  /**
   * Sets the name (letters, digits, '_', '.', '-'); only before the layer is built (its weights
   * are named after it).
   */
  public Layer name(String n) {
    if (built) {
      throw new IllegalStateException(name() + " is already built; name it before");
    }
    if (n == null || n.isBlank()) {
      throw new IllegalArgumentException(className + ": name must not be blank, received '" + n
          + "'");
    }
    if (!n.matches("[A-Za-z0-9_.\\-]+")) {
      throw new IllegalArgumentException(
          className + ": name may hold letters, digits, '_', '.', '-' only, received '" + n + "'");
    }
    name = n;
    return this;
  }

  /** Whether the optimizer updates this layer's trainable weights. */
  public boolean trainable() {
    return trainable;
  }

  /**
   * Freezes ({@code false}) or unfreezes the layer; allowed at any time, as in Keras, and takes
   * effect at the next step. A model compiled before the change must be compiled again for the
   * optimizer to see it, as in Keras.
   */
  public Layer trainable(boolean t) {
    trainable = t;
    return this;
  }

  /**
   * The layer's own dtype policy ({@link DTypePolicy}), or null when it follows its model's default
   * ({@code Model.dtypePolicy}).
   */
  public DTypePolicy dtypePolicy() {
    return dtypePolicy;
  }

  /**
   * Sets the layer's own dtype policy (Keras's {@code dtype} argument), or null to follow the
   * model's default. It changes how the layer computes, not its weights, so it may be set at any
   * time; it takes effect at the next forward pass.
   */
  public Layer dtypePolicy(DTypePolicy p) {
    dtypePolicy = p;
    return this;
  }

  /**
   * The precision of this layer's matrix products and convolutions in a forward pass: its own
   * policy's, else the context's default.
   */
  protected final io.github.maxnorm.kernel.Precision precision(ForwardContext ctx) {
    return (dtypePolicy != null ? dtypePolicy : ctx.dtypePolicy()).precision();
  }

  /** The regularizer of the layer's output, or null. */
  public Regularizer activityRegularizer() {
    return activityRegularizer;
  }

  /**
   * Adds a penalty on the layer's output to the training loss: {@code r(output) / batch}, as
   * tf.keras computes it (batch-size independent). Null removes it.
   */
  public Layer activityRegularizer(Regularizer r) {
    requireUnused();
    activityRegularizer = r;
    return this;
  }

  /** The per-sample input shape given with {@link #inputShape}, or null. */
  public int[] declaredInputShape() {
    return declaredInputShape == null ? null : declaredInputShape.clone();
  }

  /** The shape of one sample (no batch axis); only the first layer of a Sequential needs it. */
  public Layer inputShape(int... shape) {
    requireUnused();
    if (shape == null || shape.length == 0) {
      throw new IllegalArgumentException(className + ": input shape must have at least one axis");
    }
    for (int d : shape) {
      if (d < 1) {
        throw new IllegalArgumentException(
            className + ": input shape sizes must be >= 1, received " + Arrays.toString(shape));
      }
    }
    declaredInputShape = shape.clone();
    return this;
  }

  // ------------------------------------------------------------------------------ shapes

  /** The fewest inputs a call takes (1; merge layers take at least 2). */
  protected int minInputs() {
    return 1;
  }

  /** The most inputs a call takes (1; merge layers take any number). */
  protected int maxInputs() {
    return 1;
  }

  /**
   * The output shape for inputs of the given shapes (no batch axes), without building or
   * allocating anything. Fails with an IllegalArgumentException naming the layer and the shapes
   * received when the inputs do not fit.
   */
  public final Shape outputShape(List<Shape> inputs) {
    if (inputs == null || inputs.size() < minInputs() || inputs.size() > maxInputs()) {
      int n = inputs == null ? 0 : inputs.size();
      throw new IllegalArgumentException(
          name() + " (" + className + ") expects "
              + (minInputs() == maxInputs() ? String.valueOf(minInputs())
                  : maxInputs() == Integer.MAX_VALUE ? "at least " + minInputs()
                  : minInputs() + " to " + maxInputs())
              + " input" + (maxInputs() == 1 ? "" : "s") + ", received " + n);
    }
    return computeOutputShape(inputs);
  }

  /** The output shape for one input; see {@link #outputShape(List)}. */
  public final Shape outputShape(Shape input) {
    return outputShape(List.of(input));
  }

  /** The shape rule of a layer with several inputs; the default hands one input to the other. */
  protected Shape computeOutputShape(List<Shape> inputs) {
    return computeOutputShape(inputs.get(0));
  }

  /** The shape rule of a single-input layer; the default is the identity. */
  protected Shape computeOutputShape(Shape input) {
    return input;
  }

  /** The input shapes the layer was built (or first called) for, or null. */
  public final List<Shape> inputShapes() {
    return inputShapes;
  }

  /** The output shape the layer was built for, or null before build. */
  public final Shape builtOutputShape() {
    return outputShape;
  }

  // ------------------------------------------------------------------------------ weights

  /** Where {@link #createWeights} declares its weights. */
  public interface WeightSink {
    /**
     * Declares a weight.
     *
     * @param name Keras's weight name, e.g. {@code kernel}
     * @param shape its shape
     * @param init its initializer
     * @param regularizer its regularizer, or null
     * @param constraint its constraint, or null
     * @param unitAxes the axes reduced to get one slice per unit (for constraints whose axis the
     *     user did not give)
     * @param trainable false for state the layer updates itself (moving statistics)
     * @return the new parameter; null when only shapes are being collected
     */
    Parameter add(String name, Shape shape, Initializer init, Regularizer regularizer,
        Constraint constraint, int[] unitAxes, boolean trainable);
  }

  /**
   * Declares the layer's weights for the given input shapes, in Keras's order, keeping the
   * returned parameters in fields for {@link #call}. Layers without weights do not override it.
   */
  protected void createWeights(List<Shape> inputs, WeightSink sink) {}

  /**
   * The shapes of the weights {@link #build} would create for the given inputs, by name, without
   * allocating them. Loading checks these against the stored weights before building.
   */
  public final Map<String, Shape> weightShapes(List<Shape> inputs) {
    outputShape(inputs);
    Map<String, Shape> m = new LinkedHashMap<>();
    createWeights(inputs, (n, s, i, r, c, u, t) -> {
      m.put(n, s);
      return null;
    });
    return m;
  }

  /**
   * Creates the weights for inputs of the given shapes, drawing initial values from {@code rng},
   * and returns the output shape. A layer already built for the same shapes is left as it is.
   *
   * @throws IllegalArgumentException when the inputs do not fit, or differ from those the layer
   *     was built or first called with
   */
  public final Shape build(List<Shape> inputs, SplittableRandom rng) {
    Shape out = outputShape(inputs);
    checkSameInputs(inputs);
    if (built) {
      return outputShape;
    }
    weights.clear();
    createWeights(inputs, (n, s, init, r, c, units, t) -> {
      Parameter p = new Parameter(name(), n,
          new io.github.maxnorm.tensor.Variable(name() + "/" + n, init.initialize(s, rng)),
          c, r, units, t);
      weights.add(p);
      return p;
    });
    inputShapes = List.copyOf(inputs);
    outputShape = out;
    built = true;
    return out;
  }

  /** {@link #build(List, SplittableRandom)} for one input. */
  public final Shape build(Shape input, SplittableRandom rng) {
    return build(List.of(input), rng);
  }

  private void checkSameInputs(List<Shape> inputs) {
    if (inputShapes != null && !inputShapes.equals(inputs)) {
      throw new IllegalArgumentException(
          name() + " was built for input shape" + (inputs.size() == 1 ? " " : "s ")
              + describe(inputShapes) + " and cannot take " + describe(inputs)
              + " (a layer called again shares its weights)");
    }
  }

  /** Whether {@link #build} has run. */
  public final boolean built() {
    return built;
  }

  /** Every weight, trainable or not, in Keras's {@code get_weights()} order; empty before build. */
  public final List<Parameter> weights() {
    return Collections.unmodifiableList(weights);
  }

  /** The weights the optimizer updates: none when the layer is frozen. */
  public final List<Parameter> trainableWeights() {
    List<Parameter> r = new ArrayList<>();
    if (trainable) {
      for (Parameter p : weights) {
        if (p.trainable()) {
          r.add(p);
        }
      }
    }
    return r;
  }

  /** The weights the optimizer does not update (all of them when the layer is frozen). */
  public final List<Parameter> nonTrainableWeights() {
    List<Parameter> r = new ArrayList<>(weights);
    r.removeAll(trainableWeights());
    return r;
  }

  /** The value of weight {@code p} for a forward pass: differentiable only when it is trained. */
  protected final Tensor value(Parameter p) {
    return trainable && p.trainable() ? p.variable().value() : p.variable().constant();
  }

  // ------------------------------------------------------------------------------ forward

  /**
   * Applies the layer to a batch of each input ({@code [batch, ...inputShape]}).
   *
   * @throws IllegalStateException when the layer is not built
   * @throws IllegalArgumentException when an input does not have the built shape
   */
  public final Tensor forward(List<Tensor> inputs, ForwardContext ctx) {
    if (!built) {
      throw new IllegalStateException(name() + " is not built yet");
    }
    if (inputs.size() != inputShapes.size()) {
      throw new IllegalArgumentException(
          name() + " expects " + inputShapes.size() + " inputs, received " + inputs.size());
    }
    for (int i = 0; i < inputs.size(); i++) {
      checkBatch(inputs.get(i).shape(), inputShapes.get(i));
    }
    Tensor out = call(inputs, ctx);
    if (activityRegularizer != null && ctx.losses() != null) {
      ctx.addLoss(activityRegularizer.penalty(out)
          .mul(Tensor.scalar(1f / Math.max(out.shape().dim(0), 1))));
    }
    return out;
  }

  /** {@link #forward(List, ForwardContext)} for one input. */
  public final Tensor forward(Tensor input, ForwardContext ctx) {
    return forward(List.of(input), ctx);
  }

  private void checkBatch(Shape s, Shape want) {
    int[] d = s.dims();
    int[] w = want.dims();
    boolean ok = d.length == w.length + 1;
    for (int i = 0; ok && i < w.length; i++) {
      ok = d[i + 1] == w[i];
    }
    if (!ok) {
      StringBuilder b = new StringBuilder("[batch");
      for (int x : w) {
        b.append(", ").append(x);
      }
      throw new IllegalArgumentException(
          name() + " expects input of shape " + b + "], received shape " + s);
    }
  }

  /** The forward math of a layer with several inputs; the default hands one to the other. */
  protected Tensor call(List<Tensor> inputs, ForwardContext ctx) {
    return call(inputs.get(0), ctx);
  }

  /** The forward math of a single-input layer, on a batch. */
  protected Tensor call(Tensor input, ForwardContext ctx) {
    throw new UnsupportedOperationException(className + ".call is not implemented");
  }

  // ------------------------------------------------------------------------------ graphs

  /**
   * Calls the layer on symbolic inputs, as {@code layer(x)} in Keras's functional API: checks
   * that they fit and returns the symbolic output, without building anything.
   */
  public final SymbolicTensor apply(SymbolicTensor... inputs) {
    return apply(List.of(inputs));
  }

  /** {@link #apply(SymbolicTensor...)} with a list of inputs. */
  public final SymbolicTensor apply(List<SymbolicTensor> inputs) {
    List<Shape> shapes = new ArrayList<>();
    for (SymbolicTensor t : inputs) {
      if (t == null) {
        throw new IllegalArgumentException(name() + ": a symbolic input is null");
      }
      shapes.add(t.shape());
    }
    Shape out = outputShape(shapes);
    checkSameInputs(shapes);
    if (inputShapes == null) {
      inputShapes = List.copyOf(shapes);
    }
    return new SymbolicTensor(this, calls++, inputs, out);
  }

  /** How many times the layer was called on symbolic inputs (its nodes). */
  public final int calls() {
    return calls;
  }

  private void requireUnused() {
    if (built || calls > 0) {
      throw new IllegalStateException(
          name() + " is already " + (built ? "built" : "in use") + "; configure it before");
    }
  }

  /** Fails unless the layer is still being configured (for the setters of subclasses). */
  protected final void requireUnbuilt() {
    requireUnused();
  }

  // ------------------------------------------------------------------------------ config

  /**
   * The layer's configuration as data, in Keras form: {@code name}, {@code trainable}, {@code
   * dtype}, {@code batch_input_shape} when an input shape was declared, then the layer's own keys.
   */
  public final Config config() {
    return config(DTypePolicy.FLOAT32);
  }

  /**
   * {@link #config()} with {@code dtype} written as {@code defaultPolicy} when the layer has no
   * policy of its own: the form a model writes, so that a model-wide default survives a save as
   * each layer's own policy, as in Keras's files.
   */
  public final Config config(DTypePolicy defaultPolicy) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name());
    m.put("trainable", trainable);
    if (declaredInputShape != null) {
      List<Object> shape = new ArrayList<>();
      shape.add(null);
      for (int d : declaredInputShape) {
        shape.add(d);
      }
      m.put("batch_input_shape", shape);
    }
    m.put("dtype", (dtypePolicy != null ? dtypePolicy : defaultPolicy).kerasName());
    if (activityRegularizer != null) {
      m.put("activity_regularizer", Map.of("class_name",
          Regularizers.toConfig(activityRegularizer).className(), "config",
          Regularizers.toConfig(activityRegularizer).config()));
    }
    writeConfig(m);
    return new Config(className, m);
  }

  /** Writes the layer's own config keys, in Keras's order and with Keras's names. */
  protected abstract void writeConfig(Map<String, Object> config);

  @Override
  public String toString() {
    return className + "(" + name() + ")";
  }

  /** Keras's default layer name for a class: {@code Conv2D} gives {@code conv2d}. */
  public static String snakeCase(String className) {
    String s = className.replaceAll("(.)([A-Z][a-z0-9]+)", "$1_$2")
        .replaceAll("([a-z])([A-Z])", "$1_$2");
    return s.toLowerCase(java.util.Locale.ROOT);
  }

  static String describe(List<Shape> shapes) {
    return shapes.size() == 1 ? shapes.get(0).toString() : shapes.toString();
  }
}

package io.github.maxnorm.model;

import io.github.maxnorm.nn.Layer;
import io.github.maxnorm.nn.SymbolicTensor;
import io.github.maxnorm.nn.layers.InputLayer;
import io.github.maxnorm.tensor.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A linear stack of layers: a {@link Model} whose graph runs each layer on the previous one's
 * output, defined when the model is built for an input shape.
 *
 * <pre>{@code
 * Sequential model = new Sequential()
 *     .add(new Dropout(0.2).inputShape(784))
 *     .add(new Dense(512).activation("relu").kernelConstraint(Constraints.maxNorm(3)))
 *     .add(new Dropout(0.5))
 *     .add(new Dense(10).activation("softmax").kernelConstraint(Constraints.maxNorm(3)));
 * model.compile(SGD.of(0.1).withMomentum(0.95), Losses.categoricalCrossentropy(false), "accuracy");
 * History h = model.fit(train, FitOptions.defaults().epochs(10).batchSize(128).seed(1));
 * }</pre>
 *
 * <p>An unbuilt model is built by {@code fit} (or {@code trainOnBatch}) for the first layer's
 * declared input shape, or else for the data's, with initial weights drawn from the fit's seed.
 */
public final class Sequential extends Model {
  private final List<Layer> stack = new ArrayList<>();
  private final List<Shape> layerOutputShapes = new ArrayList<>();

  public Sequential() {
    this("sequential");
  }

  public Sequential(String name) {
    super(name);
  }

  /** Appends a layer; unnamed layers get Keras-style names ({@code dense}, {@code dense_1}, ...). */
  public Sequential add(Layer layer) {
    if (layer == null) {
      throw new IllegalArgumentException("add: layer must not be null");
    }
    if (hasGraph()) {
      throw new IllegalStateException("add: the model is already built; add layers before building");
    }
    if (stack.contains(layer)) {
      throw new IllegalArgumentException("add: layer " + layer.name() + " was already added");
    }
    String base = layer.name();
    String n = base;
    int k = 0;
    while (nameTaken(n)) {
      k++;
      n = base + "_" + k;
    }
    if (!n.equals(base)) {
      layer.name(n);
    }
    stack.add(layer);
    return this;
  }

  private boolean nameTaken(String n) {
    for (Layer l : stack) {
      if (l.name().equals(n)) {
        return true;
      }
    }
    return false;
  }

  /** The layers in order (no input layer, as in Keras). */
  @Override
  public List<Layer> layers() {
    return List.copyOf(stack);
  }

  /** Builds with the first layer's declared input shape (or the shape it was defined for). */
  @Override
  public Sequential dtypePolicy(io.github.maxnorm.nn.DTypePolicy p) {
    super.dtypePolicy(p);
    return this;
  }

  @Override
  public Sequential build(SplittableRandom rng) {
    if (!hasGraph()) {
      if (stack.isEmpty()) {
        throw new IllegalStateException("build: the model has no layers");
      }
      int[] in = stack.get(0).declaredInputShape();
      if (in == null) {
        throw new IllegalStateException(
            "build: give the first layer an input shape (inputShape(...)) or call build(shape, rng)");
      }
      defineFor(Shape.of(in));
    }
    super.build(rng);
    return this;
  }

  /** Builds every layer for per-sample inputs of {@code shape} (no batch axis). */
  public Sequential build(Shape shape, SplittableRandom rng) {
    if (built()) {
      throw new IllegalStateException("build: the model is already built");
    }
    defineFor(shape);
    super.build(rng);
    return this;
  }

  /**
   * Defines the graph for per-sample inputs of {@code shape} without creating weights: the layers
   * are called in turn, which checks that each fits the previous one's output.
   */
  void defineFor(Shape shape) {
    if (hasGraph()) {
      if (!inputShape().equals(shape)) {
        throw new IllegalStateException(
            "build: the model is defined for inputs of shape " + inputShape() + ", not " + shape);
      }
      return;
    }
    if (stack.isEmpty()) {
      throw new IllegalStateException("build: the model has no layers");
    }
    SymbolicTensor input = new InputLayer(shape.dims()).name(name() + "_input").apply();
    SymbolicTensor h = input;
    List<Shape> shapes = new ArrayList<>();
    for (Layer l : stack) {
      h = l.apply(h);
      shapes.add(h.shape());
    }
    define(List.of(input), List.of(h));
    layerOutputShapes.clear();
    layerOutputShapes.addAll(shapes);
  }

  @Override
  void buildFor(Shape sampleShape, long buildSeed) {
    if (!built()) {
      if (stack.isEmpty()) {
        throw new IllegalStateException("the model has no layers");
      }
      int[] declared = stack.get(0).declaredInputShape();
      build(declared != null ? Shape.of(declared) : sampleShape, new SplittableRandom(buildSeed));
    }
  }

  /** The per-sample output shape of each layer, in order (empty before build). */
  public List<Shape> layerOutputShapes() {
    return List.copyOf(layerOutputShapes);
  }
}

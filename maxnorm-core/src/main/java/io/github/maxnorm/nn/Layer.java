package io.github.maxnorm.nn;

import io.github.maxnorm.tensor.Shape;
import io.github.maxnorm.tensor.Tensor;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A layer of a sequential model. Shapes exclude the batch axis, as Keras's {@code input_shape}
 * does. A layer is built once, for one input shape, before its first forward pass.
 */
public interface Layer {
  /** The layer's unique name within its model, e.g. {@code dense_1}. */
  String name();

  /**
   * Sets the name (letters, digits, '_', '.', '-'); only before the layer is built. A model names
   * its unnamed layers Keras-style ({@code dense}, {@code dense_1}, ...).
   */
  Layer name(String name);

  /** The per-sample input shape given with {@code inputShape(...)}, or null. */
  int[] declaredInputShape();

  /**
   * Creates the parameters for inputs of shape {@code inputShape} (no batch axis) and returns the
   * output shape (no batch axis). Fails with an IllegalArgumentException naming the layer and the
   * shape received when the input does not fit.
   */
  Shape build(Shape inputShape, SplittableRandom rng);

  /**
   * The output shape (no batch axis) for inputs of {@code inputShape}, without building or
   * allocating anything; fails as {@link #build} would on an input that does not fit.
   */
  Shape outputShape(Shape inputShape);

  /**
   * The shapes of the parameters {@link #build} would create for inputs of {@code inputShape}, by
   * parameter name ({@code kernel}, {@code bias}), without allocating them. Loading checks these
   * against the stored weights before building.
   */
  default java.util.Map<String, Shape> parameterShapes(Shape inputShape) {
    outputShape(inputShape);
    return java.util.Map.of();
  }

  /** Whether {@link #build} has run. */
  boolean built();

  /** Applies the layer to a batch ({@code [batch, ...inputShape]}). */
  Tensor forward(Tensor input, ForwardContext ctx);

  /** The trainable parameters, in a fixed order (kernel before bias); empty before build. */
  List<Parameter> parameters();

  /** The layer's configuration as data (Keras form: class name and config). */
  Config config();
}

package io.github.maxnorm.nn;

import java.util.List;

/**
 * The symbolic output of a layer called in Keras's functional API: a node of a model's graph. It
 * holds no values, only the layer that produces it, the symbolic inputs that layer was called on,
 * which call of the layer it is, and the per-sample shape (no batch axis).
 *
 * <pre>{@code
 * SymbolicTensor x = Input.of(28, 28, 1);
 * SymbolicTensor h = new Conv2D(16, 3).padding("same").apply(x);
 * SymbolicTensor y = new Add().apply(h, new Conv2D(16, 1).apply(x));
 * }</pre>
 */
public final class SymbolicTensor {
  private final Layer layer;
  private final int nodeIndex;
  private final List<SymbolicTensor> inputs;
  private final io.github.maxnorm.tensor.Shape shape;

  SymbolicTensor(
      Layer layer, int nodeIndex, List<SymbolicTensor> inputs, io.github.maxnorm.tensor.Shape shape) {
    this.layer = layer;
    this.nodeIndex = nodeIndex;
    this.inputs = List.copyOf(inputs);
    this.shape = shape;
  }

  /** The layer whose call produced this tensor (an InputLayer for a model input). */
  public Layer layer() {
    return layer;
  }

  /** Which call of the layer produced it: 0 for the first (Keras's node index). */
  public int nodeIndex() {
    return nodeIndex;
  }

  /** The symbolic inputs of that call; empty for a model input. */
  public List<SymbolicTensor> inputs() {
    return inputs;
  }

  /** The per-sample shape (no batch axis). */
  public io.github.maxnorm.tensor.Shape shape() {
    return shape;
  }

  @Override
  public String toString() {
    return "SymbolicTensor(" + layer.name() + "#" + nodeIndex + ", shape=" + shape + ")";
  }
}

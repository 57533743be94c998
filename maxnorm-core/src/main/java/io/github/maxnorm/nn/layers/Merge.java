package io.github.maxnorm.nn.layers;

import io.github.maxnorm.nn.ForwardContext;
import io.github.maxnorm.tensor.Shape;
import io.github.maxnorm.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * An elementwise merge of two or more inputs of the same rank (sizes equal or 1, broadcast as in
 * Keras): Add, Subtract (exactly two), Multiply, Average, Maximum, Minimum.
 *
 * @param <L> the concrete layer type
 */
public abstract class Merge<L extends Merge<L>> extends BaseLayer<L> {
  /** How the inputs are combined. */
  enum Kind {
    ADD, SUBTRACT, MULTIPLY, AVERAGE, MAXIMUM, MINIMUM
  }

  private final Kind kind;

  Merge(String className, Kind kind) {
    super(className);
    this.kind = kind;
  }

  @Override
  protected int minInputs() {
    return 2;
  }

  @Override
  protected int maxInputs() {
    return kind == Kind.SUBTRACT ? 2 : Integer.MAX_VALUE;
  }

  @Override
  protected Shape computeOutputShape(List<Shape> inputs) {
    Shape out = inputs.get(0);
    for (Shape s : inputs) {
      if (s.rank() != out.rank()) {
        throw new IllegalArgumentException(
            name() + " (" + className() + ") expects inputs of equal rank, received " + inputs);
      }
      try {
        out = Shape.broadcast(className(), out, s);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            name() + " (" + className() + ") cannot merge shapes " + inputs, e);
      }
    }
    return out;
  }

  @Override
  protected Tensor call(List<Tensor> xs, ForwardContext ctx) {
    Tensor y = xs.get(0);
    for (int i = 1; i < xs.size(); i++) {
      Tensor x = xs.get(i);
      y = switch (kind) {
        case ADD, AVERAGE -> y.add(x);
        case SUBTRACT -> y.sub(x);
        case MULTIPLY -> y.mul(x);
        case MAXIMUM -> y.maximum(x);
        case MINIMUM -> y.minimum(x);
      };
    }
    return kind == Kind.AVERAGE ? y.mul(Tensor.scalar(1f / xs.size())) : y;
  }

  @Override
  protected void writeConfig(Map<String, Object> m) {}

  static <L extends Merge<L>> L read(io.github.maxnorm.nn.Config config, L layer) {
    return new LayerConfig(config).finish(layer);
  }
}

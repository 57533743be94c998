package io.github.maxnorm.nn.layers;

import io.github.maxnorm.nn.ForwardContext;
import io.github.maxnorm.tensor.Shape;
import io.github.maxnorm.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * The entry point of a functional model: a layer without inputs whose output is the batch fed to
 * the model. Made by {@link Input#of}; Keras writes it into model configs with its {@code
 * batch_input_shape}.
 */
public final class InputLayer extends BaseLayer<InputLayer> {
  public InputLayer(int... shape) {
    super("InputLayer");
    inputShape(shape);
  }

  @Override
  protected int minInputs() {
    return 0;
  }

  @Override
  protected int maxInputs() {
    return 0;
  }

  @Override
  protected Shape computeOutputShape(List<Shape> inputs) {
    return Shape.of(declaredInputShape());
  }

  @Override
  protected Tensor call(List<Tensor> inputs, ForwardContext ctx) {
    throw new IllegalStateException(name() + ": an input layer is fed, not called");
  }

  @Override
  protected void writeConfig(Map<String, Object> m) {
    m.put("sparse", false);
    m.put("ragged", false);
  }

  static InputLayer fromConfig(io.github.maxnorm.nn.Config config) {
    LayerConfig c = new LayerConfig(config);
    if (c.bool("sparse", false) || c.bool("ragged", false)) {
      throw new IllegalArgumentException("InputLayer: sparse and ragged inputs are not supported");
    }
    if (!c.has("batch_input_shape") && !c.has("input_shape")) {
      throw new IllegalArgumentException("InputLayer: batch_input_shape is required");
    }
    // finish() reads the shape and declares it again
    return c.finish(new InputLayer(1));
  }
}

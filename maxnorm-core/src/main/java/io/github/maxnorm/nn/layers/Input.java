package io.github.maxnorm.nn.layers;

import io.github.maxnorm.nn.SymbolicTensor;

/**
 * Keras's {@code Input(shape=...)}: the symbolic input of a functional model.
 *
 * <pre>{@code
 * SymbolicTensor x = Input.of(28, 28, 1);
 * SymbolicTensor y = new Dense(10).activation("softmax").apply(new Flatten().apply(x));
 * Model model = new Model(x, y);
 * }</pre>
 */
public final class Input {
  private Input() {}

  /** A symbolic input of per-sample {@code shape} (no batch axis). */
  public static SymbolicTensor of(int... shape) {
    return new InputLayer(shape).apply();
  }

  /** A named symbolic input of per-sample {@code shape} (no batch axis). */
  public static SymbolicTensor of(String name, int... shape) {
    return new InputLayer(shape).name(name).apply();
  }
}

package io.github.maxnorm.tensor;

import java.util.Arrays;

/**
 * A mutable leaf of the graph: trainable state such as a layer's kernel. Its {@link #value()} is a
 * tensor that views the variable's storage and requires a gradient; {@link Autograd#backward}
 * accumulates into {@link #grad()}. Optimizers update {@link #data()} in place.
 *
 * <p>Not thread-safe for concurrent updates; concurrent reads during inference are fine.
 */
public final class Variable {
  private final String name;
  private final Shape shape;
  private final float[] data;
  private final float[] grad;
  private final Tensor value;
  private final Tensor constant;

  /** A variable holding a copy of {@code initial}. */
  public Variable(String name, Tensor initial) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("Variable: name must not be empty");
    }
    this.name = name;
    this.shape = initial.shape;
    this.data = initial.data.clone();
    this.grad = new float[data.length];
    this.value = new Tensor(data, shape, true, null, this);
    this.constant = new Tensor(data, shape, false, null, null);
  }

  public String name() {
    return name;
  }

  public Shape shape() {
    return shape;
  }

  /** The tensor that views this variable; it changes when the variable is updated. */
  public Tensor value() {
    return value;
  }

  /**
   * A tensor that views this variable's storage without requiring a gradient: the value of a
   * frozen or non-trainable weight in a forward pass.
   */
  public Tensor constant() {
    return constant;
  }

  /** The live storage, row-major, for in-place updates by optimizers and constraints. */
  public float[] data() {
    return data;
  }

  /** The live accumulated gradient, same layout as {@link #data()}. */
  public float[] grad() {
    return grad;
  }

  /** Sets the accumulated gradient to zero. */
  public void zeroGrad() {
    Arrays.fill(grad, 0f);
  }

  /** Replaces the stored values with a copy of {@code values}, which must have this shape. */
  public void assign(Tensor values) {
    if (!values.shape.equals(shape)) {
      throw new IllegalArgumentException(
          "Variable " + name + ": cannot assign shape " + values.shape + " to shape " + shape);
    }
    System.arraycopy(values.data, 0, data, 0, data.length);
  }

  /** A constant snapshot of the current values. */
  public Tensor snapshot() {
    return Tensor.wrap(data.clone(), shape);
  }

  @Override
  public String toString() {
    return "Variable(" + name + ", " + shape + ")";
  }
}

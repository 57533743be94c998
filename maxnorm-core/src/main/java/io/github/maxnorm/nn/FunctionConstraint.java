package io.github.maxnorm.nn;

import io.github.maxnorm.tensor.Tensor;
import java.util.function.Function;

/** A constraint given by a user function; it keeps the shape or fails naming both shapes. */
final class FunctionConstraint implements Constraint {
  private final Function<Tensor, Tensor> fn;

  FunctionConstraint(Function<Tensor, Tensor> fn) {
    this.fn = fn;
  }

  @Override
  public Tensor apply(Tensor w) {
    Tensor out = fn.apply(w);
    if (out == null || !out.shape().equals(w.shape())) {
      throw new IllegalArgumentException(
          "constraint function must keep the shape " + w.shape() + ", returned "
              + (out == null ? "null" : "shape " + out.shape()));
    }
    return out;
  }

  @Override
  public String toString() {
    return "Constraint(" + fn + ")";
  }
}

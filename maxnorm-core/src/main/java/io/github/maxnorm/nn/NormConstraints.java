package io.github.maxnorm.nn;

import io.github.maxnorm.kernel.Parallel;
import io.github.maxnorm.tensor.Shape;
import io.github.maxnorm.tensor.Tensor;

/** Shared plumbing of the norm constraints: binding to a shape and the functional form. */
final class NormConstraints {
  private NormConstraints() {}

  static BuiltinConstraint.Bound bind(
      String path, String className, ReducedAxes axis, Shape shape, int[] unitAxes,
      SliceNorms.Rule rule, boolean keras) {
    String what = (path == null || path.isEmpty() ? "" : path + ": ") + className;
    SliceNorms norms = new SliceNorms(shape, axis.mask(shape, unitAxes, what));
    return new BuiltinConstraint.Bound() {
      @Override
      public ConstraintActivity applyInPlace(float[] data) {
        return norms.apply(data, rule, keras);
      }

      @Override
      public ConstraintActivity updateThenApply(float[] data, Parallel.RangeBody update) {
        return norms.applyAfter(data, update, rule, keras);
      }
    };
  }

  static Tensor apply(
      Tensor w, String className, ReducedAxes axis, SliceNorms.Rule rule, boolean keras) {
    if (w == null) {
      throw new IllegalArgumentException(className + ": tensor must not be null");
    }
    float[] data = w.toArray();
    bind("", className, axis, w.shape(), BuiltinConstraint.defaultUnitAxes(w.shape()), rule, keras)
        .applyInPlace(data);
    return Tensor.of(data, w.shape());
  }

  /** A number for messages: integral values without a fraction. */
  static String fmt(double v) {
    if (v == Math.rint(v) && !Double.isInfinite(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return Double.toString(v);
  }
}

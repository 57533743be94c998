package io.github.maxnorm.nn;

import io.github.maxnorm.kernel.Parallel;
import io.github.maxnorm.tensor.GradMode;
import io.github.maxnorm.tensor.Shape;
import io.github.maxnorm.tensor.Tensor;
import io.github.maxnorm.tensor.Variable;

/**
 * A trainable parameter of a layer: its variable, and the constraint and regularizer attached to it.
 *
 * <p>{@code unitAxes} are the axes reduced to get one slice per output unit ({@code [0]} for a
 * Dense kernel {@code (in, out)}, {@code [0, 1, 2]} for a Conv2D kernel {@code (kh, kw, in, out)},
 * all axes for a bias); a constraint whose axis the user did not give uses them.
 *
 * <p>The constructor binds the constraint to the parameter's shape, so a layer that creates its
 * parameters in {@code build} fails there when a constraint's axes do not fit, with a message
 * naming the layer, the parameter, the shape and the bad axis. {@link #constrain()} then applies the
 * constraint to the variable in place after each optimizer step. A parameter is not thread-safe:
 * the bound constraint keeps scratch space.
 */
public final class Parameter {
  private final String layerName;
  private final String name;
  private final Variable variable;
  private final Constraint constraint;
  private final Regularizer regularizer;
  private final int[] unitAxes;
  private final boolean trainable;
  private final BuiltinConstraint.Bound bound;

  /**
   * @throws IllegalArgumentException when a name or the variable is missing, a unit axis is out of
   *     range or repeated, or the constraint's axes do not fit the variable's shape
   */
  public Parameter(
      String layerName,
      String name,
      Variable variable,
      Constraint constraint,
      Regularizer regularizer,
      int[] unitAxes) {
    this(layerName, name, variable, constraint, regularizer, unitAxes, true);
  }

  /**
   * A parameter that is trainable or not by nature: a non-trainable one (BatchNormalization's
   * moving statistics) is state its layer updates itself, saved with the model but never touched
   * by an optimizer.
   */
  public Parameter(
      String layerName,
      String name,
      Variable variable,
      Constraint constraint,
      Regularizer regularizer,
      int[] unitAxes,
      boolean trainable) {
    if (layerName == null || layerName.isEmpty() || name == null || name.isEmpty()) {
      throw new IllegalArgumentException(
          "Parameter: layer name and name must not be empty, received " + layerName + "/" + name);
    }
    if (variable == null) {
      throw new IllegalArgumentException("Parameter " + layerName + "/" + name + ": variable is null");
    }
    if (unitAxes == null) {
      throw new IllegalArgumentException(
          "Parameter " + layerName + "/" + name + ": unitAxes must not be null");
    }
    this.layerName = layerName;
    this.name = name;
    this.variable = variable;
    this.constraint = constraint;
    this.regularizer = regularizer;
    this.unitAxes = unitAxes.clone();
    this.trainable = trainable;
    // validates the unit axes against the shape
    ReducedAxes.of(this.unitAxes.length == 0 ? null : this.unitAxes)
        .mask(variable.shape(), this.unitAxes, path() + ": unit");
    this.bound =
        constraint instanceof BuiltinConstraint b
            ? b.bind(path(), variable.shape(), this.unitAxes)
            : null;
  }

  /** Whether the weight is trainable by nature (its layer may still be frozen). */
  public boolean trainable() {
    return trainable;
  }

  /** The owning layer's name. */
  public String layerName() {
    return layerName;
  }

  /** Keras's weight name: {@code kernel}, {@code bias}, {@code moving_mean}, ... */
  public String name() {
    return name;
  }

  /** {@code <layer>/<param>}, the key used in History, saved weights and errors. */
  public String path() {
    return layerName + "/" + name;
  }

  public Variable variable() {
    return variable;
  }

  public Shape shape() {
    return variable.shape();
  }

  /** The constraint, or null. */
  public Constraint constraint() {
    return constraint;
  }

  /** The regularizer, or null. */
  public Regularizer regularizer() {
    return regularizer;
  }

  public int[] unitAxes() {
    return unitAxes.clone();
  }

  /**
   * Runs an optimizer's elementwise update over the variable's live data (a loop body over element
   * ranges that may be split into pieces, as {@code OptimizerConfig.updater} makes), then {@link
   * #constrain()}s it, with the same result, bit for bit, as the update followed by {@link
   * #constrain()}. A built-in norm constraint on a kernel measures each block of rows right after
   * the update wrote it, while it is still in cache.
   *
   * @return {@link ConstraintActivity#NONE} when there is no constraint
   */
  public ConstraintActivity updateAndConstrain(Parallel.RangeBody update) {
    float[] data = variable.data();
    if (bound != null) {
      return bound.updateThenApply(data, update);
    }
    Parallel.forRange(data.length, 1, update);
    return constrain();
  }

  /**
   * Applies the constraint to the variable's live data, in place, and reports what it did.
   * Built-in constraints allocate nothing here. A user-function constraint is given a snapshot of
   * the value (with gradient recording off) and its result, which must keep the shape, is assigned
   * back; it counts as one slice, projected when any value changed bit-wise, with the norm of the
   * whole tensor as {@code maxNormBefore}.
   *
   * @return {@link ConstraintActivity#NONE} when there is no constraint
   * @throws IllegalArgumentException when a user function changes the shape
   */
  public ConstraintActivity constrain() {
    if (constraint == null) {
      return ConstraintActivity.NONE;
    }
    if (bound != null) {
      return bound.applyInPlace(variable.data());
    }
    float[] data = variable.data();
    double sq = 0.0;
    for (float x : data) {
      sq += (double) x * x;
    }
    double norm = Math.sqrt(sq);
    Tensor out;
    try (GradMode.Scope ignored = GradMode.off()) {
      out = constraint.apply(variable.snapshot());
    }
    if (out == null || !out.shape().equals(variable.shape())) {
      throw new IllegalArgumentException(
          path() + ": constraint must keep the shape " + variable.shape() + ", returned "
              + (out == null ? "null" : "shape " + out.shape()));
    }
    boolean changed = false;
    for (int i = 0; i < data.length && !changed; i++) {
      changed = Float.floatToIntBits(data[i]) != Float.floatToIntBits(out.get(i));
    }
    if (changed) {
      variable.assign(out);
    }
    return new ConstraintActivity(1, changed ? 1 : 0, Double.isFinite(norm) ? 0 : 1, norm);
  }

  @Override
  public String toString() {
    return "Parameter(" + path() + ", " + shape() + ")";
  }
}

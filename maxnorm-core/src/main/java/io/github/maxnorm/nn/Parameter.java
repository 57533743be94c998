package io.github.maxnorm.nn;

import io.github.maxnorm.tensor.Shape;
import io.github.maxnorm.tensor.Variable;

/**
 * A trainable parameter of a layer: its variable, and the constraint and regularizer attached to it.
 *
 * <p>{@code unitAxes} are the axes reduced to get one slice per output unit ({@code [0]} for a
 * Dense kernel {@code (in, out)}, {@code [0, 1, 2]} for a Conv2D kernel {@code (kh, kw, in, out)},
 * all axes for a bias); a constraint whose axis the user did not give uses them.
 */
public final class Parameter {
  private final String layerName;
  private final String name;
  private final Variable variable;
  private final Constraint constraint;
  private final Regularizer regularizer;
  private final int[] unitAxes;

  public Parameter(
      String layerName,
      String name,
      Variable variable,
      Constraint constraint,
      Regularizer regularizer,
      int[] unitAxes) {
    this.layerName = layerName;
    this.name = name;
    this.variable = variable;
    this.constraint = constraint;
    this.regularizer = regularizer;
    this.unitAxes = unitAxes.clone();
  }

  /** The owning layer's name. */
  public String layerName() {
    return layerName;
  }

  /** {@code kernel} or {@code bias}. */
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
}

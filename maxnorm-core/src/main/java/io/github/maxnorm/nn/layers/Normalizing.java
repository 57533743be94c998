package io.github.maxnorm.nn.layers;

import io.github.maxnorm.nn.Constraint;
import io.github.maxnorm.nn.Initializer;
import io.github.maxnorm.nn.Initializers;
import io.github.maxnorm.nn.Parameter;
import io.github.maxnorm.nn.Regularizer;
import io.github.maxnorm.tensor.Shape;
import io.github.maxnorm.tensor.Tensor;
import java.util.Map;

/**
 * What BatchNormalization and LayerNormalization share: {@code (x - mean) / sqrt(var + epsilon)
 * * gamma + beta}, with {@code gamma} ({@code scale}) and {@code beta} ({@code center}) learned
 * per position of the feature {@code axis} (axes count the batch axis as 0; negative from the
 * end), their initializers, regularizers and constraints.
 *
 * @param <L> the concrete layer type
 */
public abstract class Normalizing<L extends Normalizing<L>> extends BaseLayer<L> {
  final FeatureAxes axes;
  double epsilon = 1e-3;
  boolean center = true;
  boolean scale = true;
  final WeightOptions gamma = new WeightOptions("gamma", Initializers.ones());
  final WeightOptions beta = new WeightOptions("beta", Initializers.zeros());
  Parameter gammaWeight;
  Parameter betaWeight;

  Normalizing(String className, int... axes) {
    super(className);
    this.axes = new FeatureAxes(className, axes);
  }

  public L epsilon(double e) {
    requireUnbuilt();
    if (!(e > 0)) {
      throw new IllegalArgumentException(className() + ": epsilon must be > 0, received " + e);
    }
    epsilon = e;
    return self();
  }

  /** Whether to learn the offset beta (default true). */
  public L center(boolean c) {
    requireUnbuilt();
    center = c;
    return self();
  }

  /** Whether to learn the scale gamma (default true). */
  public L scale(boolean s) {
    requireUnbuilt();
    scale = s;
    return self();
  }

  public L gammaInitializer(Initializer i) {
    requireUnbuilt();
    gamma.initializer(i);
    return self();
  }

  public L betaInitializer(Initializer i) {
    requireUnbuilt();
    beta.initializer(i);
    return self();
  }

  public L gammaRegularizer(Regularizer r) {
    requireUnbuilt();
    gamma.regularizer = r;
    return self();
  }

  public L betaRegularizer(Regularizer r) {
    requireUnbuilt();
    beta.regularizer = r;
    return self();
  }

  public L gammaConstraint(Constraint c) {
    requireUnbuilt();
    gamma.constraint = c;
    return self();
  }

  public L betaConstraint(Constraint c) {
    requireUnbuilt();
    beta.constraint = c;
    return self();
  }

  @Override
  protected Shape computeOutputShape(Shape in) {
    axes.sampleAxes(in);
    return in;
  }

  /** Declares gamma and beta (when enabled) of the feature axes' sizes. */
  final void declareGammaBeta(WeightSink sink, Shape in) {
    Shape p = axes.paramShape(in);
    int[] all = new int[p.rank()];
    for (int i = 0; i < all.length; i++) {
      all[i] = i;
    }
    gammaWeight = scale ? gamma.declare(sink, "gamma", p, all) : null;
    betaWeight = center ? beta.declare(sink, "beta", p, all) : null;
  }

  /**
   * {@code (x - mean) / sqrt(var + epsilon) * gamma + beta}, where {@code mean} and {@code var}
   * broadcast against {@code x} and {@code centered} is {@code x - mean}.
   */
  final Tensor normalize(Tensor centered, Tensor var, Shape in) {
    Tensor y = centered.div(var.add(Tensor.scalar((float) epsilon)).sqrt());
    if (gammaWeight != null) {
      y = y.mul(axes.broadcastable(value(gammaWeight), in));
    }
    if (betaWeight != null) {
      y = y.add(axes.broadcastable(value(betaWeight), in));
    }
    return y;
  }

  /** Writes axis, epsilon, center, scale and the gamma and beta options, Keras's way. */
  final void writeNormConfig(Map<String, Object> m) {
    m.put("axis", axes.config());
    m.put("epsilon", epsilon);
    m.put("center", center);
    m.put("scale", scale);
    beta.write(m);
    gamma.write(m);
  }

  /** Reads what {@link #writeNormConfig} writes but the axis. */
  final L readNormConfig(LayerConfig c) {
    epsilon(c.number("epsilon", 1e-3));
    center(c.bool("center", true));
    scale(c.bool("scale", true));
    beta.read(c);
    gamma.read(c);
    return self();
  }
}

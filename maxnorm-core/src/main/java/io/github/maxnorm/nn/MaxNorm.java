package io.github.maxnorm.nn;

import io.github.maxnorm.tensor.Shape;
import io.github.maxnorm.tensor.Tensor;

/** Slice norms at most {@code maxValue}. */
final class MaxNorm implements NormConstraint, BuiltinConstraint, SliceNorms.Rule {
  private final Constraints.MaxNormConfig cfg;

  MaxNorm(Constraints.MaxNormConfig cfg) {
    this.cfg = cfg;
  }

  @Override
  public double exactFactor(double n) {
    return n > cfg.maxValue() ? cfg.maxValue() / n : 1.0;
  }

  @Override
  public double kerasFactor(double n) {
    double desired = Math.min(Math.max(n, 0.0), cfg.maxValue());
    return desired / (SliceNorms.KERAS_EPSILON + n);
  }

  @Override
  public Tensor apply(Tensor w) {
    return NormConstraints.apply(w, "MaxNorm", cfg.axis(), this, cfg.kerasFormula());
  }

  @Override
  public Bound bind(String path, Shape shape, int[] unitAxes) {
    return NormConstraints.bind(path, "MaxNorm", cfg.axis(), shape, unitAxes, this, cfg.kerasFormula());
  }

  @Override
  public ReducedAxes axis() {
    return cfg.axis();
  }

  @Override
  public boolean usesKerasFormula() {
    return cfg.kerasFormula();
  }

  @Override
  public NormConstraint kerasFormula() {
    return new MaxNorm(new Constraints.MaxNormConfig(cfg.maxValue(), cfg.axis(), true));
  }

  @Override
  public NormConstraint withAxis(int... axes) {
    return new MaxNorm(
        new Constraints.MaxNormConfig(cfg.maxValue(), ReducedAxes.of(axes), cfg.kerasFormula()));
  }

  @Override
  public Config config() {
    return cfg.toConfig();
  }

  @Override
  public String toString() {
    return "MaxNorm" + cfg.toConfig().config();
  }
}

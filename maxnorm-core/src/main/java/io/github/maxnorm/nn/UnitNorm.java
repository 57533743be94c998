package io.github.maxnorm.nn;

import io.github.maxnorm.tensor.Shape;
import io.github.maxnorm.tensor.Tensor;

/** Slice norms equal to 1 (zero slices stay zero). */
final class UnitNorm implements NormConstraint, BuiltinConstraint, SliceNorms.Rule {
  private final Constraints.UnitNormConfig cfg;

  UnitNorm(Constraints.UnitNormConfig cfg) {
    this.cfg = cfg;
  }

  @Override
  public double exactFactor(double n) {
    return n == 1.0 ? 1.0 : 1.0 / n;
  }

  @Override
  public double kerasFactor(double n) {
    return 1.0 / (SliceNorms.KERAS_EPSILON + n);
  }

  @Override
  public Tensor apply(Tensor w) {
    return NormConstraints.apply(w, "UnitNorm", cfg.axis(), this, cfg.kerasFormula());
  }

  @Override
  public Bound bind(String path, Shape shape, int[] unitAxes) {
    return NormConstraints.bind(path, "UnitNorm", cfg.axis(), shape, unitAxes, this, cfg.kerasFormula());
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
    return new UnitNorm(new Constraints.UnitNormConfig(cfg.axis(), true));
  }

  @Override
  public NormConstraint withAxis(int... axes) {
    return new UnitNorm(new Constraints.UnitNormConfig(ReducedAxes.of(axes), cfg.kerasFormula()));
  }

  @Override
  public Config config() {
    return cfg.toConfig();
  }

  @Override
  public String toString() {
    return "UnitNorm" + cfg.toConfig().config();
  }
}

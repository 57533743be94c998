package io.github.maxnorm.nn;

import io.github.maxnorm.tensor.Shape;
import io.github.maxnorm.tensor.Tensor;

/** Slice norms moved toward {@code [minValue, maxValue]} at {@code rate}. */
final class MinMaxNorm implements NormConstraint, BuiltinConstraint, SliceNorms.Rule {
  private final Constraints.MinMaxNormConfig cfg;

  MinMaxNorm(Constraints.MinMaxNormConfig cfg) {
    this.cfg = cfg;
  }

  private double desired(double n) {
    double clipped = Math.min(Math.max(n, cfg.minValue()), cfg.maxValue());
    return cfg.rate() * clipped + (1.0 - cfg.rate()) * n;
  }

  @Override
  public double exactFactor(double n) {
    if (n >= cfg.minValue() && n <= cfg.maxValue()) {
      return 1.0;
    }
    return desired(n) / n;
  }

  @Override
  public double kerasFactor(double n) {
    return desired(n) / (SliceNorms.KERAS_EPSILON + n);
  }

  @Override
  public Tensor apply(Tensor w) {
    return NormConstraints.apply(w, "MinMaxNorm", cfg.axis(), this, cfg.kerasFormula());
  }

  @Override
  public Bound bind(String path, Shape shape, int[] unitAxes) {
    return NormConstraints.bind(
        path, "MinMaxNorm", cfg.axis(), shape, unitAxes, this, cfg.kerasFormula());
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
    return new MinMaxNorm(
        new Constraints.MinMaxNormConfig(
            cfg.minValue(), cfg.maxValue(), cfg.rate(), cfg.axis(), true));
  }

  @Override
  public NormConstraint withAxis(int... axes) {
    return new MinMaxNorm(
        new Constraints.MinMaxNormConfig(
            cfg.minValue(), cfg.maxValue(), cfg.rate(), ReducedAxes.of(axes), cfg.kerasFormula()));
  }

  @Override
  public Config config() {
    return cfg.toConfig();
  }

  @Override
  public String toString() {
    return "MinMaxNorm" + cfg.toConfig().config();
  }
}

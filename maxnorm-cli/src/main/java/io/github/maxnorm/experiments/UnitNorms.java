package io.github.maxnorm.experiments;

import io.github.maxnorm.model.Model;
import io.github.maxnorm.model.Sequential;
import io.github.maxnorm.nn.Parameter;

/** Per-unit kernel norms of a model: what max-norm bounds. */
final class UnitNorms {
  private UnitNorms() {}

  /**
   * The largest L2 norm of one unit's incoming weights over every kernel of the model. A unit is an
   * index of the kernel's last axis (a Dense column, a Conv2D filter); its norm runs over all other
   * axes. NaN when some kernel holds a non-finite value.
   */
  static double maxUnitNorm(Model model) {
    double max = 0;
    for (Parameter p : model.parameters()) {
      if (!p.name().equals("kernel")) {
        continue;
      }
      float[] w = p.variable().data();
      int units = p.shape().dim(-1);
      double[] sq = new double[units];
      for (int i = 0; i < w.length; i++) {
        sq[i % units] += (double) w[i] * w[i];
      }
      for (double s : sq) {
        double n = Math.sqrt(s);
        if (!Double.isFinite(n)) {
          return Double.NaN;
        }
        max = Math.max(max, n);
      }
    }
    return max;
  }
}

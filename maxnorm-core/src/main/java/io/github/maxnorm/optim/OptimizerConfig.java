package io.github.maxnorm.optim;

import io.github.maxnorm.kernel.Parallel;
import io.github.maxnorm.nn.Config;

/**
 * An optimizer's configuration as data: {@link SGD}, {@link Adam} or {@link RMSprop}. The
 * {@link Optimizer} made from it holds the state (iteration count, slots).
 */
public sealed interface OptimizerConfig permits SGD, Adam, RMSprop {
  /** The base learning rate. */
  double learningRate();

  /** Keras's legacy per-step decay: the rate used at iteration t is lr / (1 + decay * t). */
  double decay();

  /** Per-parameter gradient-norm clipping threshold, or 0 for none (Keras's {@code clipnorm}). */
  double clipnorm();

  /** Clipping threshold for the norm over all gradients, or 0 (Keras's {@code global_clipnorm}). */
  double globalClipnorm();

  /** Keras form. */
  Config config();

  /** The names of the per-parameter slots this optimizer keeps, e.g. {@code momentum}. */
  java.util.List<String> slotNames();

  /**
   * Updates {@code w} in place from gradient {@code g} with slots {@code slots} (one array per
   * {@link #slotNames()} entry, same length as w). {@code t} is the 1-based step number.
   */
  default void update(float[] w, float[] g, float[][] slots, double lr, double momentum, long t) {
    Parallel.forRange(w.length, 1, updater(w, g, slots, lr, momentum, t));
  }

  /**
   * The update of {@link #update} as a loop body over element ranges: running it over {@code [0,
   * w.length)}, in one piece or in any number of disjoint pieces in any order, updates {@code w}
   * and the slots exactly as {@link #update} does. Every optimizer's update is elementwise, so
   * {@link #update} splits it across the kernel threads with identical results.
   */
  Parallel.RangeBody updater(
      float[] w, float[] g, float[][] slots, double lr, double momentum, long t);

  /** The momentum used when no momentum schedule overrides it (0 for optimizers without one). */
  double momentum();

  static double checkRate(String what, double v) {
    if (!(v > 0) || Double.isInfinite(v)) {
      throw new IllegalArgumentException(what + " must be > 0 and finite, received " + v);
    }
    return v;
  }

  static double checkNonNegative(String what, double v) {
    if (!(v >= 0) || Double.isInfinite(v)) {
      throw new IllegalArgumentException(what + " must be >= 0 and finite, received " + v);
    }
    return v;
  }

  static double checkUnit(String what, double v) {
    if (!(v >= 0 && v < 1)) {
      throw new IllegalArgumentException(what + " must be in [0, 1), received " + v);
    }
    return v;
  }
}

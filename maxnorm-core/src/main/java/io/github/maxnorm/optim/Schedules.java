package io.github.maxnorm.optim;

/** Built-in {@link Schedule}s. */
public final class Schedules {
  private Schedules() {}

  /** {@code initial * rate^epoch}. */
  public static Schedule exponential(double rate) {
    if (!(rate > 0) || Double.isInfinite(rate)) {
      throw new IllegalArgumentException("exponential schedule: rate must be > 0, received " + rate);
    }
    return (epoch, initial) -> initial * Math.pow(rate, epoch);
  }

  /** {@code initial / (1 + rate * epoch)}. */
  public static Schedule inverseTime(double rate) {
    if (!(rate >= 0) || Double.isInfinite(rate)) {
      throw new IllegalArgumentException("inverse-time schedule: rate must be >= 0, received " + rate);
    }
    return (epoch, initial) -> initial / (1 + rate * epoch);
  }

  /**
   * A linear ramp from {@code from} at epoch 0 to {@code to} at epoch {@code epochs}, constant after;
   * the dropout paper ramps momentum from 0.5 to 0.99 this way.
   */
  public static Schedule linear(double from, double to, int epochs) {
    if (epochs < 1) {
      throw new IllegalArgumentException("linear schedule: epochs must be >= 1, received " + epochs);
    }
    return (epoch, initial) -> epoch >= epochs ? to : from + (to - from) * epoch / (double) epochs;
  }

  /** The initial value at every epoch. */
  public static Schedule constant() {
    return (epoch, initial) -> initial;
  }
}

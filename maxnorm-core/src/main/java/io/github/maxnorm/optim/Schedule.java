package io.github.maxnorm.optim;

/**
 * A value as a function of the epoch (0-based), such as a learning rate or a momentum. Applied by
 * the training loop at the start of each epoch. Built-ins: {@link Schedules}.
 */
@FunctionalInterface
public interface Schedule {
  /** The value for epoch {@code epoch} given the configured initial value. */
  double at(int epoch, double initial);
}

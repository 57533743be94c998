package io.github.maxnorm.model;

import io.github.maxnorm.optim.Schedule;

/**
 * Sets the optimizer's learning rate at the start of every epoch from a {@link Schedule} applied to
 * the configured initial learning rate.
 */
public final class LearningRateScheduler implements Callback {
  private final Schedule schedule;

  public LearningRateScheduler(Schedule schedule) {
    if (schedule == null) {
      throw new IllegalArgumentException("LearningRateScheduler: schedule must not be null");
    }
    this.schedule = schedule;
  }

  @Override
  public void onEpochBegin(Model model, int epoch) {
    var opt = model.optimizer();
    opt.setLearningRate(schedule.at(epoch, opt.config().learningRate()));
  }
}

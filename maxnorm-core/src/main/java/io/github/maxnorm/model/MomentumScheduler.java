package io.github.maxnorm.model;

import io.github.maxnorm.optim.Schedule;

/**
 * Sets the optimizer's momentum at the start of every epoch from a {@link Schedule} applied to the
 * configured momentum, e.g. the dropout paper's ramp {@code Schedules.linear(0.5, 0.99, 500)}.
 */
public final class MomentumScheduler implements Callback {
  private final Schedule schedule;

  public MomentumScheduler(Schedule schedule) {
    if (schedule == null) {
      throw new IllegalArgumentException("MomentumScheduler: schedule must not be null");
    }
    this.schedule = schedule;
  }

  @Override
  public void onEpochBegin(Model model, int epoch) {
    var opt = model.optimizer();
    opt.setMomentum(schedule.at(epoch, opt.config().momentum()));
  }
}

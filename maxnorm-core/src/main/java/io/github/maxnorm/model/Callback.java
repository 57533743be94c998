package io.github.maxnorm.model;

import java.util.Map;

/**
 * Hooks into {@link Model#fit}: the listener interface. Every method has an empty default, so a
 * callback implements only what it needs. Logs map metric names ({@code loss}, {@code accuracy},
 * {@code val_loss}, {@code lr}, {@code <layer>/<param>:clipped}, ...) to values. Callbacks see the
 * weights after the step's update and constraint projection.
 */
public interface Callback {
  default void onTrainBegin(Model model) {}

  /** Before epoch {@code epoch} (0-based). */
  default void onEpochBegin(Model model, int epoch) {}

  /** After step {@code step} (0-based within the epoch) with the running epoch averages. */
  default void onBatchEnd(Model model, int epoch, int step, Map<String, Double> logs) {}

  /** After epoch {@code epoch} with its final logs (validation included). */
  default void onEpochEnd(Model model, int epoch, Map<String, Double> logs) {}

  default void onTrainEnd(Model model, History history) {}
}

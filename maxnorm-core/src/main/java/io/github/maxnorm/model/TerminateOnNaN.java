package io.github.maxnorm.model;

import java.util.Map;

/** Stops training at the first step whose running loss is NaN or infinite. */
public final class TerminateOnNaN implements Callback {
  @Override
  public void onBatchEnd(Model model, int epoch, int step, Map<String, Double> logs) {
    Double loss = logs.get("loss");
    if (loss != null && !Double.isFinite(loss)) {
      model.stopTraining();
    }
  }
}

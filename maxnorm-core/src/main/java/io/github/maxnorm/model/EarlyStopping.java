package io.github.maxnorm.model;

import io.github.maxnorm.nn.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Stops training when a monitored value has not improved by more than {@code minDelta} for
 * {@code patience} epochs. Values whose name contains "acc" are maximized, others minimized (Keras's
 * "auto" mode). With {@code restoreBestWeights} the weights of the best epoch are put back at the
 * end.
 */
public final class EarlyStopping implements Callback {
  private final String monitor;
  private final int patience;
  private final double minDelta;
  private final boolean restoreBestWeights;
  private final boolean maximize;
  private double best;
  private int wait;
  private int bestEpoch = -1;
  private List<float[]> bestWeights;

  public EarlyStopping(String monitor, int patience, double minDelta, boolean restoreBestWeights) {
    if (monitor == null || monitor.isEmpty()) {
      throw new IllegalArgumentException("EarlyStopping: monitor must not be empty");
    }
    if (patience < 0) {
      throw new IllegalArgumentException("EarlyStopping: patience must be >= 0, received " + patience);
    }
    if (!(minDelta >= 0)) {
      throw new IllegalArgumentException("EarlyStopping: min_delta must be >= 0, received " + minDelta);
    }
    this.monitor = monitor;
    this.patience = patience;
    this.minDelta = minDelta;
    this.restoreBestWeights = restoreBestWeights;
    this.maximize = monitor.contains("acc");
  }

  /** Monitors val_loss with the given patience. */
  public EarlyStopping(int patience) {
    this("val_loss", patience, 0, false);
  }

  @Override
  public void onTrainBegin(Model model) {
    best = maximize ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    wait = 0;
    bestEpoch = -1;
    bestWeights = null;
  }

  @Override
  public void onEpochEnd(Model model, int epoch, Map<String, Double> logs) {
    Double v = logs.get(monitor);
    if (v == null) {
      throw new IllegalArgumentException(
          "EarlyStopping: monitored value '" + monitor + "' is not in the logs " + logs.keySet());
    }
    boolean improved = maximize ? v > best + minDelta : v < best - minDelta;
    if (improved) {
      best = v;
      bestEpoch = epoch;
      wait = 0;
      if (restoreBestWeights) {
        bestWeights = new ArrayList<>();
        for (Parameter p : model.parameters()) {
          bestWeights.add(p.variable().data().clone());
        }
      }
    } else if (++wait > patience) {
      model.stopTraining();
    }
  }

  @Override
  public void onTrainEnd(Model model, History history) {
    if (restoreBestWeights && bestWeights != null) {
      List<Parameter> ps = model.parameters();
      for (int i = 0; i < ps.size(); i++) {
        float[] d = ps.get(i).variable().data();
        System.arraycopy(bestWeights.get(i), 0, d, 0, d.length);
      }
    }
  }

  /** The epoch with the best monitored value so far, or -1. */
  public int bestEpoch() {
    return bestEpoch;
  }
}

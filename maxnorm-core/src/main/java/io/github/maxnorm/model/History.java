package io.github.maxnorm.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@link Model#fit} recorded: one row of logs per completed epoch, and where training
 * diverged (the first step whose loss was not finite), if it did.
 */
public final class History {
  private final List<Integer> epochs = new ArrayList<>();
  private final List<Map<String, Double>> rows = new ArrayList<>();
  private int divergedEpoch = -1;
  private int divergedStep = -1;

  /** Appends the logs of a completed epoch. */
  public void add(int epoch, Map<String, Double> logs) {
    epochs.add(epoch);
    rows.add(Collections.unmodifiableMap(new LinkedHashMap<>(logs)));
  }

  /** The 0-based epoch numbers recorded, in order. */
  public List<Integer> epochs() {
    return List.copyOf(epochs);
  }

  /** One map per recorded epoch. */
  public List<Map<String, Double>> rows() {
    return List.copyOf(rows);
  }

  /** The values of one key per epoch (NaN where an epoch lacks it). */
  public List<Double> get(String key) {
    List<Double> out = new ArrayList<>(rows.size());
    for (Map<String, Double> r : rows) {
      out.add(r.getOrDefault(key, Double.NaN));
    }
    return out;
  }

  /** Every key that appears, in first-seen order. */
  public List<String> keys() {
    LinkedHashMap<String, Boolean> k = new LinkedHashMap<>();
    for (Map<String, Double> r : rows) {
      for (String s : r.keySet()) {
        k.put(s, Boolean.TRUE);
      }
    }
    return List.copyOf(k.keySet());
  }

  /** The last recorded value of {@code key}, or NaN. */
  public double last(String key) {
    return rows.isEmpty() ? Double.NaN : rows.get(rows.size() - 1).getOrDefault(key, Double.NaN);
  }

  void markDiverged(int epoch, int step) {
    if (divergedEpoch < 0) {
      divergedEpoch = epoch;
      divergedStep = step;
    }
  }

  /** Whether some step's loss was NaN or infinite. */
  public boolean diverged() {
    return divergedEpoch >= 0;
  }

  /** The 0-based epoch of the first non-finite loss, or -1. */
  public int divergedEpoch() {
    return divergedEpoch;
  }

  /** The 0-based step within that epoch, or -1. */
  public int divergedStep() {
    return divergedStep;
  }
}

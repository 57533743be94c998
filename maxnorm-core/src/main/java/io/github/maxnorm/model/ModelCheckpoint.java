package io.github.maxnorm.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Saves the model (weights, optimizer state, counters) at the end of every epoch, or with
 * {@code saveBestOnly} only when the monitored value improved. Each save is atomic, so the file at
 * {@code path} is always a complete model. An epoch whose loss is not finite is never saved, so
 * the file keeps the last good model.
 */
public final class ModelCheckpoint implements Callback {
  private final Path path;
  private final String monitor;
  private final boolean saveBestOnly;
  private final boolean maximize;
  private double best;

  public ModelCheckpoint(Path path, String monitor, boolean saveBestOnly) {
    if (path == null) {
      throw new IllegalArgumentException("ModelCheckpoint: path must not be null");
    }
    this.path = path;
    this.monitor = monitor == null ? "val_loss" : monitor;
    this.saveBestOnly = saveBestOnly;
    this.maximize = this.monitor.contains("acc");
  }

  /** Saves after every epoch. */
  public ModelCheckpoint(Path path) {
    this(path, "val_loss", false);
  }

  @Override
  public void onTrainBegin(Model model) {
    best = maximize ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
  }

  @Override
  public void onEpochEnd(Model model, int epoch, Map<String, Double> logs) {
    Double loss = logs.get("loss");
    if (loss == null || !Double.isFinite(loss)) {
      return;
    }
    if (saveBestOnly) {
      Double v = logs.get(monitor);
      if (v == null) {
        throw new IllegalArgumentException(
            "ModelCheckpoint: monitored value '" + monitor + "' is not in the logs "
                + logs.keySet());
      }
      if (!(maximize ? v > best : v < best)) {
        return;
      }
      best = v;
    }
    try {
      ModelIO.save(model, path);
    } catch (IOException e) {
      throw new UncheckedIOException("ModelCheckpoint: cannot save " + path, e);
    }
  }
}

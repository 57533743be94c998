package io.github.maxnorm.experiments;

import java.util.Locale;

/**
 * The outcome of one training run: one row of an experiment's runs CSV.
 *
 * @param experiment the experiment name, e.g. {@code lr-ablation}
 * @param config the configuration label, e.g. {@code lr=0.1 maxnorm=3}
 * @param seed the seed of the run
 * @param epochs the epochs completed (a diverged run stops early)
 * @param finalLoss the training loss of the last completed epoch (NaN when it diverged)
 * @param divergedAt {@code epoch:step} (both 1-based) of the first non-finite loss, or empty
 * @param accuracy accuracy on the held-out set (the test set; the validation set in a selection)
 * @param maxUnitNorm the largest per-unit L2 norm over all kernels at the end
 * @param wallSeconds wall time of training and evaluation
 */
public record RunResult(
    String experiment,
    String config,
    long seed,
    int epochs,
    double finalLoss,
    String divergedAt,
    double accuracy,
    double maxUnitNorm,
    double wallSeconds) implements java.io.Serializable {

  public RunResult {
    if (experiment == null || experiment.isBlank()) {
      throw new IllegalArgumentException("RunResult: experiment must not be blank");
    }
    if (config == null || config.isBlank()) {
      throw new IllegalArgumentException("RunResult: config must not be blank");
    }
    if (config.contains(",") || config.contains("\"") || config.contains("\n")) {
      throw new IllegalArgumentException(
          "RunResult: config must not contain commas, quotes or newlines, received " + config);
    }
    if (epochs < 0) {
      throw new IllegalArgumentException("RunResult: epochs must be >= 0, received " + epochs);
    }
    divergedAt = divergedAt == null ? "" : divergedAt;
  }

  /** Whether some step's loss was not finite. */
  public boolean diverged() {
    return !divergedAt.isEmpty();
  }

  /** The CSV header; {@code accuracyColumn} names the accuracy column. */
  static String header(String accuracyColumn) {
    return "experiment,config,seed,epochs,final_loss,diverged_at," + accuracyColumn
        + ",max_unit_norm,wall_seconds";
  }

  /** This run as a CSV row matching {@link #header}. */
  String csvRow() {
    return String.join(",", experiment, config, Long.toString(seed), Integer.toString(epochs),
        num(finalLoss), divergedAt, num(accuracy), num(maxUnitNorm),
        String.format(Locale.ROOT, "%.1f", wallSeconds));
  }

  static String num(double v) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%.6g", v) : Double.toString(v);
  }
}

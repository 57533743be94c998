package io.github.maxnorm.spark;

import java.io.Serializable;
import java.util.List;
import java.util.Locale;

/**
 * The outcome of one sweep setting: one row of the results table.
 *
 * @param setting the setting
 * @param epochs the epochs completed (a run whose loss stops being finite ends early)
 * @param finalLoss the training loss of the last epoch
 * @param diverged whether some step's loss was not finite
 * @param heldOutLoss the loss on the held-out set
 * @param heldOutAccuracy the accuracy on the held-out set
 * @param maxUnitNorm the largest L2 norm of a unit's incoming weights over all kernels
 * @param weightsSha256 the SHA-256 of every weight's bits ({@link Kernels#digest}): two runs
 *     agree on it exactly when their final weights are equal bit for bit
 * @param seconds the run's wall time
 */
public record SweepResult(SweepSetting setting, int epochs, double finalLoss, boolean diverged,
    double heldOutLoss, double heldOutAccuracy, double maxUnitNorm, String weightsSha256,
    double seconds) implements Serializable {

  /** The CSV columns, in {@link #csvRow} order. */
  public static final List<String> COLUMNS = List.of("label", "max_norm", "input_dropout",
      "dropout", "learning_rate", "l2", "seed", "epochs", "final_loss", "diverged",
      "held_out_loss", "held_out_accuracy", "max_unit_norm", "weights_sha256", "seconds");

  /** This result as a CSV row. */
  public String csvRow() {
    SweepSetting s = setting;
    return String.join(",", s.label(), num(s.maxNorm()), num(s.inputDropout()), num(s.dropout()),
        num(s.learningRate()), num(s.l2()), Long.toString(s.seed()), Integer.toString(epochs),
        num(finalLoss), Boolean.toString(diverged), num(heldOutLoss), num(heldOutAccuracy),
        num(maxUnitNorm), weightsSha256, String.format(Locale.ROOT, "%.2f", seconds));
  }

  private static String num(double v) {
    return Double.isFinite(v) ? Double.toString(v) : (Double.isNaN(v) ? "NaN" : v > 0
        ? "Infinity" : "-Infinity");
  }
}

package io.github.maxnorm.metrics;

import io.github.maxnorm.tensor.Tensor;
import java.util.List;
import java.util.Locale;

/** The built-in metrics, and class prediction from model outputs. */
public final class Metrics {
  public static final List<String> NAMES =
      List.of("accuracy", "acc", "categorical_accuracy", "sparse_categorical_accuracy",
          "binary_accuracy", "mae", "mean_absolute_error", "mse", "mean_squared_error");

  private Metrics() {}

  public static Metric accuracy() {
    return new Accuracy("accuracy");
  }

  /** A metric by its Keras name. */
  public static Metric byName(String name) {
    String n = name == null ? "" : name.toLowerCase(Locale.ROOT);
    return switch (n) {
      case "accuracy", "acc" -> new Accuracy("accuracy");
      case "categorical_accuracy" -> new Accuracy("categorical_accuracy");
      case "sparse_categorical_accuracy" -> new Accuracy("sparse_categorical_accuracy");
      case "binary_accuracy" -> new Accuracy("binary_accuracy");
      case "mae", "mean_absolute_error" -> new ErrorMetric(n, false);
      case "mse", "mean_squared_error" -> new ErrorMetric(n, true);
      default ->
          throw new IllegalArgumentException(
              "unknown metric '" + name + "'; known: " + String.join(", ", NAMES));
    };
  }

  /**
   * The predicted class of each row of a {@code [batch, classes]} output: the arg-max (the first
   * on ties), or for a single column {@code output > 0.5}.
   */
  public static int[] predictedClasses(Tensor output) {
    if (output.rank() != 2) {
      throw new IllegalArgumentException(
          "expected output of shape [batch, classes], received " + output.shape());
    }
    int n = output.shape().dim(0);
    int c = output.shape().dim(1);
    float[] v = output.toArray();
    int[] pred = new int[n];
    for (int i = 0; i < n; i++) {
      if (c == 1) {
        pred[i] = v[i] > 0.5f ? 1 : 0;
        continue;
      }
      int best = 0;
      float bv = v[i * c];
      for (int j = 1; j < c; j++) {
        float x = v[i * c + j];
        if (x > bv || (Float.isNaN(bv) && !Float.isNaN(x))) {
          bv = x;
          best = j;
        }
      }
      pred[i] = best;
    }
    return pred;
  }
}

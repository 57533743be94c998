package io.github.maxnorm.losses;

import io.github.maxnorm.nn.Config;
import java.util.List;
import java.util.Locale;

/** The built-in losses, by factory method or by Keras name. */
public final class Losses {
  /** Accepted names (case-insensitive), Keras's class names and function names. */
  public static final List<String> NAMES =
      List.of(
          "categorical_crossentropy",
          "sparse_categorical_crossentropy",
          "binary_crossentropy",
          "mean_squared_error",
          "mse",
          "mean_absolute_error",
          "mae",
          "huber");

  private Losses() {}

  public static Loss categoricalCrossentropy(boolean fromLogits) {
    return new CategoricalCrossentropy(fromLogits, false);
  }

  public static Loss sparseCategoricalCrossentropy(boolean fromLogits) {
    return new CategoricalCrossentropy(fromLogits, true);
  }

  public static Loss binaryCrossentropy(boolean fromLogits) {
    return new BinaryCrossentropy(fromLogits);
  }

  public static Loss meanSquaredError() {
    return new Regression("MeanSquaredError", 1.0);
  }

  public static Loss meanAbsoluteError() {
    return new Regression("MeanAbsoluteError", 1.0);
  }

  /** Huber's loss with threshold {@code delta} (Keras's default is 1). */
  public static Loss huber(double delta) {
    return new Regression("Huber", delta);
  }

  /** A loss by name with default arguments (probabilities, not logits). */
  public static Loss byName(String name) {
    return fromConfig(new Config(name, java.util.Map.of()));
  }

  /** A loss from its Keras form; class or function names are accepted. */
  public static Loss fromConfig(Config c) {
    Object fl = c.config().get("from_logits");
    if (fl != null && !(fl instanceof Boolean)) {
      throw new IllegalArgumentException("loss from_logits must be true or false, received " + fl);
    }
    boolean fromLogits = Boolean.TRUE.equals(fl);
    String n = c.className().replace("_", "").toLowerCase(Locale.ROOT);
    return switch (n) {
      case "categoricalcrossentropy" -> categoricalCrossentropy(fromLogits);
      case "sparsecategoricalcrossentropy" -> sparseCategoricalCrossentropy(fromLogits);
      case "binarycrossentropy" -> binaryCrossentropy(fromLogits);
      case "meansquarederror", "mse" -> meanSquaredError();
      case "meanabsoluteerror", "mae" -> meanAbsoluteError();
      case "huber", "huberloss" -> huber(c.getDouble("delta", 1.0));
      default ->
          throw new IllegalArgumentException(
              "unknown loss '" + c.className() + "'; known: " + String.join(", ", NAMES));
    };
  }
}

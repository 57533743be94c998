package io.github.maxnorm.nn.layers;

import io.github.maxnorm.tensor.Tensor;
import java.util.List;
import java.util.Locale;

/**
 * The named activation functions that layers accept ({@code activation="relu"}), with Keras's
 * names. Softmax and log-softmax act on the last axis.
 */
public final class Activations {
  /** The accepted names. */
  public static final List<String> NAMES =
      List.of("linear", "relu", "sigmoid", "tanh", "softmax", "log_softmax");

  private Activations() {}

  /** The canonical name for {@code name} (case-insensitive; null means linear), or an exception. */
  public static String canonical(String name) {
    if (name == null) {
      return "linear";
    }
    String n = name.toLowerCase(Locale.ROOT);
    if (n.equals("none") || n.isEmpty()) {
      return "linear";
    }
    if (!NAMES.contains(n)) {
      throw new IllegalArgumentException(
          "unknown activation '" + name + "'; known: " + String.join(", ", NAMES));
    }
    return n;
  }

  /** Applies the activation {@code name} (canonical) to {@code x}. */
  public static Tensor apply(String name, Tensor x) {
    return switch (name) {
      case "linear" -> x;
      case "relu" -> x.relu();
      case "sigmoid" -> x.sigmoid();
      case "tanh" -> x.tanh();
      case "softmax" -> x.softmax(-1);
      case "log_softmax" -> x.logSoftmax(-1);
      default -> throw new IllegalArgumentException("unknown activation '" + name + "'");
    };
  }
}

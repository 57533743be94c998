package io.github.maxnorm.nn.layers;

import io.github.maxnorm.tensor.Tensor;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The named activation functions that layers accept ({@code activation="relu"}), with Keras's
 * names. Softmax and log-softmax act on the last axis. {@code gelu} is the exact form (through
 * erf), {@code gelu_approximate} the tanh form; {@code hard_sigmoid} is Keras 3's {@code relu6(x +
 * 3) / 6} and {@code hard_sigmoid_keras2} Keras 2's {@code clip(0.2 x + 0.5, 0, 1)}.
 */
public final class Activations {
  /** The accepted names. */
  public static final List<String> NAMES =
      List.of("linear", "relu", "relu6", "sigmoid", "hard_sigmoid", "hard_sigmoid_keras2", "tanh",
          "softmax", "log_softmax", "softplus", "softsign", "elu", "selu", "exponential",
          "leaky_relu", "gelu", "gelu_approximate", "swish", "silu", "mish");

  /** Other names Keras uses for the same functions. */
  private static final Map<String, String> ALIASES =
      Map.of("none", "linear", "", "linear", "gelu_tanh", "gelu_approximate");

  private Activations() {}

  /** The canonical name for {@code name} (case-insensitive; null means linear), or an exception. */
  public static String canonical(String name) {
    if (name == null) {
      return "linear";
    }
    String n = name.toLowerCase(Locale.ROOT);
    n = ALIASES.getOrDefault(n, n);
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
      case "relu6" -> x.relu(6f, 0f, 0f);
      case "sigmoid" -> x.sigmoid();
      case "hard_sigmoid" -> x.hardSigmoid(1f / 6f, 0.5f);
      case "hard_sigmoid_keras2" -> x.hardSigmoid(0.2f, 0.5f);
      case "tanh" -> x.tanh();
      case "softmax" -> x.softmax(-1);
      case "log_softmax" -> x.logSoftmax(-1);
      case "softplus" -> x.softplus();
      case "softsign" -> x.softsign();
      case "elu" -> x.elu(1f);
      case "selu" -> x.selu();
      case "exponential" -> x.exp();
      case "leaky_relu" -> x.relu(Float.NaN, 0.2f, 0f);
      case "gelu" -> x.gelu(false);
      case "gelu_approximate" -> x.gelu(true);
      case "swish", "silu" -> x.swish();
      case "mish" -> x.mish();
      default -> throw new IllegalArgumentException("unknown activation '" + name + "'");
    };
  }
}

package io.github.maxnorm.nn;

import static io.github.maxnorm.nn.NormConstraints.fmt;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The built-in regularizers, their typed config and their registry: {@code L1} (alias {@code l1},
 * key {@code l1}), {@code L2} ({@code l2}, key {@code l2}) and {@code L1L2} ({@code l1_l2}, keys
 * {@code l1} and {@code l2}). The penalty of each is {@code l1 * sum|w| + l2 * sum(w^2)}; a missing
 * coefficient defaults to 0.01 (as in Keras's {@code l1}, {@code l2} and {@code l1_l2} shortcuts;
 * Keras's {@code L1L2} class itself defaults to 0, which only matters for hand-written configs
 * without the keys).
 */
public final class Regularizers {
  /** The default coefficient. */
  public static final double DEFAULT = 0.01;

  private static final Registry<Regularizer> REGISTRY =
      Registry.<Regularizer>empty("regularizer")
          .with("L1", c -> build(c, List.of("l1")), "l1")
          .with("L2", c -> build(c, List.of("l2")), "l2")
          .with("L1L2", c -> build(c, List.of("l1", "l2")), "l1_l2");

  private Regularizers() {}

  /** The registry of built-in regularizers; extend it with {@link Registry#with}. */
  public static Registry<Regularizer> registry() {
    return REGISTRY;
  }

  /** Builds a built-in regularizer from its config (class name or alias). */
  public static Regularizer fromConfig(Config config) {
    return REGISTRY.build(config);
  }

  /**
   * The config of a regularizer made here.
   *
   * @throws IllegalArgumentException for a regularizer not made here
   */
  public static Config toConfig(Regularizer regularizer) {
    if (regularizer instanceof L1L2 r) {
      return r.config();
    }
    throw new IllegalArgumentException(
        "regularizer " + regularizer + " was not made by Regularizers and has no config");
  }

  /** {@code l1 * sum|w|}. */
  public static Regularizer l1(double l1) {
    return new L1L2("L1", new L1L2Config(l1, 0.0));
  }

  /** {@code l2 * sum(w^2)}. */
  public static Regularizer l2(double l2) {
    return new L1L2("L2", new L1L2Config(0.0, l2));
  }

  /** {@code l1 * sum|w| + l2 * sum(w^2)}. */
  public static Regularizer l1l2(double l1, double l2) {
    return new L1L2("L1L2", new L1L2Config(l1, l2));
  }

  private static Regularizer build(Config c, List<String> keys) {
    c.requireKeys(keys);
    double l1 = keys.contains("l1") ? c.getDouble("l1", DEFAULT) : 0.0;
    double l2 = keys.contains("l2") ? c.getDouble("l2", DEFAULT) : 0.0;
    return new L1L2(c.className(), new L1L2Config(l1, l2));
  }

  /**
   * The coefficients of the penalty {@code l1 * sum|w| + l2 * sum(w^2)}.
   *
   * @param l1 finite, {@code >= 0}
   * @param l2 finite, {@code >= 0}
   */
  public record L1L2Config(double l1, double l2) {
    public L1L2Config {
      if (!(l1 >= 0) || Double.isInfinite(l1)) {
        throw new IllegalArgumentException("l1 must be finite and >= 0, received " + fmt(l1));
      }
      if (!(l2 >= 0) || Double.isInfinite(l2)) {
        throw new IllegalArgumentException("l2 must be finite and >= 0, received " + fmt(l2));
      }
    }

    /** The config under the given class name: {@code L1} writes l1, {@code L2} l2, others both. */
    public Config toConfig(String className) {
      Map<String, Object> m = new LinkedHashMap<>();
      if (!className.equals("L2")) {
        m.put("l1", l1);
      }
      if (!className.equals("L1")) {
        m.put("l2", l2);
      }
      return new Config(className, m);
    }

    /** As {@code L1L2}. */
    public Config toConfig() {
      return toConfig("L1L2");
    }

    public Regularizer build() {
      return new L1L2("L1L2", this);
    }
  }
}

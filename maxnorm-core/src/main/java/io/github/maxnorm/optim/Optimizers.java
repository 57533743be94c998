package io.github.maxnorm.optim;

import io.github.maxnorm.nn.Config;
import io.github.maxnorm.nn.Registry;
import java.util.List;

/** The optimizer registry: configs by Keras class name ({@code SGD}, {@code Adam}, {@code RMSprop}). */
public final class Optimizers {
  private static final List<String> COMMON = List.of("name", "decay", "clipnorm",
      "global_clipnorm", "clipvalue", "learning_rate");

  private static final Registry<OptimizerConfig> REGISTRY =
      Registry.<OptimizerConfig>empty("optimizer")
          .with("SGD", Optimizers::sgd, "sgd")
          .with("Adam", Optimizers::adam)
          .with("RMSprop", Optimizers::rmsprop);

  private Optimizers() {}

  public static Registry<OptimizerConfig> registry() {
    return REGISTRY;
  }

  public static OptimizerConfig fromConfig(Config c) {
    return REGISTRY.build(c);
  }

  private static void allow(Config c, String... extra) {
    List<String> keys = new java.util.ArrayList<>(COMMON);
    keys.addAll(List.of(extra));
    c.requireKeys(keys);
    if (c.get("clipvalue") != null) {
      throw new IllegalArgumentException(c.className() + ": clipvalue is not supported; use clipnorm");
    }
  }

  private static double orZero(Config c, String key) {
    return c.get(key) == null ? 0 : c.getDouble(key, 0);
  }

  private static OptimizerConfig sgd(Config c) {
    allow(c, "momentum", "nesterov");
    return new SGD(c.getDouble("learning_rate", 0.01), c.getDouble("momentum", 0),
        c.getBoolean("nesterov", false), orZero(c, "decay"), orZero(c, "clipnorm"),
        orZero(c, "global_clipnorm"));
  }

  private static OptimizerConfig adam(Config c) {
    allow(c, "beta_1", "beta_2", "epsilon", "amsgrad");
    if (c.getBoolean("amsgrad", false)) {
      throw new IllegalArgumentException("Adam: amsgrad is not supported");
    }
    return new Adam(c.getDouble("learning_rate", 0.001), c.getDouble("beta_1", 0.9),
        c.getDouble("beta_2", 0.999), c.getDouble("epsilon", 1e-7), orZero(c, "decay"),
        orZero(c, "clipnorm"), orZero(c, "global_clipnorm"));
  }

  private static OptimizerConfig rmsprop(Config c) {
    allow(c, "rho", "epsilon", "momentum", "centered");
    if (c.getDouble("momentum", 0) != 0 || c.getBoolean("centered", false)) {
      throw new IllegalArgumentException("RMSprop: momentum and centered are not supported");
    }
    return new RMSprop(c.getDouble("learning_rate", 0.001), c.getDouble("rho", 0.9),
        c.getDouble("epsilon", 1e-7), orZero(c, "decay"), orZero(c, "clipnorm"),
        orZero(c, "global_clipnorm"));
  }
}

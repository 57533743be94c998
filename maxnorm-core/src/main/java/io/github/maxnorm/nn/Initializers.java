package io.github.maxnorm.nn;

import static io.github.maxnorm.nn.NormConstraints.fmt;

import io.github.maxnorm.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The built-in initializers, their typed configs and their registry (Keras's names; look-up also
 * accepts snake_case, e.g. {@code glorot_uniform}).
 *
 * <p>Fans follow Keras: for a rank-2 shape {@code (in, out)}, fan_in = in and fan_out = out; for
 * higher ranks the receptive field (product of all axes but the last two) multiplies both; for rank
 * 1, fan_in = fan_out = the length; for rank 0 both are 1.
 *
 * <table>
 *   <caption>Built-ins</caption>
 *   <tr><th>class name</th><th>distribution</th></tr>
 *   <tr><td>GlorotUniform (default)</td><td>uniform, variance 1 / fan_avg</td></tr>
 *   <tr><td>GlorotNormal</td><td>truncated normal, variance 1 / fan_avg</td></tr>
 *   <tr><td>HeNormal</td><td>truncated normal, variance 2 / fan_in</td></tr>
 *   <tr><td>HeUniform</td><td>uniform, variance 2 / fan_in</td></tr>
 *   <tr><td>LecunNormal</td><td>truncated normal, variance 1 / fan_in</td></tr>
 *   <tr><td>VarianceScaling</td><td>scale, mode, distribution as configured</td></tr>
 *   <tr><td>RandomNormal (normal)</td><td>plain normal (mean 0, stddev 0.05)</td></tr>
 *   <tr><td>RandomUniform (uniform)</td><td>uniform in [minval, maxval) (-0.05, 0.05)</td></tr>
 *   <tr><td>Zeros (zero), Ones (one)</td><td>constants</td></tr>
 * </table>
 *
 * <p>A Keras config's {@code seed} key is accepted when null; randomness always comes from the
 * generator passed to {@link Initializer#initialize}.
 */
public final class Initializers {
  private static final List<String> SEED = List.of("seed");

  private static final Registry<Initializer> REGISTRY =
      Registry.<Initializer>empty("initializer")
          .with("GlorotUniform", c -> named(c, 1.0, "fan_avg", "uniform"))
          .with("GlorotNormal", c -> named(c, 1.0, "fan_avg", "truncated_normal"))
          .with("HeNormal", c -> named(c, 2.0, "fan_in", "truncated_normal"))
          .with("HeUniform", c -> named(c, 2.0, "fan_in", "uniform"))
          .with("LecunNormal", c -> named(c, 1.0, "fan_in", "truncated_normal"))
          .with("VarianceScaling", c -> VarianceScalingConfig.fromConfig(c).build())
          .with("RandomNormal", c -> RandomNormalConfig.fromConfig(c).build(), "normal")
          .with("RandomUniform", c -> RandomUniformConfig.fromConfig(c).build(), "uniform")
          .with("Zeros", c -> constant(c, 0f), "zero")
          .with("Ones", c -> constant(c, 1f), "one");

  private Initializers() {}

  /** The registry of built-in initializers; extend it with {@link Registry#with}. */
  public static Registry<Initializer> registry() {
    return REGISTRY;
  }

  /** Builds a built-in initializer from its config (class name or alias). */
  public static Initializer fromConfig(Config config) {
    return REGISTRY.build(config);
  }

  /**
   * The config of an initializer made here.
   *
   * @throws IllegalArgumentException for an initializer not made here
   */
  public static Config toConfig(Initializer initializer) {
    if (initializer instanceof VarianceScaling v) {
      return v.config();
    }
    if (initializer instanceof SimpleInitializer s) {
      return s.config();
    }
    throw new IllegalArgumentException(
        "initializer " + initializer + " was not made by Initializers and has no config");
  }

  /** The default: uniform with variance 1 / fan_avg. */
  public static Initializer glorotUniform() {
    return REGISTRY.build("GlorotUniform");
  }

  public static Initializer glorotNormal() {
    return REGISTRY.build("GlorotNormal");
  }

  public static Initializer heNormal() {
    return REGISTRY.build("HeNormal");
  }

  public static Initializer heUniform() {
    return REGISTRY.build("HeUniform");
  }

  public static Initializer lecunNormal() {
    return REGISTRY.build("LecunNormal");
  }

  /** Plain (untruncated) normal samples. */
  public static Initializer randomNormal(double mean, double stddev) {
    return new RandomNormalConfig(mean, stddev).build();
  }

  /** Uniform samples in {@code [minval, maxval)}. */
  public static Initializer randomUniform(double minval, double maxval) {
    return new RandomUniformConfig(minval, maxval).build();
  }

  public static Initializer zeros() {
    return REGISTRY.build("Zeros");
  }

  public static Initializer ones() {
    return REGISTRY.build("Ones");
  }

  private static Initializer named(Config c, double scale, String mode, String distribution) {
    requireNoSeed(c);
    return new VarianceScaling(
        c.className(), new VarianceScalingConfig(scale, mode, distribution));
  }

  private static Initializer constant(Config c, float value) {
    c.requireKeys(List.of());
    return new SimpleInitializer(
        Config.of(c.className()),
        (shape, rng) -> Tensor.full(value, shape.dims()));
  }

  static void requireNoSeed(Config c) {
    c.requireKeys(SEED);
    if (c.get("seed") != null) {
      throw new IllegalArgumentException(
          c.className() + ": seed must be null (randomness comes from the model's seed), received "
              + Config.describe(c.get("seed")));
    }
  }

  /**
   * VarianceScaling's arguments.
   *
   * @param scale the variance numerator, {@code > 0}
   * @param mode {@code fan_in}, {@code fan_out} or {@code fan_avg}
   * @param distribution {@code truncated_normal}, {@code untruncated_normal} or {@code uniform}
   */
  public record VarianceScalingConfig(double scale, String mode, String distribution) {
    public VarianceScalingConfig {
      if (!(scale > 0) || Double.isInfinite(scale)) {
        throw new IllegalArgumentException(
            "VarianceScaling: scale must be > 0, received " + fmt(scale));
      }
      if (!List.of("fan_in", "fan_out", "fan_avg").contains(mode)) {
        throw new IllegalArgumentException(
            "VarianceScaling: mode must be fan_in, fan_out or fan_avg, received " + mode);
      }
      if (!List.of("truncated_normal", "untruncated_normal", "uniform").contains(distribution)) {
        throw new IllegalArgumentException(
            "VarianceScaling: distribution must be truncated_normal, untruncated_normal or"
                + " uniform, received " + distribution);
      }
    }

    public static VarianceScalingConfig fromConfig(Config c) {
      c.requireKeys(List.of("scale", "mode", "distribution", "seed"));
      if (c.get("seed") != null) {
        requireNoSeed(c);
      }
      return new VarianceScalingConfig(
          c.getDouble("scale", 1.0),
          c.getString("mode", "fan_in"),
          c.getString("distribution", "truncated_normal"));
    }

    public Config toConfig() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("scale", scale);
      m.put("mode", mode);
      m.put("distribution", distribution);
      return new Config("VarianceScaling", m);
    }

    public Initializer build() {
      return new VarianceScaling("VarianceScaling", this);
    }
  }

  /**
   * RandomNormal's arguments.
   *
   * @param mean the mean (Keras default 0)
   * @param stddev the standard deviation, {@code >= 0} (Keras default 0.05)
   */
  public record RandomNormalConfig(double mean, double stddev) {
    public RandomNormalConfig {
      if (!Double.isFinite(mean)) {
        throw new IllegalArgumentException("RandomNormal: mean must be finite, received " + mean);
      }
      if (!(stddev >= 0) || Double.isInfinite(stddev)) {
        throw new IllegalArgumentException(
            "RandomNormal: stddev must be >= 0, received " + fmt(stddev));
      }
    }

    public static RandomNormalConfig fromConfig(Config c) {
      c.requireKeys(List.of("mean", "stddev", "seed"));
      if (c.get("seed") != null) {
        requireNoSeed(c);
      }
      return new RandomNormalConfig(c.getDouble("mean", 0.0), c.getDouble("stddev", 0.05));
    }

    public Config toConfig() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("mean", mean);
      m.put("stddev", stddev);
      return new Config("RandomNormal", m);
    }

    public Initializer build() {
      return new SimpleInitializer(
          toConfig(),
          (shape, rng) -> Tensor.randomNormal(rng, (float) mean, (float) stddev, shape.dims()));
    }
  }

  /**
   * RandomUniform's arguments.
   *
   * @param minval the lower bound, inclusive (Keras default -0.05)
   * @param maxval the upper bound, exclusive, {@code >= minval} (Keras default 0.05)
   */
  public record RandomUniformConfig(double minval, double maxval) {
    public RandomUniformConfig {
      if (!Double.isFinite(minval) || !Double.isFinite(maxval) || !(minval <= maxval)) {
        throw new IllegalArgumentException(
            "RandomUniform: minval must be <= maxval (both finite), received minval="
                + fmt(minval) + ", maxval=" + fmt(maxval));
      }
    }

    public static RandomUniformConfig fromConfig(Config c) {
      c.requireKeys(List.of("minval", "maxval", "seed"));
      if (c.get("seed") != null) {
        requireNoSeed(c);
      }
      return new RandomUniformConfig(c.getDouble("minval", -0.05), c.getDouble("maxval", 0.05));
    }

    public Config toConfig() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("minval", minval);
      m.put("maxval", maxval);
      return new Config("RandomUniform", m);
    }

    public Initializer build() {
      return new SimpleInitializer(
          toConfig(),
          (shape, rng) -> Tensor.randomUniform(rng, (float) minval, (float) maxval, shape.dims()));
    }
  }
}

package io.github.maxnorm.nn;

import static io.github.maxnorm.nn.NormConstraints.fmt;

import io.github.maxnorm.tensor.Gaussian;
import io.github.maxnorm.tensor.Shape;
import io.github.maxnorm.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

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
 *   <tr><td>LecunUniform</td><td>uniform, variance 1 / fan_in</td></tr>
 *   <tr><td>TruncatedNormal</td><td>normal (mean 0, stddev 0.05) with samples beyond two standard
 *       deviations redrawn</td></tr>
 *   <tr><td>Orthogonal</td><td>a random orthogonal matrix (QR of a normal one) of shape
 *       (product of all axes but the last, last axis), times {@code gain}</td></tr>
 *   <tr><td>Identity</td><td>{@code gain} times the identity (rank-2 shapes only)</td></tr>
 *   <tr><td>Zeros (zero), Ones (one), Constant (value)</td><td>constants</td></tr>
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
          .with("LecunUniform", c -> named(c, 1.0, "fan_in", "uniform"))
          .with("VarianceScaling", c -> VarianceScalingConfig.fromConfig(c).build())
          .with("RandomNormal", c -> RandomNormalConfig.fromConfig(c).build(), "normal")
          .with("RandomUniform", c -> RandomUniformConfig.fromConfig(c).build(), "uniform")
          .with("Zeros", c -> constant(c, 0f), "zero")
          .with("Ones", c -> constant(c, 1f), "one")
          .with("Constant", Initializers::constantValue)
          .with("TruncatedNormal", Initializers::truncatedNormal)
          .with("Orthogonal", c -> gained(c, List.of("gain", "seed"), Initializers::orthogonal))
          .with("Identity", c -> gained(c, List.of("gain"), Initializers::identity));

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

  private static Initializer constantValue(Config c) {
    c.requireKeys(List.of("value"));
    Object v = c.get("value");
    if (!(v instanceof Number n) || !Double.isFinite(n.doubleValue())) {
      throw new IllegalArgumentException(
          "Constant: value must be a finite number, received " + Config.describe(v));
    }
    float value = n.floatValue();
    return new SimpleInitializer(new Config("Constant", Map.of("value", n.doubleValue())),
        (shape, rng) -> Tensor.full(value, shape.dims()));
  }

  /** Keras's TruncatedNormal: normal samples, those beyond two standard deviations redrawn. */
  private static Initializer truncatedNormal(Config c) {
    RandomNormalConfig n = RandomNormalConfig.fromConfig(c);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("mean", n.mean());
    m.put("stddev", n.stddev());
    return new SimpleInitializer(new Config("TruncatedNormal", m), (shape, rng) -> {
      float[] d = new float[shape.size()];
      for (int i = 0; i < d.length; i++) {
        double z;
        do {
          z = Gaussian.next(rng);
        } while (z < -2.0 || z > 2.0);
        d[i] = (float) (n.mean() + n.stddev() * z);
      }
      return Tensor.of(d, shape);
    });
  }

  /** A function of the gain, the shape and the generator. */
  private interface Gained {
    Tensor make(double gain, Shape shape, SplittableRandom rng);
  }

  private static Initializer gained(Config c, List<String> keys, Gained f) {
    c.requireKeys(keys);
    if (c.get("seed") != null) {
      requireNoSeed(c);
    }
    double gain = c.getDouble("gain", 1.0);
    if (!Double.isFinite(gain)) {
      throw new IllegalArgumentException(
          c.className() + ": gain must be finite, received " + fmt(gain));
    }
    return new SimpleInitializer(new Config(c.className(), Map.of("gain", gain)),
        (shape, rng) -> f.make(gain, shape, rng));
  }

  /**
   * Keras's Orthogonal: a normal matrix of (product of all axes but the last) rows and (last axis)
   * columns, transposed when it has fewer rows than columns, orthonormalized by QR with the signs
   * of R's diagonal moved into Q (Gram-Schmidt does that by construction), times {@code gain}.
   */
  static Tensor orthogonal(double gain, Shape shape, SplittableRandom rng) {
    if (shape.rank() < 2) {
      throw new IllegalArgumentException(
          "Orthogonal: the shape must have at least 2 axes, received " + shape);
    }
    int cols = shape.dim(shape.rank() - 1);
    int rows = shape.size() / Math.max(cols, 1);
    boolean flip = rows < cols;
    int n = flip ? cols : rows; // the long side
    int k = flip ? rows : cols; // vectors to orthonormalize, each of length n
    double[][] v = new double[k][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < k; j++) {
        v[j][i] = Gaussian.next(rng);
      }
    }
    for (int j = 0; j < k; j++) {
      for (int p = 0; p < j; p++) {
        double dot = 0;
        for (int i = 0; i < n; i++) {
          dot += v[j][i] * v[p][i];
        }
        for (int i = 0; i < n; i++) {
          v[j][i] -= dot * v[p][i];
        }
      }
      double norm = 0;
      for (int i = 0; i < n; i++) {
        norm += v[j][i] * v[j][i];
      }
      norm = Math.sqrt(norm);
      for (int i = 0; i < n; i++) {
        v[j][i] /= norm;
      }
    }
    float[] d = new float[rows * cols];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        d[r * cols + c] = (float) (gain * (flip ? v[r][c] : v[c][r]));
      }
    }
    return Tensor.of(d, shape);
  }

  /** Keras's Identity: {@code gain} on the diagonal of a rank-2 shape. */
  static Tensor identity(double gain, Shape shape, SplittableRandom rng) {
    if (shape.rank() != 2) {
      throw new IllegalArgumentException(
          "Identity: the shape must have 2 axes, received " + shape);
    }
    int cols = shape.dim(1);
    float[] d = new float[shape.size()];
    for (int i = 0; i < Math.min(shape.dim(0), cols); i++) {
      d[i * cols + i] = (float) gain;
    }
    return Tensor.of(d, shape);
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

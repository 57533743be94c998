package io.github.maxnorm.nn;

import static io.github.maxnorm.nn.NormConstraints.fmt;

import io.github.maxnorm.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.function.Function;

/**
 * The built-in weight constraints, their typed configs, and the registry that rebuilds them from a
 * {@link Config}.
 *
 * <table>
 *   <caption>Built-ins and their registered names</caption>
 *   <tr><th>class name</th><th>aliases</th><th>config keys</th></tr>
 *   <tr><td>MaxNorm</td><td>max_norm, maxnorm</td><td>max_value, axis, keras_formula</td></tr>
 *   <tr><td>MinMaxNorm</td><td>min_max_norm</td>
 *       <td>min_value, max_value, rate, axis, keras_formula</td></tr>
 *   <tr><td>UnitNorm</td><td>unit_norm</td><td>axis, keras_formula</td></tr>
 *   <tr><td>NonNeg</td><td>non_neg</td><td>(none)</td></tr>
 * </table>
 *
 * <p>The axis convention, the exact projection and Keras's formula are described in {@code
 * docs/constraints.md}. In short: {@code axis} lists the reduced axes; when it is not given the
 * parameter's unit axes are used; every slice whose norm is inside the allowed range is left
 * bit-for-bit unchanged, unless {@code keras_formula} is set.
 */
public final class Constraints {
  private static final Registry<Constraint> REGISTRY =
      Registry.<Constraint>empty("constraint")
          .with("MaxNorm", c -> MaxNormConfig.fromConfig(c).build(), "max_norm", "maxnorm")
          .with("MinMaxNorm", c -> MinMaxNormConfig.fromConfig(c).build(), "min_max_norm")
          .with("UnitNorm", c -> UnitNormConfig.fromConfig(c).build(), "unit_norm")
          .with("NonNeg", c -> NonNegConfig.fromConfig(c).build(), "non_neg");

  private Constraints() {}

  /** The registry of built-in constraints; extend it with {@link Registry#with}. */
  public static Registry<Constraint> registry() {
    return REGISTRY;
  }

  /** Builds a built-in constraint from its config (class name or alias). */
  public static Constraint fromConfig(Config config) {
    return REGISTRY.build(config);
  }

  /**
   * The config of a constraint made here.
   *
   * @throws IllegalArgumentException for a constraint made from a user function, which has none
   */
  public static Config toConfig(Constraint constraint) {
    if (constraint instanceof BuiltinConstraint b) {
      return b.config();
    }
    throw new IllegalArgumentException(
        "constraint " + constraint + " was not made by Constraints and has no config");
  }

  /** Slice norms at most {@code maxValue}, over the parameter's unit axes. */
  public static NormConstraint maxNorm(double maxValue) {
    return new MaxNormConfig(maxValue, ReducedAxes.unitDefault(), false).build();
  }

  /** Slice norms at most {@code maxValue}, reducing exactly {@code axis} (none: whole tensor). */
  public static NormConstraint maxNorm(double maxValue, int... axis) {
    return new MaxNormConfig(maxValue, ReducedAxes.of(axis.length == 0 ? null : axis), false)
        .build();
  }

  /** Slice norms moved into {@code [minValue, maxValue]} at {@code rate}, over the unit axes. */
  public static NormConstraint minMaxNorm(double minValue, double maxValue, double rate) {
    return new MinMaxNormConfig(minValue, maxValue, rate, ReducedAxes.unitDefault(), false).build();
  }

  /** MinMaxNorm reducing exactly {@code axis} (none: whole tensor). */
  public static NormConstraint minMaxNorm(
      double minValue, double maxValue, double rate, int... axis) {
    return new MinMaxNormConfig(
            minValue, maxValue, rate, ReducedAxes.of(axis.length == 0 ? null : axis), false)
        .build();
  }

  /** Slice norms equal to 1, over the parameter's unit axes. */
  public static NormConstraint unitNorm() {
    return new UnitNormConfig(ReducedAxes.unitDefault(), false).build();
  }

  /** Slice norms equal to 1, reducing exactly {@code axis} (none: whole tensor). */
  public static NormConstraint unitNorm(int... axis) {
    return new UnitNormConfig(ReducedAxes.of(axis.length == 0 ? null : axis), false).build();
  }

  /** Negative weights set to zero. */
  public static Constraint nonNeg() {
    return NonNeg.INSTANCE;
  }

  /**
   * A constraint from a user function. It must return a tensor of the same shape; it is applied
   * through a snapshot of the parameter and the result assigned back, so it may allocate freely.
   * Such a constraint has no config.
   */
  public static Constraint of(Function<Tensor, Tensor> fn) {
    if (fn == null) {
      throw new IllegalArgumentException("Constraints.of: function must not be null");
    }
    return new FunctionConstraint(fn);
  }

  // ------------------------------------------------------------------------------ configs

  /**
   * MaxNorm's arguments.
   *
   * @param maxValue the largest allowed slice norm, {@code >= 0} (Keras default 2)
   * @param axis the reduced axes
   * @param kerasFormula whether Keras's formula replaces exact projection
   */
  public record MaxNormConfig(double maxValue, ReducedAxes axis, boolean kerasFormula) {
    static final List<String> KEYS = List.of("max_value", "axis", "keras_formula");

    public MaxNormConfig {
      if (!(maxValue >= 0)) {
        throw new IllegalArgumentException(
            "MaxNorm: max_value must be >= 0, received " + fmt(maxValue));
      }
      if (axis == null) {
        throw new IllegalArgumentException("MaxNorm: axis must not be null (use ReducedAxes)");
      }
    }

    public static MaxNormConfig fromConfig(Config c) {
      c.requireKeys(KEYS);
      return new MaxNormConfig(
          c.getDouble("max_value", 2.0),
          ReducedAxes.fromConfig(c, "axis"),
          c.getBoolean("keras_formula", false));
    }

    public Config toConfig() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("max_value", maxValue);
      axis.writeTo(m, "axis");
      if (kerasFormula) {
        m.put("keras_formula", true);
      }
      return new Config("MaxNorm", m);
    }

    public NormConstraint build() {
      return new MaxNorm(this);
    }
  }

  /**
   * MinMaxNorm's arguments.
   *
   * @param minValue the smallest allowed slice norm (Keras default 0)
   * @param maxValue the largest allowed slice norm, {@code >= minValue} (Keras default 1)
   * @param rate how far toward the range a slice moves, in {@code [0, 1]} (Keras default 1)
   * @param axis the reduced axes
   * @param kerasFormula whether Keras's formula replaces exact projection
   */
  public record MinMaxNormConfig(
      double minValue, double maxValue, double rate, ReducedAxes axis, boolean kerasFormula) {
    static final List<String> KEYS = List.of("min_value", "max_value", "rate", "axis", "keras_formula");

    public MinMaxNormConfig {
      if (!(minValue >= 0)) {
        throw new IllegalArgumentException(
            "MinMaxNorm: min_value must be >= 0, received " + fmt(minValue));
      }
      if (!(minValue <= maxValue)) {
        throw new IllegalArgumentException(
            "MinMaxNorm: min_value must be <= max_value, received min_value=" + fmt(minValue)
                + ", max_value=" + fmt(maxValue));
      }
      if (!(rate >= 0 && rate <= 1)) {
        throw new IllegalArgumentException(
            "MinMaxNorm: rate must be in [0, 1], received " + fmt(rate));
      }
      if (axis == null) {
        throw new IllegalArgumentException("MinMaxNorm: axis must not be null (use ReducedAxes)");
      }
    }

    public static MinMaxNormConfig fromConfig(Config c) {
      c.requireKeys(KEYS);
      return new MinMaxNormConfig(
          c.getDouble("min_value", 0.0),
          c.getDouble("max_value", 1.0),
          c.getDouble("rate", 1.0),
          ReducedAxes.fromConfig(c, "axis"),
          c.getBoolean("keras_formula", false));
    }

    public Config toConfig() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("min_value", minValue);
      m.put("max_value", maxValue);
      m.put("rate", rate);
      axis.writeTo(m, "axis");
      if (kerasFormula) {
        m.put("keras_formula", true);
      }
      return new Config("MinMaxNorm", m);
    }

    public NormConstraint build() {
      return new MinMaxNorm(this);
    }
  }

  /**
   * UnitNorm's arguments.
   *
   * @param axis the reduced axes
   * @param kerasFormula whether Keras's formula replaces exact projection
   */
  public record UnitNormConfig(ReducedAxes axis, boolean kerasFormula) {
    static final List<String> KEYS = List.of("axis", "keras_formula");

    public UnitNormConfig {
      if (axis == null) {
        throw new IllegalArgumentException("UnitNorm: axis must not be null (use ReducedAxes)");
      }
    }

    public static UnitNormConfig fromConfig(Config c) {
      c.requireKeys(KEYS);
      return new UnitNormConfig(
          ReducedAxes.fromConfig(c, "axis"), c.getBoolean("keras_formula", false));
    }

    public Config toConfig() {
      Map<String, Object> m = new LinkedHashMap<>();
      axis.writeTo(m, "axis");
      if (kerasFormula) {
        m.put("keras_formula", true);
      }
      return new Config("UnitNorm", m);
    }

    public NormConstraint build() {
      return new UnitNorm(this);
    }
  }

  /** NonNeg's arguments: none. */
  public record NonNegConfig() {
    public static NonNegConfig fromConfig(Config c) {
      c.requireKeys(List.of());
      return new NonNegConfig();
    }

    public Config toConfig() {
      return Config.of("NonNeg");
    }

    public Constraint build() {
      return NonNeg.INSTANCE;
    }
  }
}

package io.github.maxnorm.nn.layers;

import io.github.maxnorm.nn.Config;
import io.github.maxnorm.nn.Constraint;
import io.github.maxnorm.nn.Constraints;
import io.github.maxnorm.nn.Initializer;
import io.github.maxnorm.nn.Initializers;
import io.github.maxnorm.nn.Parameter;
import io.github.maxnorm.nn.Regularizer;
import io.github.maxnorm.nn.Regularizers;
import io.github.maxnorm.tensor.Shape;
import io.github.maxnorm.tensor.Tensor;
import io.github.maxnorm.tensor.Variable;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The kernel and bias of a weighted layer (Dense, Conv2D): their initializers, regularizers and
 * constraints, Keras's config keys for them, and the parameters once built. Shared by composition.
 */
final class KernelBias {
  boolean useBias = true;
  Initializer kernelInitializer = Initializers.glorotUniform();
  Initializer biasInitializer = Initializers.zeros();
  Regularizer kernelRegularizer;
  Regularizer biasRegularizer;
  Constraint kernelConstraint;
  Constraint biasConstraint;
  private Parameter kernel;
  private Parameter bias;

  /**
   * Creates the parameters: kernel of {@code kernelShape} whose unit slices reduce
   * {@code unitAxes}, and a bias of {@code units} values.
   */
  void build(LayerSupport s, Shape kernelShape, int units, int[] unitAxes, SplittableRandom rng) {
    kernel =
        new Parameter(
            s.name(), "kernel",
            new Variable(s.name() + "/kernel", kernelInitializer.initialize(kernelShape, rng)),
            kernelConstraint, kernelRegularizer, unitAxes);
    s.add(kernel);
    if (useBias) {
      bias =
          new Parameter(
              s.name(), "bias",
              new Variable(s.name() + "/bias", biasInitializer.initialize(Shape.of(units), rng)),
              biasConstraint, biasRegularizer, new int[] {0});
      s.add(bias);
    }
  }

  /** The parameter shapes {@link #build} creates, by name, without allocating. */
  Map<String, Shape> shapes(Shape kernelShape, int units) {
    Map<String, Shape> m = new java.util.LinkedHashMap<>();
    m.put("kernel", kernelShape);
    if (useBias) {
      m.put("bias", Shape.of(units));
    }
    return m;
  }

  Tensor kernel() {
    return kernel.variable().value();
  }

  Tensor addBias(Tensor y) {
    return bias == null ? y : y.add(bias.variable().value());
  }

  /** Writes {@code use_bias} and the six component keys in Keras's order. */
  void writeConfig(Map<String, Object> m) {
    m.put("use_bias", useBias);
    m.put("kernel_initializer", LayerConfigs.nested(Initializers.toConfig(kernelInitializer)));
    m.put("bias_initializer", LayerConfigs.nested(Initializers.toConfig(biasInitializer)));
    m.put("kernel_regularizer",
        kernelRegularizer == null ? null : LayerConfigs.nested(Regularizers.toConfig(kernelRegularizer)));
    m.put("bias_regularizer",
        biasRegularizer == null ? null : LayerConfigs.nested(Regularizers.toConfig(biasRegularizer)));
    m.put("kernel_constraint",
        kernelConstraint == null ? null : LayerConfigs.nested(Constraints.toConfig(kernelConstraint)));
    m.put("bias_constraint",
        biasConstraint == null ? null : LayerConfigs.nested(Constraints.toConfig(biasConstraint)));
  }

  /** Reads what {@link #writeConfig} writes; absent keys keep the defaults. */
  void readConfig(Config c) {
    if (c.get("activity_regularizer") != null) {
      throw new IllegalArgumentException(c.className() + ": activity_regularizer is not supported");
    }
    useBias = c.getBoolean("use_bias", true);
    Config ki = LayerConfigs.component(c, "kernel_initializer");
    if (ki != null) {
      kernelInitializer = Initializers.fromConfig(ki);
    }
    Config bi = LayerConfigs.component(c, "bias_initializer");
    if (bi != null) {
      biasInitializer = Initializers.fromConfig(bi);
    }
    Config kr = LayerConfigs.component(c, "kernel_regularizer");
    kernelRegularizer = kr == null ? null : Regularizers.fromConfig(kr);
    Config br = LayerConfigs.component(c, "bias_regularizer");
    biasRegularizer = br == null ? null : Regularizers.fromConfig(br);
    Config kc = LayerConfigs.component(c, "kernel_constraint");
    kernelConstraint = kc == null ? null : Constraints.fromConfig(kc);
    Config bc = LayerConfigs.component(c, "bias_constraint");
    biasConstraint = bc == null ? null : Constraints.fromConfig(bc);
  }
}

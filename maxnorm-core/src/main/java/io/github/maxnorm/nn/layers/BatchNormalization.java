package io.github.maxnorm.nn.layers;

import io.github.maxnorm.nn.Config;
import io.github.maxnorm.nn.ForwardContext;
import io.github.maxnorm.nn.Initializer;
import io.github.maxnorm.nn.Initializers;
import io.github.maxnorm.nn.Parameter;
import io.github.maxnorm.tensor.Shape;
import io.github.maxnorm.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * Batch normalization with Keras's rules. In training each batch is normalized by its own mean and
 * biased variance over every axis but the feature {@code axis} (default -1, the channels of a
 * channels-last image), and the non-trainable {@code moving_mean} and {@code moving_variance} move
 * towards them: {@code moving = moving * momentum + batch * (1 - momentum)}, momentum 0.99 by
 * default (PyTorch's momentum 0.01), the variance biased too (PyTorch keeps the unbiased one). At
 * inference, and in training when the layer is frozen ({@code trainable(false)}, as in Keras 2 on
 * TensorFlow 2 and Keras 3), the moving statistics are used. Weights, in Keras's order: gamma,
 * beta, moving_mean, moving_variance; epsilon 1e-3.
 */
public final class BatchNormalization extends Normalizing<BatchNormalization> {
  private double momentum = 0.99;
  private Initializer movingMeanInitializer = Initializers.zeros();
  private Initializer movingVarianceInitializer = Initializers.ones();
  private Parameter movingMean;
  private Parameter movingVariance;

  public BatchNormalization() {
    this(-1);
  }

  public BatchNormalization(int axis) {
    super("BatchNormalization", axis);
  }

  public BatchNormalization momentum(double m) {
    requireUnbuilt();
    if (!(m >= 0 && m <= 1)) {
      throw new IllegalArgumentException(
          "BatchNormalization: momentum must be in [0, 1], received " + m);
    }
    momentum = m;
    return this;
  }

  public double momentum() {
    return momentum;
  }

  @Override
  protected void createWeights(List<Shape> in, WeightSink sink) {
    declareGammaBeta(sink, in.get(0));
    Shape p = axes.paramShape(in.get(0));
    int[] all = new int[p.rank()];
    for (int i = 0; i < all.length; i++) {
      all[i] = i;
    }
    movingMean = sink.add("moving_mean", p, movingMeanInitializer, null, null, all, false);
    movingVariance =
        sink.add("moving_variance", p, movingVarianceInitializer, null, null, all, false);
  }

  @Override
  protected Tensor call(Tensor x, ForwardContext ctx) {
    Shape in = inputShapes().get(0);
    int axis = axes.sampleAxes(in)[0] + 1;
    int last = x.rank() - 1;
    // the arithmetic runs with the features on the last axis
    Tensor t = axis == last ? x : x.permute(swap(x.rank(), axis, last));
    int c = in.dim(axis - 1);
    Tensor gamma = gammaWeight != null ? value(gammaWeight) : Tensor.ones(c);
    Tensor beta = betaWeight != null ? value(betaWeight) : Tensor.zeros(c);
    Tensor y;
    if (!ctx.training() || !trainable()) {
      // y = x * scale + (beta - moving_mean * scale), scale = gamma / sqrt(moving_variance + eps)
      Tensor scale = gamma.div(movingVariance.variable().constant()
          .add(Tensor.scalar((float) epsilon)).sqrt());
      y = t.mul(scale).add(beta.sub(movingMean.variable().constant().mul(scale)));
    } else {
      float[] mean = new float[c];
      float[] var = new float[c];
      y = t.batchNorm(gamma, beta, epsilon, mean, var);
      update(movingMean, mean);
      update(movingVariance, var);
    }
    return axis == last ? y : y.permute(swap(x.rank(), axis, last));
  }

  private static int[] swap(int rank, int a, int b) {
    int[] p = new int[rank];
    for (int i = 0; i < rank; i++) {
      p[i] = i == a ? b : i == b ? a : i;
    }
    return p;
  }

  /** {@code moving -= (moving - batch) * (1 - momentum)}, in float, as Keras assigns it. */
  private void update(Parameter moving, float[] batch) {
    float[] m = moving.variable().data();
    float decay = (float) (1.0 - momentum);
    for (int i = 0; i < m.length; i++) {
      m[i] -= (m[i] - batch[i]) * decay;
    }
  }

  @Override
  protected void writeConfig(Map<String, Object> m) {
    writeNormConfig(m);
    m.put("momentum", momentum);
    m.put("moving_mean_initializer",
        LayerConfigs.nested(Initializers.toConfig(movingMeanInitializer)));
    m.put("moving_variance_initializer",
        LayerConfigs.nested(Initializers.toConfig(movingVarianceInitializer)));
  }

  static BatchNormalization fromConfig(Config config) {
    LayerConfig c = new LayerConfig(config);
    int[] axes = FeatureAxes.read(c);
    if (axes.length != 1) {
      throw new IllegalArgumentException(
          "BatchNormalization: one axis is supported, received " + java.util.Arrays.toString(axes));
    }
    BatchNormalization b = new BatchNormalization(axes[0]).readNormConfig(c)
        .momentum(c.number("momentum", 0.99));
    Config mm = c.component("moving_mean_initializer");
    if (mm != null) {
      b.movingMeanInitializer = Initializers.fromConfig(mm);
    }
    Config mv = c.component("moving_variance_initializer");
    if (mv != null) {
      b.movingVarianceInitializer = Initializers.fromConfig(mv);
    }
    if (c.bool("renorm", false)) {
      throw new IllegalArgumentException("BatchNormalization: renorm is not supported");
    }
    c.requireNull("virtual_batch_size", "is not supported");
    c.requireNull("adjustment", "is not supported");
    c.raw("renorm_clipping");
    c.raw("renorm_momentum");
    c.raw("fused");
    c.raw("synchronized");
    return c.finish(b);
  }
}

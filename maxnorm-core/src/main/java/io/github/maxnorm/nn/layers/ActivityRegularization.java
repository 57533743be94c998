package io.github.maxnorm.nn.layers;

import io.github.maxnorm.nn.Config;
import io.github.maxnorm.nn.ForwardContext;
import io.github.maxnorm.nn.Regularizer;
import io.github.maxnorm.nn.Regularizers;
import io.github.maxnorm.tensor.Tensor;
import java.util.Map;

/**
 * The identity, adding {@code (l1 sum|x| + l2 sum x^2) / batch} of its input to the training loss
 * (as tf.keras divides activity penalties by the batch size).
 */
public final class ActivityRegularization extends BaseLayer<ActivityRegularization> {
  private final double l1;
  private final double l2;
  private final Regularizer penalty;

  public ActivityRegularization(double l1, double l2) {
    super("ActivityRegularization");
    if (!(l1 >= 0) || !(l2 >= 0)) {
      throw new IllegalArgumentException(
          "ActivityRegularization: l1 and l2 must be >= 0, received " + l1 + " and " + l2);
    }
    this.l1 = l1;
    this.l2 = l2;
    this.penalty = Regularizers.l1l2(l1, l2);
  }

  @Override
  protected Tensor call(Tensor x, ForwardContext ctx) {
    if (ctx.losses() != null) {
      ctx.addLoss(penalty.penalty(x).mul(Tensor.scalar(1f / Math.max(x.shape().dim(0), 1))));
    }
    return x;
  }

  @Override
  protected void writeConfig(Map<String, Object> m) {
    m.put("l1", l1);
    m.put("l2", l2);
  }

  static ActivityRegularization fromConfig(Config config) {
    LayerConfig c = new LayerConfig(config);
    return c.finish(new ActivityRegularization(c.number("l1", 0), c.number("l2", 0)));
  }
}

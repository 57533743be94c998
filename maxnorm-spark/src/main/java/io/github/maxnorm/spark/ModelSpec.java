package io.github.maxnorm.spark;

import io.github.maxnorm.losses.Losses;
import io.github.maxnorm.metrics.Metric;
import io.github.maxnorm.model.ModelIO;
import io.github.maxnorm.model.Sequential;
import io.github.maxnorm.nn.Config;
import io.github.maxnorm.optim.Optimizers;
import io.github.maxnorm.tensor.Shape;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * What a replica needs to rebuild a compiled model on an executor, as data: the model's Keras-form
 * config, its per-sample input shape and its compile settings (optimizer, loss, metrics), all as
 * JSON text. Weights and optimizer state travel separately, every round.
 *
 * @param modelConfig the model config ({@link ModelIO#config}) as JSON
 * @param inputShape the per-sample input shape; copied in and out
 * @param optimizer the optimizer config as JSON
 * @param loss the loss config as JSON
 * @param metrics the metric names
 */
public record ModelSpec(
    String modelConfig, int[] inputShape, String optimizer, String loss, List<String> metrics)
    implements Serializable {

  public ModelSpec {
    if (modelConfig == null || optimizer == null || loss == null) {
      throw new IllegalArgumentException("ModelSpec: model config, optimizer and loss are required");
    }
    if (inputShape == null || inputShape.length == 0) {
      throw new IllegalArgumentException("ModelSpec: the input shape must have rank >= 1");
    }
    inputShape = inputShape.clone();
    Shape.of(inputShape);
    metrics = List.copyOf(metrics == null ? List.of() : metrics);
  }

  @Override
  public int[] inputShape() {
    return inputShape.clone();
  }

  /**
   * The spec of a compiled, built model.
   *
   * @throws IllegalArgumentException when the model is not compiled or not built
   */
  public static ModelSpec of(Sequential m) {
    if (m == null || !m.compiled() || !m.built()) {
      throw new IllegalArgumentException(
          "ModelSpec: the model must be compiled and built, received "
              + (m == null ? "null" : (m.compiled() ? "" : "not compiled ")
                  + (m.built() ? "" : "not built")));
    }
    List<String> metrics = new ArrayList<>();
    for (Metric x : m.metrics()) {
      metrics.add(x.name());
    }
    return new ModelSpec(
        ModelIO.config(m).toJsonString(),
        m.inputShape().dims(),
        m.optimizer().config().config().toJsonString(),
        m.loss().config().toJsonString(),
        metrics);
  }

  /**
   * A new model from this spec: built (with placeholder weights drawn from a fixed seed, to be
   * overwritten) and compiled with a fresh optimizer.
   */
  public Sequential create() {
    Sequential m = ModelIO.fromConfig(Config.fromJson(modelConfig));
    m.build(Shape.of(inputShape), new SplittableRandom(0));
    m.compile(Optimizers.fromConfig(Config.fromJson(optimizer)),
        Losses.fromConfig(Config.fromJson(loss)), metrics.toArray(String[]::new));
    return m;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ModelSpec s && modelConfig.equals(s.modelConfig)
        && java.util.Arrays.equals(inputShape, s.inputShape) && optimizer.equals(s.optimizer)
        && loss.equals(s.loss) && metrics.equals(s.metrics);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(modelConfig, java.util.Arrays.hashCode(inputShape), optimizer,
        loss, metrics);
  }

  @Override
  public String toString() {
    return "ModelSpec(" + modelConfig + ", input " + java.util.Arrays.toString(inputShape) + ", "
        + optimizer + ", " + loss + ", " + metrics + ")";
  }

  /** The number of values in one sample. */
  public int sampleSize() {
    return Shape.of(inputShape).size();
  }
}

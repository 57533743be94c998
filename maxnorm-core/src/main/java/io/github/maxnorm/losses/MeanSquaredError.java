package io.github.maxnorm.losses;

import io.github.maxnorm.nn.Config;
import io.github.maxnorm.tensor.Tensor;
import java.util.Map;

/** Mean squared error against the one-hot targets, averaged over all outputs. */
public record MeanSquaredError() implements Loss {
  @Override
  public Tensor compute(Tensor output, int[] labels) {
    Targets.check("MeanSquaredError", output, labels);
    return output.sub(Targets.oneHot(labels, output.shape().dim(1))).square().mean();
  }

  @Override
  public Config config() {
    return new Config("MeanSquaredError", Map.of());
  }
}

package io.github.maxnorm.losses;

import io.github.maxnorm.nn.Config;
import io.github.maxnorm.tensor.Tensor;
import java.util.Map;

/**
 * Cross-entropy against one-hot targets (made from the labels). From probabilities, as Keras, the
 * output is clipped to {@code [1e-7, 1 - 1e-7]} before the log; from logits it is the fused, stable
 * softmax cross-entropy.
 *
 * @param fromLogits whether the output is logits rather than probabilities
 * @param sparse whether this is the {@code sparse_} variant (same arithmetic, different name)
 */
public record CategoricalCrossentropy(boolean fromLogits, boolean sparse) implements Loss {
  static final float EPSILON = 1e-7f;

  @Override
  public Tensor compute(Tensor output, int[] labels) {
    String name = config().className();
    Targets.check(name, output, labels);
    if (fromLogits) {
      return output.softmaxCrossEntropy(labels);
    }
    int n = labels.length;
    int c = output.shape().dim(1);
    Tensor logp = output.clip(EPSILON, 1f - EPSILON).log();
    return logp.mul(Targets.oneHot(labels, c)).sum().mul(Tensor.scalar(-1f / n));
  }

  @Override
  public Config config() {
    return new Config(
        sparse ? "SparseCategoricalCrossentropy" : "CategoricalCrossentropy",
        Map.of("from_logits", fromLogits));
  }
}

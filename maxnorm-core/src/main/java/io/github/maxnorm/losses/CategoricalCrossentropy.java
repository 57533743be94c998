package io.github.maxnorm.losses;

import io.github.maxnorm.nn.Config;
import io.github.maxnorm.tensor.Tensor;
import java.util.Map;

/**
 * Cross-entropy against class labels or target rows (one-hot or probabilities), on outputs
 * {@code [batch, classes]}. From logits it is the fused, stable softmax cross-entropy. From
 * probabilities: when the output was computed as a softmax of logits (whatever layer did it), the
 * loss is computed from those logits by the same fused formula, as Keras does for a softmax
 * output; otherwise the output is clipped to {@code [1e-7, 1 - 1e-7]} before the log.
 *
 * @param fromLogits whether the output is logits rather than probabilities
 * @param sparse whether this is the {@code sparse_} variant (Keras's name for class-label targets;
 *     both variants accept either form of target)
 */
public record CategoricalCrossentropy(boolean fromLogits, boolean sparse) implements Loss {
  static final float EPSILON = 1e-7f;

  @Override
  public Tensor compute(Tensor output, Tensor targets) {
    String name = config().className();
    Tensor logits = fromLogits ? output : output.softmaxLogits();
    if (Targets.areLabels(output, targets)) {
      int[] labels = Targets.labels(name, output, targets);
      if (logits != null) {
        return logits.softmaxCrossEntropy(labels);
      }
      return clipped(output, Targets.oneHot(labels, output.shape().dim(1)), labels.length);
    }
    Tensor t = Targets.dense(name, output, targets);
    if (output.rank() != 2) {
      throw new IllegalArgumentException(
          name + " expects output of shape [batch, classes], received " + output.shape());
    }
    return logits != null ? logits.softmaxCrossEntropy(t) : clipped(output, t, t.shape().dim(0));
  }

  private static Tensor clipped(Tensor output, Tensor t, int n) {
    Tensor logp = output.clip(EPSILON, 1f - EPSILON).log();
    return logp.mul(t).sum().mul(Tensor.scalar(-1f / n));
  }

  @Override
  public Config config() {
    return new Config(
        sparse ? "SparseCategoricalCrossentropy" : "CategoricalCrossentropy",
        Map.of("from_logits", fromLogits));
  }
}

package io.github.maxnorm.metrics;

import io.github.maxnorm.losses.Targets;
import io.github.maxnorm.tensor.Tensor;

/**
 * The fraction of samples predicted right, as Keras resolves {@code accuracy}: with class labels,
 * whether the arg-max of the output row (the first on ties) equals the label, or for a single
 * output column whether {@code output > 0.5} matches the 0/1 label; with target rows, whether the
 * arg-max of the output equals the arg-max of the target.
 *
 * @param name the reported name: accuracy, categorical_accuracy or sparse_categorical_accuracy
 */
public record Accuracy(String name) implements Metric {
  public Accuracy {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("Accuracy: name must not be empty");
    }
  }

  @Override
  public double batchSum(Tensor output, Tensor targets) {
    int[] pred = Metrics.predictedClasses(output);
    int[] want = Targets.areLabels(output, targets) ? Targets.labels(name, output, targets)
        : Metrics.predictedClasses(Targets.dense(name, output, targets));
    if (pred.length != want.length) {
      throw new IllegalArgumentException(
          name + ": " + want.length + " targets for a batch of " + pred.length);
    }
    int correct = 0;
    for (int i = 0; i < pred.length; i++) {
      if (pred[i] == want[i]) {
        correct++;
      }
    }
    return correct;
  }
}

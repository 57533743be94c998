package io.github.maxnorm.metrics;

import io.github.maxnorm.tensor.Tensor;

/**
 * The fraction of samples whose predicted class equals the label: the arg-max of the output row
 * (the first on ties), or for a single output column {@code output > 0.5}.
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
  public double batchSum(Tensor output, int[] labels) {
    int[] pred = Metrics.predictedClasses(output);
    if (pred.length != labels.length) {
      throw new IllegalArgumentException(
          name + ": " + labels.length + " labels for a batch of " + pred.length);
    }
    int correct = 0;
    for (int i = 0; i < pred.length; i++) {
      if (pred[i] == labels[i]) {
        correct++;
      }
    }
    return correct;
  }
}

package io.github.maxnorm.data;

/**
 * A data set cut into a training part and a validation part (see {@link Dataset#split}).
 *
 * @param train the samples used for fitting
 * @param validation the held-out samples
 */
public record Split(Dataset train, Dataset validation) {

  public Split {
    if (train == null || validation == null) {
      throw new IllegalArgumentException("Split: train and validation must not be null");
    }
  }
}

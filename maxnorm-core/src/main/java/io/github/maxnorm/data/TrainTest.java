package io.github.maxnorm.data;

/**
 * A training set and a test set of the same kind of samples.
 *
 * @param train the training samples
 * @param test the test samples; same sample shape and number of classes as {@code train}
 */
public record TrainTest(Dataset train, Dataset test) {

  public TrainTest {
    if (train == null || test == null) {
      throw new IllegalArgumentException("TrainTest: train and test must not be null");
    }
    if (!train.sampleShape().equals(test.sampleShape())) {
      throw new IllegalArgumentException(
          "TrainTest: train samples have shape " + train.sampleShape()
              + " but test samples have shape " + test.sampleShape());
    }
    if (train.numClasses() != test.numClasses()) {
      throw new IllegalArgumentException(
          "TrainTest: train has " + train.numClasses() + " classes but test has "
              + test.numClasses());
    }
  }
}

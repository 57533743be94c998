package io.github.maxnorm.spark;

import java.io.Serializable;
import java.util.Arrays;

/**
 * One training sample: its values, flattened row-major to the model's per-sample input shape, and
 * its class label. The element type of the {@code JavaRDD} that {@link DataParallelTrainer} trains
 * on.
 *
 * @param features the sample's values; copied in and out
 * @param label the class, in {@code [0, classes)}
 */
public record LabeledSample(float[] features, int label) implements Serializable {

  public LabeledSample {
    if (features == null || features.length == 0) {
      throw new IllegalArgumentException("LabeledSample: features must not be empty");
    }
    if (label < 0) {
      throw new IllegalArgumentException("LabeledSample: label must be >= 0, received " + label);
    }
    features = features.clone();
  }

  @Override
  public float[] features() {
    return features.clone();
  }

  /** The number of values. */
  public int size() {
    return features.length;
  }

  /** Copies the values into {@code dst} at {@code offset}. */
  void copyTo(float[] dst, int offset) {
    System.arraycopy(features, 0, dst, offset, features.length);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LabeledSample s && s.label == label && Arrays.equals(s.features, features);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(features) + label;
  }

  @Override
  public String toString() {
    return "LabeledSample(" + features.length + " values, label " + label + ")";
  }
}

package io.github.maxnorm.data;

import io.github.maxnorm.tensor.Shape;
import io.github.maxnorm.tensor.Tensor;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * An in-memory data set: {@link #size()} samples of one shape, each with an integer class label in
 * {@code [0, numClasses)} or, for regression and soft targets, a float target of one per-sample
 * {@link #targetShape()}.
 *
 * <p>Samples are stored either as unsigned bytes (images read from IDX or CIFAR files; converted
 * per batch to floats {@code pixel / 255f} in {@code [0, 1]}) or as floats (CSV data, passed on
 * unchanged). The sample shape has no batch axis: {@code [28, 28, 1]} for MNIST, {@code [32, 32,
 * 3]} for CIFAR-10 (channels last), {@code [features]} for CSV.
 *
 * <p>Instances are immutable; every operation that selects samples returns a new data set holding
 * copies of them.
 */
public final class Dataset {

  private final Shape sampleShape;
  private final int sampleSize;
  private final byte[] bytes;
  private final float[] floats;
  private final int[] labels;
  private final int numClasses;
  private final float[] targets;
  private final Shape targetShape;
  private final int size;

  private Dataset(Shape sampleShape, byte[] bytes, float[] floats, int[] labels, int numClasses) {
    this(sampleShape, bytes, floats, labels, numClasses, null, null);
  }

  private Dataset(Shape sampleShape, byte[] bytes, float[] floats, int[] labels, int numClasses,
      float[] targets, Shape targetShape) {
    this.sampleShape = sampleShape;
    this.sampleSize = sampleShape.size();
    this.bytes = bytes;
    this.floats = floats;
    this.labels = labels;
    this.numClasses = numClasses;
    this.targets = targets;
    this.targetShape = targetShape;
    this.size = labels != null ? labels.length : targets.length / Math.max(targetShape.size(), 1);
  }

  // ------------------------------------------------------------------------------- creation

  /**
   * A data set of unsigned-byte samples (copied), scaled to {@code [0, 1]} when batched.
   *
   * @param sampleShape the shape of one sample, without batch axis
   * @param pixels {@code labels.length * product(sampleShape)} bytes, sample after sample
   * @param labels the class of each sample
   * @param numClasses the number of classes; every label must be in {@code [0, numClasses)}
   */
  public static Dataset ofBytes(int[] sampleShape, byte[] pixels, int[] labels, int numClasses) {
    if (pixels == null) {
      throw new IllegalArgumentException("Dataset: pixels must not be null");
    }
    return wrapBytes(sampleShape, pixels.clone(), labels == null ? null : labels.clone(),
        numClasses);
  }

  /**
   * A data set of float samples (copied), passed on unchanged when batched.
   *
   * @param sampleShape the shape of one sample, without batch axis
   * @param values {@code labels.length * product(sampleShape)} finite values, sample after sample
   * @param labels the class of each sample
   * @param numClasses the number of classes; every label must be in {@code [0, numClasses)}
   */
  public static Dataset ofFloats(int[] sampleShape, float[] values, int[] labels, int numClasses) {
    if (values == null) {
      throw new IllegalArgumentException("Dataset: values must not be null");
    }
    return wrapFloats(sampleShape, values.clone(), labels == null ? null : labels.clone(),
        numClasses);
  }

  /**
   * A data set of float samples with float targets (copied): real values for regression, or
   * one-hot or probability rows; passed on unchanged when batched.
   *
   * @param sampleShape the shape of one sample, without batch axis
   * @param values {@code n * product(sampleShape)} finite values, sample after sample
   * @param targetShape the shape of one target, without batch axis ({@code {}} for a scalar)
   * @param targets {@code n * product(targetShape)} finite values, target after target
   */
  public static Dataset ofTargets(
      int[] sampleShape, float[] values, int[] targetShape, float[] targets) {
    if (values == null || targets == null || targetShape == null) {
      throw new IllegalArgumentException("Dataset: values, targets and targetShape are required");
    }
    Shape s = checkShape(sampleShape);
    Shape t = new Shape(targetShape);
    if (t.size() < 1 || targets.length % t.size() != 0 || targets.length == 0) {
      throw new IllegalArgumentException(
          "Dataset: " + targets.length + " target values do not make whole targets of shape " + t);
    }
    int n = targets.length / t.size();
    checkLength(values.length, s, n, "values");
    checkFinite("values", values, s.size());
    checkFinite("targets", targets, t.size());
    return new Dataset(s, null, values.clone(), null, 0, targets.clone(), t);
  }

  private static void checkFinite(String what, float[] v, int per) {
    for (int i = 0; i < v.length; i++) {
      if (!Float.isFinite(v[i])) {
        throw new IllegalArgumentException(
            "Dataset: " + what + " must be finite, received " + v[i] + " at index " + i
                + " (sample " + i / per + ")");
      }
    }
  }

  /** As {@link #ofBytes} without copying the arrays; the caller hands them over. */
  static Dataset wrapBytes(int[] sampleShape, byte[] pixels, int[] labels, int numClasses) {
    Shape s = checkShape(sampleShape);
    checkLabels(labels, numClasses);
    checkLength(pixels.length, s, labels.length, "pixels");
    return new Dataset(s, pixels, null, labels, numClasses);
  }

  /** As {@link #ofFloats} without copying the arrays; the caller hands them over. */
  static Dataset wrapFloats(int[] sampleShape, float[] values, int[] labels, int numClasses) {
    Shape s = checkShape(sampleShape);
    checkLabels(labels, numClasses);
    checkLength(values.length, s, labels.length, "values");
    checkFinite("values", values, s.size());
    return new Dataset(s, null, values, labels, numClasses);
  }

  private static Shape checkShape(int[] sampleShape) {
    if (sampleShape == null || sampleShape.length == 0) {
      throw new IllegalArgumentException(
          "Dataset: sample shape must have rank >= 1, received "
              + (sampleShape == null ? "null" : Arrays.toString(sampleShape)));
    }
    for (int d : sampleShape) {
      if (d < 1) {
        throw new IllegalArgumentException(
            "Dataset: sample dimensions must be >= 1, received " + Arrays.toString(sampleShape));
      }
    }
    return new Shape(sampleShape);
  }

  private static void checkLabels(int[] labels, int numClasses) {
    if (labels == null) {
      throw new IllegalArgumentException("Dataset: labels must not be null");
    }
    if (labels.length == 0) {
      throw new IllegalArgumentException("Dataset: must hold at least one sample, received 0");
    }
    if (numClasses < 1) {
      throw new IllegalArgumentException(
          "Dataset: numClasses must be >= 1, received " + numClasses);
    }
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= numClasses) {
        throw new IllegalArgumentException(
            "Dataset: label " + labels[i] + " of sample " + i + " is outside [0, " + numClasses
                + ")");
      }
    }
  }

  private static void checkLength(int length, Shape s, int n, String what) {
    if ((long) n * s.size() != length) {
      throw new IllegalArgumentException(
          "Dataset: " + n + " samples of shape " + s + " need " + (long) n * s.size() + " "
              + what + ", received " + length);
    }
  }

  // ------------------------------------------------------------------------------- access

  /** The number of samples (at least 1). */
  public int size() {
    return size;
  }

  /** Whether the targets are integer class labels (else float targets). */
  public boolean hasLabels() {
    return labels != null;
  }

  /** The shape of one target: {@code []} for class labels. */
  public Shape targetShape() {
    return labels != null ? Shape.of() : targetShape;
  }

  /** The shape of one sample, without batch axis. */
  public Shape sampleShape() {
    return sampleShape;
  }

  /** The number of classes; labels lie in {@code [0, numClasses)}; 0 for float targets. */
  public int numClasses() {
    return numClasses;
  }

  /** Whether samples are stored as unsigned bytes (scaled by 1/255 when batched). */
  public boolean storesBytes() {
    return bytes != null;
  }

  /** The label of every sample (a copy). */
  public int[] labels() {
    requireLabels("labels");
    return labels.clone();
  }

  /** The label of sample {@code index}. */
  public int label(int index) {
    requireLabels("label");
    checkIndex(index);
    return labels[index];
  }

  private void requireLabels(String what) {
    if (labels == null) {
      throw new IllegalStateException(
          what + ": this data set has float targets of shape " + targetShape + ", not labels");
    }
  }

  /** How many samples carry each label: an array of length {@link #numClasses()}. */
  public int[] classCounts() {
    requireLabels("classCounts");
    int[] c = new int[numClasses];
    for (int l : labels) {
      c[l]++;
    }
    return c;
  }

  /** The number of bytes the sample storage and labels occupy. */
  public long storageBytes() {
    long data = bytes != null ? bytes.length : 4L * floats.length;
    return data + 4L * (labels != null ? labels.length : targets.length);
  }

  // ------------------------------------------------------------------------------- batching

  /**
   * The samples at {@code indices} (repeats allowed) as a batch: {@code x} of shape {@code [b,
   * ...sampleShape]} (bytes scaled by 1/255) and their labels.
   */
  public Batch batch(int[] indices) {
    checkIndices(indices, "batch");
    int b = indices.length;
    if ((long) b * sampleSize > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "batch: " + b + " samples of shape " + sampleShape + " exceed the largest array");
    }
    float[] x = new float[b * sampleSize];
    for (int k = 0; k < b; k++) {
      int src = indices[k] * sampleSize;
      int dst = k * sampleSize;
      if (bytes != null) {
        for (int j = 0; j < sampleSize; j++) {
          x[dst + j] = (bytes[src + j] & 0xFF) / 255f;
        }
      } else {
        System.arraycopy(floats, src, x, dst, sampleSize);
      }
    }
    if (labels == null) {
      int t = targetShape.size();
      float[] y = new float[b * t];
      for (int k = 0; k < b; k++) {
        System.arraycopy(targets, indices[k] * t, y, k * t, t);
      }
      int[] d = targetShape.dims();
      int[] shape = new int[d.length + 1];
      shape[0] = b;
      System.arraycopy(d, 0, shape, 1, d.length);
      return new Batch(Tensor.of(x, batchShape(b)), Tensor.of(y, shape));
    }
    int[] y = new int[b];
    for (int k = 0; k < b; k++) {
      y[k] = labels[indices[k]];
    }
    return new Batch(Tensor.of(x, batchShape(b)), y);
  }

  /** All samples, in order, as one batch. */
  public Batch all() {
    return batch(range(0, size()));
  }

  /** A new data set of the samples at {@code indices} (repeats allowed), in that order. */
  public Dataset subset(int[] indices) {
    checkIndices(indices, "subset");
    if ((long) indices.length * sampleSize > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "subset: " + indices.length + " samples of shape " + sampleShape
              + " exceed the largest array");
    }
    int[] y = null;
    float[] t = null;
    if (labels != null) {
      y = new int[indices.length];
      for (int k = 0; k < indices.length; k++) {
        y[k] = labels[indices[k]];
      }
    } else {
      int ts = targetShape.size();
      t = new float[indices.length * ts];
      for (int k = 0; k < indices.length; k++) {
        System.arraycopy(targets, indices[k] * ts, t, k * ts, ts);
      }
    }
    if (bytes != null) {
      byte[] d = new byte[indices.length * sampleSize];
      for (int k = 0; k < indices.length; k++) {
        System.arraycopy(bytes, indices[k] * sampleSize, d, k * sampleSize, sampleSize);
      }
      return new Dataset(sampleShape, d, null, y, numClasses, t, targetShape);
    }
    float[] d = new float[indices.length * sampleSize];
    for (int k = 0; k < indices.length; k++) {
      System.arraycopy(floats, indices[k] * sampleSize, d, k * sampleSize, sampleSize);
    }
    return new Dataset(sampleShape, null, d, y, numClasses, t, targetShape);
  }

  /**
   * A uniformly random permutation of {@code [0, size())} by the Fisher-Yates shuffle: starting
   * from the identity, for {@code i} from {@code size()-1} down to 1, swap entry {@code i} with
   * entry {@code rng.nextInt(i + 1)}. The same seed gives the same permutation.
   */
  public int[] permutation(SplittableRandom rng) {
    if (rng == null) {
      throw new IllegalArgumentException("permutation: rng must not be null");
    }
    int[] p = range(0, size());
    for (int i = p.length - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }

  /**
   * Splits off the last {@code validationFraction} of the samples, in stored order (before any
   * shuffling), as Keras's {@code validation_split} does: the training part is the first {@code
   * floor(size * (1 - validationFraction))} samples, the validation part the rest.
   *
   * @throws IllegalArgumentException if the fraction is not in {@code (0, 1)} or either part would
   *     be empty
   */
  public Split split(double validationFraction) {
    if (!(validationFraction > 0 && validationFraction < 1)) {
      throw new IllegalArgumentException(
          "split: validationFraction must be in (0, 1), received " + validationFraction);
    }
    int n = size();
    int splitAt = (int) Math.floor(n * (1.0 - validationFraction));
    if (splitAt < 1 || splitAt >= n) {
      throw new IllegalArgumentException(
          "split: " + n + " samples cannot be split with validationFraction "
              + validationFraction + " (training part " + splitAt + ", validation part "
              + (n - splitAt) + "); both must be non-empty");
    }
    return new Split(subset(range(0, splitAt)), subset(range(splitAt, n)));
  }

  /** Batches of {@code batchSize} samples in stored order (last batch may be smaller). */
  public Batches batches(int batchSize) {
    return batches(batchSize, range(0, size()));
  }

  /** Batches of {@code batchSize} samples in the order of {@link #permutation(SplittableRandom)}. */
  public Batches batches(int batchSize, SplittableRandom rng) {
    return batches(batchSize, permutation(rng));
  }

  /**
   * Batches of {@code batchSize} samples taken from {@code order} (a copy), front to back; the
   * last batch holds the remainder and may be smaller.
   */
  public Batches batches(int batchSize, int[] order) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batches: batch size must be >= 1, received " + batchSize);
    }
    checkIndices(order, "batches");
    return new Batches(this, batchSize, order.clone());
  }

  @Override
  public String toString() {
    return "Dataset[" + size() + " samples of shape " + sampleShape + ", "
        + (labels != null ? numClasses + " classes" : "targets of shape " + targetShape) + ", "
        + (bytes != null ? "bytes" : "floats") + "]";
  }

  // ------------------------------------------------------------------------------- helpers

  int[] batchShape(int b) {
    int[] d = sampleShape.dims();
    int[] s = new int[d.length + 1];
    s[0] = b;
    System.arraycopy(d, 0, s, 1, d.length);
    return s;
  }

  private void checkIndex(int index) {
    if (index < 0 || index >= size()) {
      throw new IllegalArgumentException(
          "index " + index + " is outside [0, " + size() + ")");
    }
  }

  private void checkIndices(int[] indices, String op) {
    if (indices == null) {
      throw new IllegalArgumentException(op + ": indices must not be null");
    }
    if (indices.length == 0) {
      throw new IllegalArgumentException(op + ": indices must not be empty");
    }
    for (int k = 0; k < indices.length; k++) {
      int i = indices[k];
      if (i < 0 || i >= size()) {
        throw new IllegalArgumentException(
            op + ": index " + i + " at position " + k + " is outside [0, " + size() + ")");
      }
    }
  }

  static int[] range(int from, int to) {
    int[] r = new int[to - from];
    for (int i = 0; i < r.length; i++) {
      r[i] = from + i;
    }
    return r;
  }
}

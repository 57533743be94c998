package io.github.maxnorm.spark;

import io.github.maxnorm.data.Dataset;
import java.io.Serializable;

/**
 * A {@link Dataset} in a form that travels to executors (Java-serializable, for a broadcast) and
 * turns back into an equal data set there: the same samples, labels and class count, stored as
 * bytes when the original stored bytes (so batches hold the same floats, bit for bit) and as
 * floats otherwise.
 */
public final class PortableDataset implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int[] sampleShape;
  private final byte[] bytes;
  private final float[] floats;
  private final int[] labels;
  private final int numClasses;
  private transient Dataset dataset;

  private PortableDataset(int[] shape, byte[] bytes, float[] floats, int[] labels, int classes,
      Dataset d) {
    this.sampleShape = shape;
    this.bytes = bytes;
    this.floats = floats;
    this.labels = labels;
    this.numClasses = classes;
    this.dataset = d;
  }

  /** The portable form of {@code d}. */
  public static PortableDataset of(Dataset d) {
    float[] x = d.all().x().toArray();
    byte[] b = d.storesBytes() ? bytes(x) : null;
    return new PortableDataset(d.sampleShape().dims(), b, b == null ? x : null, d.labels(),
        d.numClasses(), d);
  }

  /** The bytes {@code Dataset} scaled into these floats, or null if some float is not one. */
  private static byte[] bytes(float[] x) {
    byte[] b = new byte[x.length];
    for (int i = 0; i < x.length; i++) {
      int v = Math.round(x[i] * 255f);
      if (v < 0 || v > 255 || v / 255f != x[i]) {
        return null;
      }
      b[i] = (byte) v;
    }
    return b;
  }

  /** The data set (built once per JVM that holds this object). */
  public synchronized Dataset dataset() {
    if (dataset == null) {
      dataset = bytes != null
          ? Dataset.ofBytes(sampleShape, bytes, labels, numClasses)
          : Dataset.ofFloats(sampleShape, floats, labels, numClasses);
    }
    return dataset;
  }

  /** The number of samples. */
  public int size() {
    return labels.length;
  }
}

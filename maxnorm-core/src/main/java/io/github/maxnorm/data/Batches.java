package io.github.maxnorm.data;

import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The mini-batches of one pass over a {@link Dataset} in a fixed order of sample indices. Each
 * batch holds {@link #batchSize()} samples except the last, which holds the remainder. Iterating
 * again yields the same batches.
 */
public final class Batches implements Iterable<Batch> {

  private final Dataset dataset;
  private final int batchSize;
  private final int[] order;

  Batches(Dataset dataset, int batchSize, int[] order) {
    this.dataset = dataset;
    this.batchSize = batchSize;
    this.order = order;
  }

  /** The number of samples per full batch. */
  public int batchSize() {
    return batchSize;
  }

  /** The number of batches, {@code ceil(samples / batchSize)}. */
  public int count() {
    return (order.length + batchSize - 1) / batchSize;
  }

  /** The number of samples in one pass. */
  public int samples() {
    return order.length;
  }

  /** The sample indices of batch {@code k}. */
  public int[] indices(int k) {
    if (k < 0 || k >= count()) {
      throw new IllegalArgumentException("batch " + k + " is outside [0, " + count() + ")");
    }
    int from = k * batchSize;
    return Arrays.copyOfRange(order, from, Math.min(order.length, from + batchSize));
  }

  @Override
  public Iterator<Batch> iterator() {
    return new Iterator<>() {
      private int next;

      @Override
      public boolean hasNext() {
        return next < count();
      }

      @Override
      public Batch next() {
        if (!hasNext()) {
          throw new NoSuchElementException("all " + count() + " batches have been returned");
        }
        return dataset.batch(indices(next++));
      }
    };
  }
}

package io.github.maxnorm.spark;

import io.github.maxnorm.data.Batch;
import io.github.maxnorm.data.Dataset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One partition's training samples, as the replica of that partition sees them: an endless stream
 * made of permutations of the shard, one per local epoch, each drawn from the training seed and
 * the partition index. Step {@code t} of training takes the stream's samples {@code [t b, (t+1) b)}
 * for batch size {@code b}, so every step has exactly {@code b} samples and the batches of any step
 * are a pure function of {@code (seed, partition, t)}: a retried task, a recomputed partition or a
 * resumed job draws the same ones.
 *
 * <p>Shards live in executor memory (a cached RDD) and are rebuilt from their partition when lost;
 * they are not serializable.
 */
final class Shard {
  private final int partition;
  private final Dataset data;
  private long cachedEpoch = -1;
  private int[] cachedOrder;

  private Shard(int partition, Dataset data) {
    this.partition = partition;
    this.data = data;
  }

  /**
   * The shard of partition {@code partition} from its samples, or an empty list when it has none.
   *
   * @throws IllegalArgumentException when a sample does not have {@code sampleShape}'s size or a
   *     label is not below {@code classes}
   */
  static List<Shard> of(int partition, Iterator<LabeledSample> samples, int[] sampleShape,
      int classes) {
    int size = 1;
    for (int d : sampleShape) {
      size *= d;
    }
    List<LabeledSample> rows = new ArrayList<>();
    samples.forEachRemaining(rows::add);
    if (rows.isEmpty()) {
      return List.of();
    }
    float[] x = new float[rows.size() * size];
    int[] y = new int[rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      LabeledSample s = rows.get(i);
      if (s.size() != size) {
        throw new IllegalArgumentException(
            "sample " + i + " of partition " + partition + " has " + s.size()
                + " values, the model takes " + size + " (shape " + java.util.Arrays.toString(
                    sampleShape) + ")");
      }
      s.copyTo(x, i * size);
      y[i] = s.label();
    }
    return List.of(new Shard(partition, Dataset.ofFloats(sampleShape, x, y, classes)));
  }

  int partition() {
    return partition;
  }

  int size() {
    return data.size();
  }

  /** The batch of global step {@code step}: {@code batchSize} samples of the shard's stream. */
  synchronized Batch batch(long step, int batchSize, long seed) {
    int n = data.size();
    int[] idx = new int[batchSize];
    long pos = step * batchSize;
    for (int k = 0; k < batchSize; k++, pos++) {
      long epoch = pos / n;
      idx[k] = order(epoch, seed)[(int) (pos % n)];
    }
    return data.batch(idx);
  }

  private int[] order(long epoch, long seed) {
    if (epoch != cachedEpoch) {
      long s = Seeds.derive(Seeds.derive(seed, partition), epoch);
      cachedOrder = data.permutation(new SplittableRandom(s));
      cachedEpoch = epoch;
    }
    return cachedOrder;
  }
}

package io.github.maxnorm.interop.keras;

/**
 * Bounds that every reader checks before it allocates, so that a hostile file (a huge declared
 * shape, a zip bomb, a config nested a million levels deep) fails with a clear error instead of
 * exhausting memory or the stack.
 *
 * @param maxJsonBytes the most bytes of one JSON document (a config, {@code model.json})
 * @param maxWeightBytes the most bytes of weight values a file may hold in total, as float32
 * @param maxLayers the most layers a model config or a weights file may list
 * @param maxDepth the deepest nesting of JSON values and of models inside models
 */
public record KerasReadLimits(long maxJsonBytes, long maxWeightBytes, int maxLayers, int maxDepth) {

  /** Validates the bounds. */
  public KerasReadLimits {
    if (maxJsonBytes <= 0 || maxWeightBytes < 0 || maxLayers <= 0 || maxDepth <= 0) {
      throw new IllegalArgumentException(
          "KerasReadLimits: bounds must be positive, received maxJsonBytes=" + maxJsonBytes
              + ", maxWeightBytes=" + maxWeightBytes + ", maxLayers=" + maxLayers
              + ", maxDepth=" + maxDepth);
    }
  }

  /** 64 MiB of JSON, 4 GiB of weights, 100,000 layers, nesting 200 deep. */
  public static KerasReadLimits defaults() {
    return new KerasReadLimits(64L << 20, 4L << 30, 100_000, 200);
  }

  /** These limits with another weight budget. */
  public KerasReadLimits withMaxWeightBytes(long bytes) {
    return new KerasReadLimits(maxJsonBytes, bytes, maxLayers, maxDepth);
  }
}

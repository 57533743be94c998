package io.github.maxnorm.nn;

/**
 * What a forward pass needs beyond its input: whether it is training (dropout acts only then) and
 * the seed of this step's randomness. Layers derive their own generators from {@code stepSeed} and
 * their position, so a step's randomness is a pure function of (seed, step) and training resumes
 * bit-identically without saving generator state.
 *
 * @param training true during {@code fit}, false for evaluate and predict
 * @param stepSeed the seed for this step's randomness
 */
public record ForwardContext(boolean training, long stepSeed) {
  /** Inference: no dropout, no randomness. */
  public static final ForwardContext INFERENCE = new ForwardContext(false, 0L);

  public static ForwardContext training(long stepSeed) {
    return new ForwardContext(true, stepSeed);
  }

  /** A 64-bit mix of the step seed and a salt (a layer's index), for independent streams. */
  public long seedFor(long salt) {
    long z = stepSeed + 0x9E3779B97F4A7C15L * (salt + 1);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}

package io.github.maxnorm.nn;

import io.github.maxnorm.tensor.Tensor;
import java.util.List;

/**
 * What a forward pass needs beyond its inputs: whether it is training (dropout, noise and batch
 * statistics act only then), the seed of this step's randomness, where layers add loss terms of
 * their own (activity regularization), and the dtype policy of the layers that have none of their
 * own (the model's default).
 *
 * <p>Layers derive their own generators from {@code stepSeed} and their name, so a step's
 * randomness is a pure function of (seed, step) and training resumes bit-identically without
 * saving generator state. A layer called several times in one graph gets a different seed for each
 * call ({@link #forCall}).
 *
 * @param training true during {@code fit}, false for evaluate and predict
 * @param stepSeed the seed for this step's randomness
 * @param losses where {@link #addLoss} puts extra loss terms, or null to drop them
 * @param dtypePolicy the policy of layers without one of their own
 */
public record ForwardContext(
    boolean training, long stepSeed, List<Tensor> losses, DTypePolicy dtypePolicy) {
  /** Inference: no dropout, no randomness, extra loss terms dropped, float32 by default. */
  public static final ForwardContext INFERENCE = new ForwardContext(false, 0L, null);

  public ForwardContext {
    if (dtypePolicy == null) {
      throw new IllegalArgumentException("ForwardContext: dtypePolicy must not be null");
    }
  }

  /** A context whose layers without a policy of their own compute in float32. */
  public ForwardContext(boolean training, long stepSeed, List<Tensor> losses) {
    this(training, stepSeed, losses, DTypePolicy.FLOAT32);
  }

  /** This context with another default policy. */
  public ForwardContext withDtypePolicy(DTypePolicy p) {
    return p == dtypePolicy ? this : new ForwardContext(training, stepSeed, losses, p);
  }

  /** A training context whose extra loss terms are dropped. */
  public static ForwardContext training(long stepSeed) {
    return new ForwardContext(true, stepSeed, null);
  }

  /** A 64-bit mix of the step seed and a salt (a layer's index), for independent streams. */
  public long seedFor(long salt) {
    long z = stepSeed + 0x9E3779B97F4A7C15L * (salt + 1);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /**
   * The context for call {@code k} of a layer in a graph: this one for the first call, one with a
   * derived step seed for later calls, so a shared Dropout draws a new mask each time.
   */
  public ForwardContext forCall(int k) {
    return k == 0 ? this : new ForwardContext(training, seedFor(-1L - k), losses, dtypePolicy);
  }

  /** Adds a one-element loss term (a layer's activity regularization) to this pass's loss. */
  public void addLoss(Tensor term) {
    if (losses != null) {
      losses.add(term);
    }
  }
}

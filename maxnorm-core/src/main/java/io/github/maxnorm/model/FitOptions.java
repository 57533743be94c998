package io.github.maxnorm.model;

import io.github.maxnorm.data.Dataset;
import java.util.List;

/**
 * The arguments of {@link Model#fit}, Keras's names in Java form. Start from
 * {@link #defaults()} and change what you need:
 *
 * <pre>{@code
 * FitOptions.defaults().epochs(10).batchSize(128).validationSplit(0.1).seed(42)
 * }</pre>
 *
 * @param batchSize samples per step (Keras default 32)
 * @param epochs the epoch to stop before (training runs epochs {@code initialEpoch..epochs-1})
 * @param initialEpoch the first epoch to run (for resuming)
 * @param validationSplit the fraction of the training data held out (its last samples), or 0
 * @param validationData a separate validation set, or null; takes precedence over the split
 * @param shuffle whether to shuffle the training samples every epoch
 * @param seed seeds shuffling, dropout and (when the model is not yet built) initialization
 * @param callbacks called in order
 * @param verbose 0 silent, 1 one line per epoch on standard output
 */
public record FitOptions(
    int batchSize,
    int epochs,
    int initialEpoch,
    double validationSplit,
    Dataset validationData,
    boolean shuffle,
    long seed,
    List<Callback> callbacks,
    int verbose) {

  public FitOptions {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch_size must be >= 1, received " + batchSize);
    }
    if (epochs < 0) {
      throw new IllegalArgumentException("epochs must be >= 0, received " + epochs);
    }
    if (initialEpoch < 0) {
      throw new IllegalArgumentException("initial_epoch must be >= 0, received " + initialEpoch);
    }
    if (!(validationSplit >= 0 && validationSplit < 1)) {
      throw new IllegalArgumentException(
          "validation_split must be in [0, 1), received " + validationSplit);
    }
    callbacks = List.copyOf(callbacks == null ? List.of() : callbacks);
    if (verbose < 0 || verbose > 1) {
      throw new IllegalArgumentException("verbose must be 0 or 1, received " + verbose);
    }
  }

  public static FitOptions defaults() {
    return new FitOptions(32, 1, 0, 0, null, true, 0L, List.of(), 0);
  }

  public FitOptions batchSize(int v) {
    return new FitOptions(v, epochs, initialEpoch, validationSplit, validationData, shuffle, seed,
        callbacks, verbose);
  }

  public FitOptions epochs(int v) {
    return new FitOptions(batchSize, v, initialEpoch, validationSplit, validationData, shuffle,
        seed, callbacks, verbose);
  }

  public FitOptions initialEpoch(int v) {
    return new FitOptions(batchSize, epochs, v, validationSplit, validationData, shuffle, seed,
        callbacks, verbose);
  }

  public FitOptions validationSplit(double v) {
    return new FitOptions(batchSize, epochs, initialEpoch, v, validationData, shuffle, seed,
        callbacks, verbose);
  }

  public FitOptions validationData(Dataset v) {
    return new FitOptions(batchSize, epochs, initialEpoch, validationSplit, v, shuffle, seed,
        callbacks, verbose);
  }

  public FitOptions shuffle(boolean v) {
    return new FitOptions(batchSize, epochs, initialEpoch, validationSplit, validationData, v,
        seed, callbacks, verbose);
  }

  public FitOptions seed(long v) {
    return new FitOptions(batchSize, epochs, initialEpoch, validationSplit, validationData,
        shuffle, v, callbacks, verbose);
  }

  public FitOptions callbacks(Callback... v) {
    return new FitOptions(batchSize, epochs, initialEpoch, validationSplit, validationData,
        shuffle, seed, List.of(v), verbose);
  }

  public FitOptions callbacks(List<Callback> v) {
    return new FitOptions(batchSize, epochs, initialEpoch, validationSplit, validationData,
        shuffle, seed, v, verbose);
  }

  public FitOptions verbose(int v) {
    return new FitOptions(batchSize, epochs, initialEpoch, validationSplit, validationData,
        shuffle, seed, callbacks, v);
  }
}

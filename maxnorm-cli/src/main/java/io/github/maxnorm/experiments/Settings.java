package io.github.maxnorm.experiments;

import java.nio.file.Path;

/**
 * How an experiment runs: its scale, where results go, and how much compute it may use.
 *
 * @param quick whether to run the small smoke-test version on the bundled MNIST sample
 * @param out the folder the CSV files and summaries are written to
 * @param seeds how many seeds per configuration (seeds 1..seeds), or 0 for the experiment default
 * @param epochs epochs per run, or 0 for the experiment default
 * @param threads threads for the Java-side kernels, or 0 to leave the default
 * @param trainSize use only the first this many training samples, or 0 for all (full runs only)
 * @param spark the Spark master to run the regularizer comparison's runs on, one task per run
 *     ({@code local[2]}, {@code spark://host:port}), or null to run them in this process
 */
public record Settings(boolean quick, Path out, int seeds, int epochs, int threads,
    int trainSize, String spark) {

  public Settings {
    if (out == null) {
      throw new IllegalArgumentException("Settings: out must not be null");
    }
    if (seeds < 0) {
      throw new IllegalArgumentException("Settings: seeds must be >= 0, received " + seeds);
    }
    if (epochs < 0) {
      throw new IllegalArgumentException("Settings: epochs must be >= 0, received " + epochs);
    }
    if (trainSize < 0) {
      throw new IllegalArgumentException("Settings: trainSize must be >= 0, received " + trainSize);
    }
    if (threads < 0) {
      throw new IllegalArgumentException("Settings: threads must be >= 0, received " + threads);
    }
  }

  /** Settings that run every training in this process. */
  public Settings(boolean quick, Path out, int seeds, int epochs, int threads, int trainSize) {
    this(quick, out, seeds, epochs, threads, trainSize, null);
  }

  /** Full-scale settings with every training sample. */
  public Settings(boolean quick, Path out, int seeds, int epochs, int threads) {
    this(quick, out, seeds, epochs, threads, 0);
  }

  /** The number of seeds, or {@code fallback} when none was given. */
  int seedsOr(int fallback) {
    return seeds > 0 ? seeds : fallback;
  }

  /** The number of epochs, or {@code fallback} when none was given. */
  int epochsOr(int fallback) {
    return epochs > 0 ? epochs : fallback;
  }
}

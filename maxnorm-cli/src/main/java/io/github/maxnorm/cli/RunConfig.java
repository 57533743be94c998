package io.github.maxnorm.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.github.maxnorm.nn.DTypePolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The resolved options of one {@code train} run, saved as {@code run.json} so that {@code --resume}
 * can continue it. Paths are absolute.
 *
 * @param data the data set name or an absolute path
 * @param dataDir the data directory, or null
 * @param labelColumn the CSV label column (index or name), or null
 * @param testCsv the CSV test file, or null
 * @param model the model name or an absolute path to a JSON spec
 * @param epochs the epoch to stop before
 * @param batchSize samples per step
 * @param lr the learning rate
 * @param momentum SGD momentum
 * @param optimizer sgd, adam or rmsprop
 * @param maxNorm the max-norm bound, or null for none
 * @param dropoutInput the input dropout rate
 * @param dropoutHidden the hidden dropout rate
 * @param l2 the kernel L2 coefficient, or null
 * @param seed the seed of initialization, shuffling and dropout
 * @param threads the thread count, or null for the default
 * @param validationSplit the validation fraction (0 = none)
 * @param limit the cap on training samples, or null
 * @param spark how to train on Spark, or null to train in this process
 * @param precision the model's dtype policy, {@code float32} or {@code mixed_bfloat16} (null, as
 *     in a run.json written before the option existed, means float32)
 */
public record RunConfig(
    String data,
    String dataDir,
    String labelColumn,
    String testCsv,
    String model,
    int epochs,
    int batchSize,
    double lr,
    double momentum,
    String optimizer,
    Double maxNorm,
    double dropoutInput,
    double dropoutHidden,
    Double l2,
    long seed,
    Integer threads,
    double validationSplit,
    Integer limit,
    Spark spark,
    String precision) {

  /**
   * Data-parallel training on Spark ({@code --spark}).
   *
   * @param master the Spark master ({@code local[2]}, {@code spark://host:port}), or empty for the
   *     one {@code spark-submit} configured
   * @param partitions the replicas (shards of the training set)
   * @param localSteps the steps each replica takes between two averagings
   */
  public record Spark(String master, int partitions, int localSteps) {
    public Spark {
      if (master == null) {
        throw new IllegalArgumentException("--spark needs a master such as local[2]");
      }
      if (partitions < 1) {
        throw new IllegalArgumentException("--partitions must be >= 1, received " + partitions);
      }
      if (localSteps < 1) {
        throw new IllegalArgumentException("--local-steps must be >= 1, received " + localSteps);
      }
    }
  }

  static final ObjectMapper JSON =
      new ObjectMapper()
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .enable(SerializationFeature.INDENT_OUTPUT)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  public RunConfig {
    if (data == null || model == null || optimizer == null) {
      throw new IllegalArgumentException("run options: data, model and optimizer are required");
    }
    if (epochs < 0) {
      throw new IllegalArgumentException("--epochs must be >= 0, received " + epochs);
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("--batch-size must be >= 1, received " + batchSize);
    }
    if (!(lr > 0) || Double.isInfinite(lr)) {
      throw new IllegalArgumentException("--lr must be > 0 and finite, received " + lr);
    }
    if (!(momentum >= 0 && momentum < 1)) {
      throw new IllegalArgumentException("--momentum must be in [0, 1), received " + momentum);
    }
    if (maxNorm != null && !(maxNorm > 0 && Double.isFinite(maxNorm))) {
      throw new IllegalArgumentException(
          "--max-norm must be a positive number or none, received " + maxNorm);
    }
    if (!(dropoutInput >= 0 && dropoutInput < 1) || !(dropoutHidden >= 0 && dropoutHidden < 1)) {
      throw new IllegalArgumentException(
          "--dropout rates must be in [0, 1), received " + dropoutInput + "," + dropoutHidden);
    }
    if (l2 != null && !(l2 >= 0 && Double.isFinite(l2))) {
      throw new IllegalArgumentException("--l2 must be >= 0 or none, received " + l2);
    }
    if (threads != null && threads < 1) {
      throw new IllegalArgumentException("--threads must be >= 1, received " + threads);
    }
    if (!(validationSplit >= 0 && validationSplit < 1)) {
      throw new IllegalArgumentException(
          "--validation-split must be in [0, 1), received " + validationSplit);
    }
    if (limit != null && limit < 1) {
      throw new IllegalArgumentException("--limit must be >= 1, received " + limit);
    }
    if (precision == null) {
      precision = DTypePolicy.FLOAT32.kerasName();
    }
    try {
      precision = DTypePolicy.of(precision).kerasName();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "--precision must be float32 or mixed_bfloat16, received '" + precision + "'");
    }
  }

  /** The dtype policy of {@link #precision}. */
  public DTypePolicy dtypePolicy() {
    return DTypePolicy.of(precision);
  }

  /** This configuration with another epoch count. */
  public RunConfig withEpochs(int e) {
    return new RunConfig(data, dataDir, labelColumn, testCsv, model, e, batchSize, lr, momentum,
        optimizer, maxNorm, dropoutInput, dropoutHidden, l2, seed, threads, validationSplit, limit,
        spark, precision);
  }

  /** This configuration with another thread count. */
  public RunConfig withThreads(Integer t) {
    return new RunConfig(data, dataDir, labelColumn, testCsv, model, epochs, batchSize, lr,
        momentum, optimizer, maxNorm, dropoutInput, dropoutHidden, l2, seed, t, validationSplit,
        limit, spark, precision);
  }

  /** This configuration on another Spark master (same partitions and averaging frequency). */
  public RunConfig withSparkMaster(String master) {
    if (spark == null) {
      throw new IllegalArgumentException(
          "--spark cannot be added with --resume: the run was trained in one process");
    }
    return new RunConfig(data, dataDir, labelColumn, testCsv, model, epochs, batchSize, lr,
        momentum, optimizer, maxNorm, dropoutInput, dropoutHidden, l2, seed, threads,
        validationSplit, limit, new Spark(master, spark.partitions(), spark.localSteps()),
        precision);
  }

  void write(Path file) throws IOException {
    Files.writeString(file, JSON.writeValueAsString(this) + "\n");
  }

  static RunConfig read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(file.toString());
    }
    try {
      return JSON.readValue(file.toFile(), RunConfig.class);
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      throw new IllegalArgumentException(
          file + ": not a valid run.json (" + e.getOriginalMessage() + ")", e);
    }
  }
}

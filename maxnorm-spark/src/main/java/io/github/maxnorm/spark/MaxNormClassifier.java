package io.github.maxnorm.spark;

import io.github.maxnorm.model.Model;
import java.nio.file.Path;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A Spark ML {@link Estimator} that trains a maxnorm classifier on a DataFrame by synchronous
 * data-parallel training ({@link DataParallelTrainer}): the features column (an ML vector or an
 * array of floats or doubles, flattened to the model's input shape) and a numeric label column in
 * {@code [0, classes)}. The architecture and compile settings come from {@link
 * #setModel(Model)}; initial weights are drawn from {@code seed}. The result, a {@link
 * MaxNormClassificationModel}, adds prediction and probability columns. Both are usable in a
 * {@code Pipeline} and saved with ML persistence.
 *
 * <pre>{@code
 * MaxNormClassifier est = new MaxNormClassifier()
 *     .setModel(compiledSequential)
 *     .setBatchSize(64).setEpochs(5).setLocalSteps(4).setSeed(1);
 * MaxNormClassificationModel model = est.fit(trainDf);
 * model.transform(testDf).select("prediction", "probability").show();
 * }</pre>
 */
public final class MaxNormClassifier extends Estimator<MaxNormClassificationModel>
    implements DefaultParamsWritable {
  private static final long serialVersionUID = 1L;

  private final String uid;
  private final Param<String> featuresCol;
  private final Param<String> labelCol;
  private final Param<String> predictionCol;
  private final Param<String> probabilityCol;
  private final Param<String> modelSpec;
  private final IntParam batchSize;
  private final IntParam epochs;
  private final IntParam localSteps;
  private final IntParam threadsPerTask;
  private final IntParam numReplicas;
  private final LongParam seed;
  private final Param<String> checkpointPath;

  public MaxNormClassifier() {
    this(Identifiable$.MODULE$.randomUID("maxnormClassifier"));
  }

  /** With a given uid (used by ML persistence). */
  public MaxNormClassifier(String uid) {
    this.uid = uid;
    featuresCol = new Param<>(this, "featuresCol", "features column: vector or array of numbers");
    labelCol = new Param<>(this, "labelCol", "label column: class index in [0, classes)");
    predictionCol = new Param<>(this, "predictionCol", "prediction column (class index)");
    probabilityCol = new Param<>(this, "probabilityCol", "class probabilities column (vector)");
    modelSpec = new Param<>(this, "modelSpec",
        "the maxnorm model and its compile settings as JSON (see setModel)");
    batchSize = new IntParam(this, "batchSize", "samples per local step on each replica (>= 1)");
    epochs = new IntParam(this, "epochs", "epochs to train (>= 0)");
    localSteps = new IntParam(this, "localSteps",
        "local steps between averagings: the averaging frequency k (>= 1)");
    threadsPerTask = new IntParam(this, "threadsPerTask", "kernel threads per task (>= 1)");
    numReplicas = new IntParam(this, "numReplicas",
        "replicas (partitions) to train; 0 keeps the input's partitions");
    seed = new LongParam(this, "seed", "seed of initialization, shuffling and dropout");
    checkpointPath = new Param<>(this, "checkpointPath",
        "local file the driver saves the model to after every round; empty for none");
    setDefault(featuresCol, "features");
    setDefault(labelCol, "label");
    setDefault(predictionCol, "prediction");
    setDefault(probabilityCol, "probability");
    setDefault(batchSize, 32);
    setDefault(epochs, 1);
    setDefault(localSteps, 1);
    setDefault(threadsPerTask, 1);
    setDefault(numReplicas, 0);
    setDefault(seed, 0L);
    setDefault(checkpointPath, "");
  }

  @Override
  public String uid() {
    return uid;
  }

  public Param<String> featuresCol() {
    return featuresCol;
  }

  public Param<String> labelCol() {
    return labelCol;
  }

  public Param<String> predictionCol() {
    return predictionCol;
  }

  public Param<String> probabilityCol() {
    return probabilityCol;
  }

  public Param<String> modelSpec() {
    return modelSpec;
  }

  public IntParam batchSize() {
    return batchSize;
  }

  public IntParam epochs() {
    return epochs;
  }

  public IntParam localSteps() {
    return localSteps;
  }

  public IntParam threadsPerTask() {
    return threadsPerTask;
  }

  public IntParam numReplicas() {
    return numReplicas;
  }

  public LongParam seed() {
    return seed;
  }

  public Param<String> checkpointPath() {
    return checkpointPath;
  }

  public MaxNormClassifier setFeaturesCol(String v) {
    set(featuresCol, v);
    return this;
  }

  public MaxNormClassifier setLabelCol(String v) {
    set(labelCol, v);
    return this;
  }

  public MaxNormClassifier setPredictionCol(String v) {
    set(predictionCol, v);
    return this;
  }

  public MaxNormClassifier setProbabilityCol(String v) {
    set(probabilityCol, v);
    return this;
  }

  /**
   * The architecture and compile settings to train: a compiled model (built, or with an input
   * shape on its first layer). Only its config is kept, not its weights.
   */
  public MaxNormClassifier setModel(Model m) {
    if (m != null && m.compiled() && !m.built()) {
      int[] declared = m.layers().get(0).declaredInputShape();
      if (declared == null) {
        throw new IllegalArgumentException(
            "setModel: build the model or give its first layer an input shape");
      }
      m.build(new java.util.SplittableRandom(0));
    }
    set(modelSpec, ModelSpec.of(m).toJson());
    return this;
  }

  public MaxNormClassifier setBatchSize(int v) {
    set(batchSize, v);
    return this;
  }

  public MaxNormClassifier setEpochs(int v) {
    set(epochs, v);
    return this;
  }

  public MaxNormClassifier setLocalSteps(int v) {
    set(localSteps, v);
    return this;
  }

  public MaxNormClassifier setThreadsPerTask(int v) {
    set(threadsPerTask, v);
    return this;
  }

  public MaxNormClassifier setNumReplicas(int v) {
    set(numReplicas, v);
    return this;
  }

  public MaxNormClassifier setSeed(long v) {
    set(seed, v);
    return this;
  }

  public MaxNormClassifier setCheckpointPath(String v) {
    set(checkpointPath, v);
    return this;
  }

  /** The training options these parameters describe. */
  DistributedOptions options() {
    String ck = getOrDefault(checkpointPath);
    return DistributedOptions.defaults()
        .batchSize(intValue(batchSize))
        .epochs(intValue(epochs))
        .localSteps(intValue(localSteps))
        .threadsPerTask(intValue(threadsPerTask))
        .seed((Long) getOrDefault(seed))
        .checkpoint(ck.isEmpty() ? null : Path.of(ck));
  }

  private int intValue(IntParam p) {
    return (Integer) getOrDefault(p);
  }

  @Override
  public StructType transformSchema(StructType schema) {
    if (!isDefined(modelSpec)) {
      throw new IllegalArgumentException("MaxNormClassifier: no model; call setModel(...) first");
    }
    Frames.checkFeatures(schema, getOrDefault(featuresCol));
    Frames.checkLabel(schema, getOrDefault(labelCol));
    StructType s = Frames.append(schema, getOrDefault(predictionCol), DataTypes.DoubleType);
    return Frames.append(s, getOrDefault(probabilityCol), SQLDataTypes.VectorType());
  }

  @Override
  public MaxNormClassificationModel fit(Dataset<?> dataset) {
    transformSchema(dataset.schema());
    DistributedOptions opt = options();
    int replicas = intValue(numReplicas);
    if (replicas < 0) {
      throw new IllegalArgumentException("numReplicas must be >= 0, received " + replicas);
    }
    Model m = ModelSpec.fromJson(getOrDefault(modelSpec)).create(opt.seed());
    var samples = Frames.samples(dataset, getOrDefault(featuresCol), getOrDefault(labelCol),
        DataParallelTrainer.classes(m), replicas);
    DataParallelTrainer.fit(samples, m, opt);
    MaxNormClassificationModel model = new MaxNormClassificationModel(uid, m);
    copyValues(model, ParamMap.empty());
    return model.setParent(this);
  }

  @Override
  public MaxNormClassifier copy(ParamMap extra) {
    return defaultCopy(extra);
  }

  /** Reads an estimator saved with {@code write().save(path)}. */
  public static MLReader<MaxNormClassifier> read() {
    return new DefaultParamsReader<>();
  }

  public static MaxNormClassifier load(String path) {
    return read().load(path);
  }
}

package io.github.maxnorm.spark;

import io.github.maxnorm.model.ModelIO;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWriter;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A trained maxnorm classifier as a Spark ML {@link Model}: {@link #transform} appends a
 * prediction column (the most probable class, as a double) and a probability column (a vector of
 * class probabilities) to a DataFrame with a features column. Made by {@link MaxNormClassifier},
 * usable in a {@code Pipeline}, and saved with ML persistence: the parameters as Spark's metadata
 * and the model as {@code model.maxnorm} beside them, a maxnorm model file any maxnorm program can
 * load ({@code ModelIO.load}).
 */
public final class MaxNormClassificationModel extends Model<MaxNormClassificationModel>
    implements MLWritable {
  private static final long serialVersionUID = 1L;

  /** The name of the maxnorm model file inside a saved model's folder. */
  public static final String MODEL_FILE = "model.maxnorm";

  private final String uid;
  private final transient io.github.maxnorm.model.Model model;
  private final Param<String> featuresCol;
  private final Param<String> predictionCol;
  private final Param<String> probabilityCol;

  /**
   * @param uid the Spark ML identifier
   * @param model the trained model (compiled and built)
   */
  public MaxNormClassificationModel(String uid, io.github.maxnorm.model.Model model) {
    if (model == null || !model.built()) {
      throw new IllegalArgumentException("MaxNormClassificationModel: the model must be built");
    }
    this.uid = uid;
    this.model = model;
    featuresCol = new Param<>(this, "featuresCol", "features column: vector or array of numbers");
    predictionCol = new Param<>(this, "predictionCol", "prediction column (class index)");
    probabilityCol = new Param<>(this, "probabilityCol", "class probabilities column (vector)");
    setDefault(featuresCol, "features");
    setDefault(predictionCol, "prediction");
    setDefault(probabilityCol, "probability");
  }

  @Override
  public String uid() {
    return uid;
  }

  /** The maxnorm model inside (shared, not copied). */
  public io.github.maxnorm.model.Model model() {
    return model;
  }

  public Param<String> featuresCol() {
    return featuresCol;
  }

  public Param<String> predictionCol() {
    return predictionCol;
  }

  public Param<String> probabilityCol() {
    return probabilityCol;
  }

  public MaxNormClassificationModel setFeaturesCol(String v) {
    set(featuresCol, v);
    return this;
  }

  public MaxNormClassificationModel setPredictionCol(String v) {
    set(predictionCol, v);
    return this;
  }

  public MaxNormClassificationModel setProbabilityCol(String v) {
    set(probabilityCol, v);
    return this;
  }

  @Override
  public StructType transformSchema(StructType schema) {
    Frames.checkFeatures(schema, getOrDefault(featuresCol));
    StructType s = Frames.append(schema, getOrDefault(predictionCol), DataTypes.DoubleType);
    return Frames.append(s, getOrDefault(probabilityCol), SQLDataTypes.VectorType());
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    StructType out = transformSchema(dataset.schema());
    int features = dataset.schema().fieldIndex(getOrDefault(featuresCol));
    Predictor p = new Predictor(model);
    MapPartitionsFunction<Row, Row> score = rows -> p.score(rows, features);
    return dataset.toDF().mapPartitions(score, Encoders.row(out));
  }

  @Override
  public MaxNormClassificationModel copy(ParamMap extra) {
    MaxNormClassificationModel m = new MaxNormClassificationModel(uid, model);
    copyValues(m, extra);
    return m.setParent(parent());
  }

  @Override
  public MLWriter write() {
    return new Writer(this);
  }

  /** Reads a model saved by {@link #write()}. */
  public static MLReader<MaxNormClassificationModel> read() {
    return new Reader();
  }

  public static MaxNormClassificationModel load(String path) {
    return read().load(path);
  }

  /** Spark's metadata (class, uid, parameters) and {@value #MODEL_FILE}. */
  private static final class Writer extends MLWriter {
    private final MaxNormClassificationModel instance;

    Writer(MaxNormClassificationModel instance) {
      this.instance = instance;
    }

    @Override
    public void saveImpl(String path) {
      DefaultParamsWriter.saveMetadata(instance, path, sparkSession());
      java.nio.file.Path local = null;
      try {
        local = Files.createTempFile("maxnorm-", ".maxnorm");
        ModelIO.save(instance.model, local);
        org.apache.hadoop.fs.Path dst = new org.apache.hadoop.fs.Path(path, MODEL_FILE);
        FileSystem fs = dst.getFileSystem(sc().hadoopConfiguration());
        fs.copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(local.toUri()), dst);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot save the model to " + path, e);
      } finally {
        deleteQuietly(local);
      }
    }
  }

  private static final class Reader extends MLReader<MaxNormClassificationModel> {
    @Override
    public MaxNormClassificationModel load(String path) {
      DefaultParamsReader.Metadata meta = DefaultParamsReader.loadMetadata(path, sparkSession(),
          MaxNormClassificationModel.class.getName());
      java.nio.file.Path local = null;
      try {
        local = Files.createTempFile("maxnorm-", ".maxnorm");
        org.apache.hadoop.fs.Path src = new org.apache.hadoop.fs.Path(path, MODEL_FILE);
        FileSystem fs = src.getFileSystem(sc().hadoopConfiguration());
        fs.copyToLocalFile(false, src, new org.apache.hadoop.fs.Path(local.toUri()), true);
        MaxNormClassificationModel m =
            new MaxNormClassificationModel(meta.uid(), ModelIO.load(local));
        meta.getAndSetParams(m, meta.getAndSetParams$default$2());
        return m;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot load the model from " + path, e);
      } finally {
        deleteQuietly(local);
      }
    }
  }

  static void deleteQuietly(java.nio.file.Path p) {
    if (p != null) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException ignored) {
        // a temporary file; the OS cleans up
      }
    }
  }
}

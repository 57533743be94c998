package io.github.maxnorm.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.maxnorm.model.Model;
import io.github.maxnorm.model.ModelIO;
import io.github.maxnorm.model.Sequential;
import io.github.maxnorm.optim.SGD;
import io.github.maxnorm.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MaxNormClassifierTest {
  private static final int FEATURES = 8;

  /** One column per feature (f0..f7, doubles) and a double label. */
  private static Dataset<Row> wide(List<LabeledSample> samples) {
    StructType schema = new StructType();
    for (int j = 0; j < FEATURES; j++) {
      schema = schema.add("f" + j, DataTypes.DoubleType, false);
    }
    schema = schema.add("label", DataTypes.DoubleType, false);
    List<Row> rows = new ArrayList<>();
    for (LabeledSample s : samples) {
      Object[] v = new Object[FEATURES + 1];
      float[] f = s.features();
      for (int j = 0; j < FEATURES; j++) {
        v[j] = (double) f[j];
      }
      v[FEATURES] = (double) s.label();
      rows.add(RowFactory.create(v));
    }
    return LocalSpark.session().createDataFrame(rows, schema);
  }

  /** Features as an array<float> column, integer labels. */
  private static Dataset<Row> arrays(List<LabeledSample> samples) {
    StructType schema = new StructType()
        .add("x", DataTypes.createArrayType(DataTypes.FloatType, false), false)
        .add("y", DataTypes.IntegerType, false);
    List<Row> rows = new ArrayList<>();
    for (LabeledSample s : samples) {
      float[] f = s.features();
      Float[] boxed = new Float[f.length];
      for (int j = 0; j < f.length; j++) {
        boxed[j] = f[j];
      }
      rows.add(RowFactory.create(boxed, s.label()));
    }
    return LocalSpark.session().createDataFrame(rows, schema);
  }

  private static Sequential template() {
    return DataParallelTrainerTest.model(2.0, 0.1, SGD.of(0.1).withMomentum(0.9));
  }

  @Test
  void fitsInAPipelineAndSurvivesMlPersistence(@TempDir Path dir) throws Exception {
    List<LabeledSample> train = Blobs.samples(300, FEATURES, 3, 41);
    List<LabeledSample> test = Blobs.samples(90, FEATURES, 3, 41).subList(0, 90);
    String[] cols = new String[FEATURES];
    for (int j = 0; j < FEATURES; j++) {
      cols[j] = "f" + j;
    }
    MaxNormClassifier est = new MaxNormClassifier().setModel(template()).setBatchSize(16)
        .setEpochs(4).setLocalSteps(5).setSeed(4).setNumReplicas(2);
    Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {
        new VectorAssembler().setInputCols(cols).setOutputCol("features"), est});
    PipelineModel fitted = pipeline.fit(wide(train));

    Dataset<Row> scored = fitted.transform(wide(test));
    assertTrue(List.of(scored.columns()).containsAll(List.of("prediction", "probability")));
    List<Row> rows = scored.select("label", "prediction", "probability").collectAsList();
    int right = 0;
    for (Row r : rows) {
      Vector p = (Vector) r.get(2);
      assertEquals(3, p.size());
      assertEquals(1.0, p.toArray()[0] + p.toArray()[1] + p.toArray()[2], 1e-5);
      assertEquals(p.argmax(), (int) r.getDouble(1));
      right += r.getDouble(0) == r.getDouble(1) ? 1 : 0;
    }
    assertTrue(right >= 0.75 * rows.size(), "accuracy " + right + "/" + rows.size());

    Path saved = dir.resolve("pipeline");
    fitted.write().save(saved.toString());
    PipelineModel loaded = PipelineModel.load(saved.toString());
    List<Row> again = loaded.transform(wide(test)).select("prediction", "probability")
        .collectAsList();
    assertEquals(rows.size(), again.size());
    for (int i = 0; i < rows.size(); i++) {
      assertEquals(rows.get(i).getDouble(1), again.get(i).getDouble(0));
      assertArrayEquals(((Vector) rows.get(i).get(2)).toArray(),
          ((Vector) again.get(i).get(1)).toArray());
    }

    // the model inside is an ordinary maxnorm model file
    Path file;
    try (Stream<Path> s = Files.walk(saved)) {
      file = s.filter(p -> p.getFileName().toString().equals("model.maxnorm")).findFirst()
          .orElseThrow();
    }
    io.github.maxnorm.model.Model inner = ((MaxNormClassificationModel) fitted.stages()[1]).model();
    Model plain = ModelIO.load(file);
    DataParallelTrainerTest.assertSameBits(inner, plain);
    float[] x = test.get(0).features();
    Tensor out = plain.predict(Tensor.of(x, 1, FEATURES));
    assertArrayEquals(((Vector) rows.get(0).get(2)).toArray(),
        new double[] {out.get(0), out.get(1), out.get(2)}, 0);
  }

  @Test
  void acceptsArrayFeaturesAndSavesTheEstimator(@TempDir Path dir) throws Exception {
    List<LabeledSample> train = Blobs.samples(120, FEATURES, 3, 7);
    Dataset<Row> df = arrays(train);
    MaxNormClassifier est = new MaxNormClassifier().setModel(template()).setFeaturesCol("x")
        .setLabelCol("y").setBatchSize(20).setEpochs(2).setSeed(2);
    est.write().save(dir.resolve("est").toString());
    MaxNormClassifier back = MaxNormClassifier.load(dir.resolve("est").toString());
    assertEquals(est.uid(), back.uid());
    assertEquals(est.getOrDefault(est.modelSpec()), back.getOrDefault(back.modelSpec()));
    assertEquals(20, (Integer) back.getOrDefault(back.batchSize()));

    MaxNormClassificationModel a = est.fit(df);
    MaxNormClassificationModel b = back.fit(df);
    DataParallelTrainerTest.assertSameBits(a.model(), b.model());
    Dataset<Row> scored = a.setFeaturesCol("x").transform(df);
    assertEquals(120, scored.count());
    assertEquals(SQLDataTypes.VectorType(), scored.schema().apply("probability").dataType());
  }

  @Test
  void reportsBadColumns() {
    Dataset<Row> df = arrays(Blobs.samples(10, FEATURES, 3, 1));
    MaxNormClassifier est = new MaxNormClassifier().setFeaturesCol("x");
    var e = assertThrows(IllegalArgumentException.class, () -> est.fit(df));
    assertEquals("MaxNormClassifier: no model; call setModel(...) first", e.getMessage());
    est.setModel(template());
    e = assertThrows(IllegalArgumentException.class, () -> est.fit(df));
    assertTrue(e.getMessage().startsWith("column label does not exist; the columns are [x, y]"),
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> est.setFeaturesCol("y").setLabelCol("y").fit(df));
    assertEquals("features column y must be a vector or an array of float or double, received"
        + " int", e.getMessage());
  }
}

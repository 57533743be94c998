package io.github.maxnorm.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.Tuple2;

/** Between DataFrames and maxnorm's samples: column checks and conversions. */
final class Frames {
  private Frames() {}

  /**
   * Checks that {@code col} holds features: an ML vector or an array of floats or doubles.
   *
   * @throws IllegalArgumentException naming the column and the type it has
   */
  static void checkFeatures(StructType schema, String col) {
    DataType t = field(schema, col).dataType();
    boolean ok = t.equals(SQLDataTypes.VectorType())
        || (t instanceof ArrayType a && (a.elementType().equals(DataTypes.FloatType)
            || a.elementType().equals(DataTypes.DoubleType)));
    if (!ok) {
      throw new IllegalArgumentException("features column " + col + " must be a vector or an"
          + " array of float or double, received " + t.simpleString());
    }
  }

  /** Checks that {@code col} is numeric. */
  static void checkLabel(StructType schema, String col) {
    DataType t = field(schema, col).dataType();
    if (!(t instanceof NumericType)) {
      throw new IllegalArgumentException(
          "label column " + col + " must be numeric, received " + t.simpleString());
    }
  }

  static StructField field(StructType schema, String col) {
    for (StructField f : schema.fields()) {
      if (f.name().equals(col)) {
        return f;
      }
    }
    throw new IllegalArgumentException(
        "column " + col + " does not exist; the columns are " + List.of(schema.fieldNames()));
  }

  /** The schema with {@code col} of type {@code t} appended; the column must not exist yet. */
  static StructType append(StructType schema, String col, DataType t) {
    for (String n : schema.fieldNames()) {
      if (n.equals(col)) {
        throw new IllegalArgumentException("output column " + col + " already exists");
      }
    }
    return schema.add(col, t, false);
  }

  /** The features of column {@code i} of a row, as floats. */
  static float[] features(Row row, int i) {
    Object v = row.get(i);
    if (v == null) {
      throw new IllegalArgumentException("a row has no features (null): " + row);
    }
    if (v instanceof Vector vec) {
      double[] d = vec.toArray();
      float[] f = new float[d.length];
      for (int k = 0; k < d.length; k++) {
        f[k] = (float) d[k];
      }
      return f;
    }
    List<Object> list = row.getList(i);
    float[] f = new float[list.size()];
    for (int k = 0; k < f.length; k++) {
      f[k] = ((Number) list.get(k)).floatValue();
    }
    return f;
  }

  /**
   * The rows of {@code df} as labelled samples. With {@code partitions > 0} the samples are spread
   * over that many partitions by their position (sample i to partition i mod n, in order), a
   * repartitioning that gives the same shards on every run; otherwise the frame's own partitions
   * are kept.
   *
   * @throws IllegalArgumentException (when the job runs) for a label that is not a whole number
   *     in [0, classes)
   */
  static JavaRDD<LabeledSample> samples(Dataset<?> df, String featuresCol, String labelCol,
      int classes, int partitions) {
    Dataset<Row> rows = df.toDF().select(featuresCol, labelCol);
    JavaRDD<LabeledSample> samples = rows.javaRDD().map(r -> {
      if (r.isNullAt(1)) {
        throw new IllegalArgumentException("a row has no label (null): " + r);
      }
      double y = ((Number) r.get(1)).doubleValue();
      if (y != Math.rint(y) || y < 0 || y >= classes) {
        throw new IllegalArgumentException(
            "labels must be whole numbers in [0, " + classes + "), received " + y);
      }
      return new LabeledSample(features(r, 0), (int) y);
    });
    if (partitions <= 0) {
      return samples;
    }
    return samples.zipWithIndex()
        .mapToPair(Tuple2::swap)
        .repartitionAndSortWithinPartitions(new ModuloPartitioner(partitions))
        .values();
  }

  /** Sends index i to partition i mod n. */
  private static final class ModuloPartitioner extends Partitioner {
    private static final long serialVersionUID = 1L;
    private final int n;

    ModuloPartitioner(int n) {
      this.n = n;
    }

    @Override
    public int numPartitions() {
      return n;
    }

    @Override
    public int getPartition(Object key) {
      return (int) Math.floorMod((Long) key, (long) n);
    }
  }

  /** The values of a row, as a list to extend. */
  static List<Object> values(Row row) {
    List<Object> out = new ArrayList<>(row.length() + 2);
    for (int i = 0; i < row.length(); i++) {
      out.add(row.get(i));
    }
    return out;
  }
}

package io.github.maxnorm.spark;

import io.github.maxnorm.model.Model;
import io.github.maxnorm.tensor.Shape;
import io.github.maxnorm.tensor.Tensor;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.UUID;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * A trained model in the form executors use to score rows: its spec and weights. Each executor
 * JVM rebuilds the model once per predictor and shares it between tasks ({@code predict} is safe
 * to call from several threads). Rows are scored in batches.
 */
final class Predictor implements Serializable {
  private static final long serialVersionUID = 1L;
  static final int BATCH = 256;

  private final String id = UUID.randomUUID().toString();
  private final ModelSpec spec;
  private final float[] weights;
  private final boolean logits;

  Predictor(Model m) {
    this.spec = ModelSpec.of(m);
    this.weights = StateLayout.of(m).readWeights();
    this.logits = m.loss().config().getBoolean("from_logits", false);
  }

  /** Models built on this JVM, by predictor id; a few recent ones are kept. */
  private static final Map<String, Model> MODELS = new LinkedHashMap<>(8, 0.75f, true);

  private Model model() {
    synchronized (MODELS) {
      Model m = MODELS.get(id);
      if (m == null) {
        m = spec.create();
        StateLayout.of(m).writeWeights(weights);
        MODELS.put(id, m);
        while (MODELS.size() > 4) {
          MODELS.remove(MODELS.keySet().iterator().next());
        }
      }
      return m;
    }
  }

  /**
   * Class probabilities for a batch of samples: the model's output, through softmax (or a
   * sigmoid, for one output) when the model outputs logits; one output {@code p} becomes {@code
   * [1 - p, p]}.
   */
  double[][] probabilities(List<float[]> samples) {
    Model m = model();
    int size = spec.sampleSize();
    float[] x = new float[samples.size() * size];
    for (int i = 0; i < samples.size(); i++) {
      float[] s = samples.get(i);
      if (s.length != size) {
        throw new IllegalArgumentException(
            "a row has " + s.length + " feature values, the model takes " + size);
      }
      System.arraycopy(s, 0, x, i * size, size);
    }
    int[] dims = new int[spec.inputShape().length + 1];
    dims[0] = samples.size();
    System.arraycopy(spec.inputShape(), 0, dims, 1, dims.length - 1);
    Tensor out = m.predict(Tensor.of(x, Shape.of(dims)));
    int k = out.shape().dim(1);
    float[] o = out.toArray();
    double[][] p = new double[samples.size()][];
    for (int i = 0; i < p.length; i++) {
      if (k == 1) {
        double v = logits ? 1 / (1 + Math.exp(-o[i])) : o[i];
        p[i] = new double[] {1 - v, v};
      } else {
        double[] row = new double[k];
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < k; c++) {
          row[c] = o[i * k + c];
          max = Math.max(max, row[c]);
        }
        if (logits) {
          double z = 0;
          for (int c = 0; c < k; c++) {
            row[c] = Math.exp(row[c] - max);
            z += row[c];
          }
          for (int c = 0; c < k; c++) {
            row[c] /= z;
          }
        }
        p[i] = row;
      }
    }
    return p;
  }

  /** The index of the largest probability (the first on ties). */
  static int argmax(double[] p) {
    int best = 0;
    for (int c = 1; c < p.length; c++) {
      if (p[c] > p[best]) {
        best = c;
      }
    }
    return best;
  }

  /** Each row extended with its prediction and probability vector. */
  Iterator<Row> score(Iterator<Row> rows, int featuresIndex) {
    return new Iterator<>() {
      private final List<Row> pending = new ArrayList<>();
      private double[][] probs;
      private int next;

      @Override
      public boolean hasNext() {
        if (next < pending.size()) {
          return true;
        }
        pending.clear();
        next = 0;
        List<float[]> xs = new ArrayList<>();
        while (rows.hasNext() && pending.size() < BATCH) {
          Row r = rows.next();
          pending.add(r);
          xs.add(Frames.features(r, featuresIndex));
        }
        if (pending.isEmpty()) {
          return false;
        }
        probs = probabilities(xs);
        return true;
      }

      @Override
      public Row next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        Row r = pending.get(next);
        double[] p = probs[next++];
        List<Object> v = Frames.values(r);
        v.add((double) argmax(p));
        v.add(Vectors.dense(p));
        return RowFactory.create(v.toArray());
      }
    };
  }
}

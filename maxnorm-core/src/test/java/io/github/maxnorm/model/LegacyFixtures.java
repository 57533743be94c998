package io.github.maxnorm.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.maxnorm.data.Dataset;
import io.github.maxnorm.losses.Losses;
import io.github.maxnorm.nn.Constraints;
import io.github.maxnorm.nn.Regularizers;
import io.github.maxnorm.nn.layers.Conv2D;
import io.github.maxnorm.nn.layers.Dense;
import io.github.maxnorm.nn.layers.Dropout;
import io.github.maxnorm.nn.layers.Flatten;
import io.github.maxnorm.nn.layers.MaxPooling2D;
import io.github.maxnorm.optim.SGD;
import io.github.maxnorm.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Writes the frozen model files of {@code LegacyModelFileTest}: two small models trained for a few
 * steps, saved in the model-file format of version 0.1 (a {@code Sequential} config, trainable
 * weights only), with the predictions the saving version computed on fixed inputs. The files were
 * written once, by the code of commit eaed1a5, before functional models existed; they are not
 * rewritten by the build. Run: {@code ./mvnw -q -pl maxnorm-core test-compile} and then
 * {@code java -cp ... io.github.maxnorm.model.LegacyFixtures DIR}.
 */
public final class LegacyFixtures {
  private LegacyFixtures() {}

  static Sequential mlp() {
    return new Sequential("legacy_mlp")
        .add(new Dropout(0.2).inputShape(12))
        .add(new Dense(16).activation("relu").kernelConstraint(Constraints.maxNorm(0.5))
            .kernelRegularizer(Regularizers.l2(1e-3)))
        .add(new Dropout(0.5))
        .add(new Dense(3).activation("softmax").kernelConstraint(Constraints.maxNorm(2)));
  }

  static Sequential cnn() {
    return new Sequential("legacy_cnn")
        .add(new Conv2D(4, 3, 3).inputShape(6, 6, 2).padding("same").activation("relu")
            .kernelConstraint(Constraints.maxNorm(1)))
        .add(new MaxPooling2D(2, 2))
        .add(new Flatten())
        .add(new Dense(3).activation("softmax"));
  }

  static Tensor inputs(int n, int... shape) {
    int[] full = new int[shape.length + 1];
    full[0] = n;
    System.arraycopy(shape, 0, full, 1, shape.length);
    return Tensor.randomUniform(new SplittableRandom(5), -1f, 1f, full);
  }

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args[0]);
    Files.createDirectories(dir);
    ObjectMapper json = new ObjectMapper();
    write(json, dir, "mlp", mlp(), 12);
    write(json, dir, "cnn", cnn(), 6, 6, 2);
  }

  private static void write(ObjectMapper json, Path dir, String name, Sequential m, int... shape)
      throws IOException {
    Tensor x = inputs(40, shape);
    int[] y = new int[40];
    for (int i = 0; i < y.length; i++) {
      y[i] = i % 3;
    }
    float[] xs = x.toArray();
    Dataset data = Dataset.ofFloats(shape, xs, y, 3);
    m.compile(SGD.of(0.5).withMomentum(0.9), Losses.sparseCategoricalCrossentropy(false),
        "accuracy");
    m.fit(data, FitOptions.defaults().epochs(2).batchSize(8).seed(3).verbose(0));
    ModelIO.save(m, dir.resolve(name + ".maxnorm"));
    Tensor p = m.predict(x);
    ObjectNode out = json.createObjectNode();
    out.put("written_by", "maxnorm 0.1.0-SNAPSHOT at commit eaed1a5 (Sequential only)");
    ArrayNode in = out.putArray("input_shape");
    for (int d : x.shape().dims()) {
      in.add(d);
    }
    ArrayNode iv = out.putArray("input");
    for (float v : xs) {
      iv.add(Float.floatToRawIntBits(v));
    }
    ArrayNode pv = out.putArray("predictions");
    for (float v : p.toArray()) {
      pv.add(Float.floatToRawIntBits(v));
    }
    // the saved file, loaded and trained for one more epoch (a resumed run)
    Model resumed = ModelIO.load(dir.resolve(name + ".maxnorm"));
    resumed.fit(data, FitOptions.defaults().initialEpoch(2).epochs(3).batchSize(8).seed(3)
        .verbose(0));
    ArrayNode rv = out.putArray("resumed_predictions");
    for (float v : resumed.predict(x).toArray()) {
      rv.add(Float.floatToRawIntBits(v));
    }
    out.put("note", "input and predictions are float32 bit patterns (Float.floatToRawIntBits);"
        + " resumed_predictions: after loading the file and fitting epoch 3 (initialEpoch 2,"
        + " batch 8, seed 3) on the 40 samples with labels i % 3");
    json.writerWithDefaultPrettyPrinter().writeValue(dir.resolve(name + ".json").toFile(), out);
  }
}

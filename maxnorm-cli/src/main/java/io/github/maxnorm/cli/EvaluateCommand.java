package io.github.maxnorm.cli;

import io.github.maxnorm.data.Dataset;
import io.github.maxnorm.data.Datasets;
import io.github.maxnorm.interop.InputLayouts;
import io.github.maxnorm.kernel.Parallel;
import io.github.maxnorm.losses.Losses;
import io.github.maxnorm.model.Model;
import io.github.maxnorm.model.Sequential;
import io.github.maxnorm.optim.SGD;
import io.github.maxnorm.tensor.Tensor;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code maxnorm evaluate}: loss, accuracy and confusion matrix on a test set. */
@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Evaluate a saved model: loss, accuracy and confusion matrix.",
      "Uses the test split of the data set (a CSV file is evaluated whole); the confusion",
      "matrix has the true class in rows and the predicted class in columns."
    })
final class EvaluateCommand implements Callable<Integer> {
  @ParentCommand Main main;

  @Parameters(index = "0", paramLabel = "MODEL", description = "A model file (model.maxnorm).")
  Path modelFile;

  @Option(names = "--data", paramLabel = "DATA", defaultValue = "mnist-sample",
      description = "mnist-sample, fashion-mnist, mnist, cifar10, a directory of IDX files or a"
          + " CSV file (evaluated whole) (default: ${DEFAULT-VALUE}).")
  String data;

  @Option(names = "--data-dir", paramLabel = "DIR",
      description = "Directory of the files of mnist, cifar10 or fashion-mnist.")
  String dataDir;

  @Option(names = "--label-column", paramLabel = "COL",
      description = "CSV label column, 0-based index or header name (default 0).")
  String labelColumn;

  @Option(names = "--batch-size", paramLabel = "N", defaultValue = "500",
      description = "Samples per batch (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--threads", paramLabel = "N", description = "Threads for the compute kernels.")
  Integer threads;

  @Option(names = "--debug", description = "Print stack traces of errors.")
  boolean debug;

  @Override
  public Integer call() throws IOException {
    if (threads != null) {
      Parallel.setThreads(threads);
    }
    Model m = ModelLoader.load(modelFile, main.err);
    Dataset test;
    if (DataSources.isCsv(data)) {
      test = Datasets.csv(Path.of(data), DataSources.csvFormat(labelColumn));
    } else {
      test = DataSources.load(data, dataDir, labelColumn, null, 0).test();
    }
    InputLayouts.Adapted adapted = InputLayouts.adapt(test, m.inputShape());
    if (adapted.note() != null) {
      main.out.println("data: " + adapted.note());
    }
    test = adapted.data();
    if (!m.compiled()) {
      m.compile(SGD.of(0.01), Losses.sparseCategoricalCrossentropy(false), "accuracy");
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("--batch-size must be >= 1, received " + batchSize);
    }
    Map<String, Double> r = m.evaluate(test, batchSize);
    PrintStream o = main.out;
    o.printf(Locale.ROOT, "%s on %s: %d samples%n", modelFile, data, test.size());
    o.printf(Locale.ROOT, "loss %.4f acc %.4f%n", r.get("loss"), r.getOrDefault("accuracy",
        Double.NaN));
    int classes = m.outputShape().dim(m.outputShape().rank() - 1);
    int[] pred = argmax(m.predict(test, batchSize));
    long[][] cm = new long[Math.max(classes, test.numClasses())][Math.max(classes,
        test.numClasses())];
    int[] y = test.labels();
    for (int i = 0; i < y.length; i++) {
      cm[y[i]][pred[i]]++;
    }
    o.println();
    o.println("confusion matrix (rows: true class, columns: predicted class)");
    o.print(confusionTable(cm));
    return Main.OK;
  }

  static Model load(Path file) throws IOException {
    return ModelLoader.load(file, null);
  }

  /** The index of the largest value of each row of a {@code [n, k]} tensor. */
  static int[] argmax(Tensor probs) {
    int n = probs.shape().dim(0);
    int k = probs.shape().size() / Math.max(n, 1);
    float[] p = probs.toArray();
    int[] r = new int[n];
    for (int i = 0; i < n; i++) {
      int best = 0;
      for (int j = 1; j < k; j++) {
        if (p[i * k + j] > p[i * k + best]) {
          best = j;
        }
      }
      r[i] = best;
    }
    return r;
  }

  static String confusionTable(long[][] cm) {
    int w = 5;
    for (long[] row : cm) {
      for (long v : row) {
        w = Math.max(w, Long.toString(v).length() + 1);
      }
    }
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "%" + w + "s", "t\\p"));
    for (int j = 0; j < cm.length; j++) {
      b.append(String.format(Locale.ROOT, "%" + w + "d", j));
    }
    b.append(String.format(Locale.ROOT, "%" + (w + 3) + "s%n", "recall"));
    for (int i = 0; i < cm.length; i++) {
      b.append(String.format(Locale.ROOT, "%" + w + "d", i));
      long total = 0;
      for (int j = 0; j < cm.length; j++) {
        b.append(String.format(Locale.ROOT, "%" + w + "d", cm[i][j]));
        total += cm[i][j];
      }
      b.append(total == 0 ? String.format(Locale.ROOT, "%" + (w + 3) + "s%n", "-")
          : String.format(Locale.ROOT, "%" + (w + 3) + ".3f%n", cm[i][i] / (double) total));
    }
    return b.toString();
  }
}

package io.github.maxnorm.cli;

import io.github.maxnorm.model.Model;
import io.github.maxnorm.data.Dataset;
import io.github.maxnorm.data.Datasets;
import io.github.maxnorm.data.Image;
import io.github.maxnorm.data.Images;
import io.github.maxnorm.data.InvalidDataException;
import io.github.maxnorm.kernel.Parallel;
import io.github.maxnorm.model.Sequential;
import io.github.maxnorm.tensor.Shape;
import io.github.maxnorm.tensor.Tensor;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code maxnorm predict}: the class and class probabilities of each input sample. */
@Command(
    name = "predict",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Predict the class of images, IDX images or CSV rows.",
      "Input: an image (PNG, JPEG, GIF, BMP; resized to the model's input), an IDX images",
      "file, or a CSV file. Prints one line per sample: index, class, its probability, and",
      "the probabilities of all classes."
    })
final class PredictCommand implements Callable<Integer> {
  @ParentCommand Main main;

  @Parameters(index = "0", paramLabel = "MODEL", description = "A model file (model.maxnorm).")
  Path modelFile;

  @Option(names = "--input", paramLabel = "FILE", required = true,
      description = "An image, an IDX images file (raw or .gz) or a CSV file.")
  Path input;

  @Option(names = "--label-column", paramLabel = "COL",
      description = "For a CSV file with labels: the label column to leave out, index or header"
          + " name. Without it every column is a feature.")
  String labelColumn;

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
    if (!Files.isRegularFile(input)) {
      throw new NoSuchFileException(input.toString());
    }
    Shape in = m.inputShape();
    String name = input.getFileName().toString().toLowerCase(Locale.ROOT);
    Tensor x;
    if (name.endsWith(".png") || name.endsWith(".jpg") || name.endsWith(".jpeg")
        || name.endsWith(".gif") || name.endsWith(".bmp")) {
      if (in.rank() != 3 || (in.dim(2) != 1 && in.dim(2) != 3)) {
        throw new IllegalArgumentException("the model takes samples of shape " + in
            + "; an image needs a model whose input is [height, width, 1 or 3]");
      }
      Image img = Images.read(input, in.dim(0), in.dim(1), in.dim(2));
      x = img.toTensor();
    } else if (name.endsWith(".csv")) {
      if (labelColumn != null) {
        Dataset d = Datasets.csv(input, DataSources.csvFormat(labelColumn));
        x = reshape(d.all().x(), d.size(), in);
      } else {
        x = readFeatures(input, in);
      }
    } else {
      Dataset d = Datasets.idxImages(input);
      x = reshape(d.all().x(), d.size(), in);
    }
    int n = x.shape().dim(0);
    PrintStream o = main.out;
    int batch = 500;
    List<Tensor> parts = new ArrayList<>();
    float[] all = x.toArray();
    int size = in.size();
    for (int from = 0; from < n; from += batch) {
      int to = Math.min(n, from + batch);
      float[] chunk = new float[(to - from) * size];
      System.arraycopy(all, from * size, chunk, 0, chunk.length);
      parts.add(m.predict(Tensor.of(chunk, batchShape(to - from, in))));
    }
    for (int i = 0, row = 0; i < parts.size(); i++) {
      Tensor p = parts.get(i);
      int rows = p.shape().dim(0);
      int k = p.shape().size() / rows;
      float[] v = p.toArray();
      for (int r = 0; r < rows; r++, row++) {
        int best = 0;
        for (int j = 1; j < k; j++) {
          if (v[r * k + j] > v[r * k + best]) {
            best = j;
          }
        }
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%d class %d p %.4f [", row, best, v[r * k + best]));
        for (int j = 0; j < k; j++) {
          b.append(j > 0 ? " " : "").append(String.format(Locale.ROOT, "%.4f", v[r * k + j]));
        }
        o.println(b.append(']'));
      }
    }
    return Main.OK;
  }

  private static int[] batchShape(int n, Shape in) {
    int[] d = new int[in.rank() + 1];
    d[0] = n;
    System.arraycopy(in.dims(), 0, d, 1, in.rank());
    return d;
  }

  private static Tensor reshape(Tensor x, int n, Shape in) {
    if (x.shape().size() != (long) n * in.size()) {
      throw new IllegalArgumentException("the model takes samples of shape " + in + " ("
          + in.size() + " values), the input has samples of " + x.shape().size() / Math.max(n, 1)
          + " values");
    }
    return Tensor.of(x.toArray(), batchShape(n, in));
  }

  /** Reads a CSV file whose cells are all features (a header row is skipped). */
  static Tensor readFeatures(Path file, Shape in) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    List<float[]> rows = new ArrayList<>();
    int lineNo = 0;
    for (String line : lines) {
      lineNo++;
      if (line.isBlank()) {
        continue;
      }
      String[] cells = line.split(",", -1);
      float[] v = new float[cells.length];
      boolean numeric = true;
      for (int i = 0; i < cells.length && numeric; i++) {
        try {
          v[i] = Float.parseFloat(cells[i].strip());
          numeric = Float.isFinite(v[i]);
        } catch (NumberFormatException e) {
          numeric = false;
        }
      }
      if (!numeric) {
        if (rows.isEmpty() && lineNo == firstNonBlank(lines)) {
          continue;
        }
        throw new InvalidDataException(file + ":" + lineNo + ": a cell is not a finite number");
      }
      if (v.length != in.size()) {
        throw new InvalidDataException(file + ":" + lineNo + ": " + v.length
            + " values, the model takes " + in.size() + " per sample (shape " + in + "); give"
            + " --label-column if the file has a label column");
      }
      rows.add(v);
    }
    if (rows.isEmpty()) {
      throw new InvalidDataException(file + ": no data rows");
    }
    float[] all = new float[rows.size() * in.size()];
    for (int i = 0; i < rows.size(); i++) {
      System.arraycopy(rows.get(i), 0, all, i * in.size(), in.size());
    }
    return Tensor.of(all, batchShape(rows.size(), in));
  }

  private static int firstNonBlank(List<String> lines) {
    for (int i = 0; i < lines.size(); i++) {
      if (!lines.get(i).isBlank()) {
        return i + 1;
      }
    }
    return -1;
  }
}

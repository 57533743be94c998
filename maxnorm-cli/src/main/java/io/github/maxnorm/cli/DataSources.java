package io.github.maxnorm.cli;

import io.github.maxnorm.data.CsvFormat;
import io.github.maxnorm.data.Dataset;
import io.github.maxnorm.data.Datasets;
import io.github.maxnorm.data.Split;
import io.github.maxnorm.data.TrainTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resolves the {@code --data} option of the commands to a training and a test set. */
final class DataSources {
  /** The test fraction held out of a CSV file when no test file and no split is given. */
  static final double DEFAULT_CSV_TEST_FRACTION = 0.2;

  static final String NAMES = "mnist-sample, fashion-mnist, mnist, cifar10";

  private DataSources() {}

  /**
   * Loads a data set.
   *
   * @param data a name ({@value #NAMES}), a directory of IDX files or a CSV file
   * @param dataDir the directory for mnist, cifar10 and fashion-mnist, or null
   * @param labelColumn the CSV label column, index or header name, or null for column 0
   * @param testCsv the CSV test file, or null
   * @param testFraction the fraction of a CSV file held out as test set when there is no test file
   */
  static TrainTest load(
      String data, String dataDir, String labelColumn, String testCsv, double testFraction)
      throws IOException {
    Path dir = dataDir == null ? null : Path.of(dataDir);
    switch (data) {
      case "mnist-sample":
        return Datasets.mnistSample();
      case "fashion-mnist":
        return dir == null ? Datasets.fashionMnist() : Datasets.fashionMnist(dir);
      case "mnist":
        return Datasets.mnist(requireDir(data, dir));
      case "cifar10":
        return Datasets.cifar10(requireDir(data, dir));
      default:
        break;
    }
    Path p = Path.of(data);
    if (Files.isDirectory(p)) {
      return Datasets.idxDirectory(p);
    }
    if (Files.isRegularFile(p)) {
      CsvFormat f = csvFormat(labelColumn);
      if (testCsv != null) {
        return Datasets.csv(p, Path.of(testCsv), f);
      }
      Dataset all = Datasets.csv(p, f);
      double frac = testFraction > 0 ? testFraction : DEFAULT_CSV_TEST_FRACTION;
      Split s = all.split(frac);
      return new TrainTest(s.train(), s.validation());
    }
    throw new IllegalArgumentException(
        "--data " + data + ": no such file or directory (give " + NAMES
            + ", a directory of IDX files or a CSV file)");
  }

  /** True when {@code data} names a CSV file (not a built-in name or a directory). */
  static boolean isCsv(String data) {
    return !isName(data) && Files.isRegularFile(Path.of(data));
  }

  static boolean isName(String data) {
    return data.equals("mnist-sample") || data.equals("fashion-mnist") || data.equals("mnist")
        || data.equals("cifar10");
  }

  static CsvFormat csvFormat(String labelColumn) {
    CsvFormat f = CsvFormat.defaults();
    if (labelColumn == null) {
      return f;
    }
    if (labelColumn.matches("\\d+")) {
      return f.withLabelColumn(Integer.parseInt(labelColumn));
    }
    return f.withLabelColumn(labelColumn);
  }

  private static Path requireDir(String data, Path dir) {
    if (dir == null) {
      throw new IllegalArgumentException(
          "--data " + data + " needs --data-dir DIR (the directory holding its files)");
    }
    return dir;
  }
}

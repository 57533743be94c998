package io.github.maxnorm.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads the data sets this library reads: the bundled MNIST sample, MNIST-style IDX directories
 * (MNIST, Fashion-MNIST), CIFAR-10 binary batches and labelled CSV files.
 *
 * <p>Every loader reads the whole data set into memory. Malformed, truncated or missing files are
 * reported as {@link InvalidDataException}, naming the file and what is wrong.
 */
public final class Datasets {

  /** Where the Debian package {@code dataset-fashion-mnist} installs its files. */
  public static final Path FASHION_MNIST_DIR = Path.of("/usr/share/datasets/fashion-mnist");

  /** The classes of MNIST, Fashion-MNIST and CIFAR-10. */
  static final int TEN = 10;

  static final List<String> TRAIN_IMAGES = names("train", "images", 3);
  static final List<String> TRAIN_LABELS = names("train", "labels", 1);
  static final List<String> TEST_IMAGES = concat(names("t10k", "images", 3),
      names("test", "images", 3));
  static final List<String> TEST_LABELS = concat(names("t10k", "labels", 1),
      names("test", "labels", 1));

  static final List<String> CIFAR_TRAIN = List.of(
      "data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin",
      "data_batch_5.bin");
  static final String CIFAR_TEST = "test_batch.bin";
  static final String CIFAR_SUBDIR = "cifar-10-batches-bin";

  private static final String SAMPLE = "mnist-sample/";

  private Datasets() {}

  // --------------------------------------------------------------------------------- MNIST

  /**
   * The bundled sample of MNIST: 8,000 training and 2,000 test digits of {@code [28, 28, 1]}, 10
   * classes, read from the class path.
   */
  public static TrainTest mnistSample() throws IOException {
    Dataset train = fromIdx(
        readResource(SAMPLE + "train-images-idx3-ubyte.gz", Idx.Kind.IMAGES),
        readResource(SAMPLE + "train-labels-idx1-ubyte.gz", Idx.Kind.LABELS),
        SAMPLE + "train-images-idx3-ubyte.gz", SAMPLE + "train-labels-idx1-ubyte.gz", TEN);
    Dataset test = fromIdx(
        readResource(SAMPLE + "test-images-idx3-ubyte.gz", Idx.Kind.IMAGES),
        readResource(SAMPLE + "test-labels-idx1-ubyte.gz", Idx.Kind.LABELS),
        SAMPLE + "test-images-idx3-ubyte.gz", SAMPLE + "test-labels-idx1-ubyte.gz", TEN);
    return new TrainTest(train, test);
  }

  /**
   * MNIST from a directory of the four IDX files (names as in {@link #idxDirectory}); labels must
   * be 0-9.
   */
  public static TrainTest mnist(Path dir) throws IOException {
    return idxDirectory(dir, TEN);
  }

  /** Fashion-MNIST from {@link #FASHION_MNIST_DIR}. */
  public static TrainTest fashionMnist() throws IOException {
    return fashionMnist(FASHION_MNIST_DIR);
  }

  /** Fashion-MNIST from a directory of the four IDX files; labels must be 0-9. */
  public static TrainTest fashionMnist(Path dir) throws IOException {
    return idxDirectory(dir, TEN);
  }

  /**
   * A training and test set from a directory of four IDX files, each raw or gzip-compressed. The
   * first name present is used: training images {@code train-images-idx3-ubyte[.gz]} (or {@code
   * train-images.idx3-ubyte[.gz]}), training labels {@code train-labels-idx1-ubyte[.gz]}, test
   * images {@code t10k-images-idx3-ubyte[.gz]} or {@code test-images-idx3-ubyte[.gz]}, test labels
   * {@code t10k-labels-idx1-ubyte[.gz]} or {@code test-labels-idx1-ubyte[.gz]}. The number of
   * classes is the largest label in either set + 1.
   */
  public static TrainTest idxDirectory(Path dir) throws IOException {
    return idxDirectory(dir, 0);
  }

  private static TrainTest idxDirectory(Path dir, int numClasses) throws IOException {
    checkDirectory(dir);
    Path trainImages = find(dir, TRAIN_IMAGES, "training images");
    Path trainLabels = find(dir, TRAIN_LABELS, "training labels");
    Path testImages = find(dir, TEST_IMAGES, "test images");
    Path testLabels = find(dir, TEST_LABELS, "test labels");
    Idx.Data trI = Idx.read(trainImages, Idx.Kind.IMAGES);
    Idx.Data trL = Idx.read(trainLabels, Idx.Kind.LABELS);
    Idx.Data teI = Idx.read(testImages, Idx.Kind.IMAGES);
    Idx.Data teL = Idx.read(testLabels, Idx.Kind.LABELS);
    int classes = numClasses > 0 ? numClasses : Math.max(maxByte(trL.bytes), maxByte(teL.bytes)) + 1;
    return new TrainTest(
        fromIdx(trI, trL, trainImages.toString(), trainLabels.toString(), classes),
        fromIdx(teI, teL, testImages.toString(), testLabels.toString(), classes));
  }

  /**
   * One data set from an IDX image file and an IDX label file (raw or gzip); the number of classes
   * is the largest label + 1.
   */
  public static Dataset idx(Path images, Path labels) throws IOException {
    Idx.Data im = Idx.read(images, Idx.Kind.IMAGES);
    Idx.Data lb = Idx.read(labels, Idx.Kind.LABELS);
    return fromIdx(im, lb, images.toString(), labels.toString(), maxByte(lb.bytes) + 1);
  }

  /**
   * The images of one IDX image file (raw or gzip) without labels, for prediction: every label is
   * 0 and the data set has one class.
   */
  public static Dataset idxImages(Path images) throws IOException {
    Idx.Data im = Idx.read(images, Idx.Kind.IMAGES);
    return Dataset.wrapBytes(im.sampleShape(), im.bytes, new int[im.count()], 1);
  }

  static Dataset fromIdx(
      Idx.Data images, Idx.Data labels, String imageSource, String labelSource, int numClasses)
      throws InvalidDataException {
    if (images.count() != labels.count()) {
      throw new InvalidDataException(
          imageSource + " holds " + images.count() + " images but " + labelSource + " holds "
              + labels.count() + " labels");
    }
    int[] y = new int[labels.count()];
    for (int i = 0; i < y.length; i++) {
      y[i] = labels.bytes[i] & 0xFF;
      if (y[i] >= numClasses) {
        throw new InvalidDataException(
            labelSource + ": label " + y[i] + " at index " + i + " is outside 0-"
                + (numClasses - 1));
      }
    }
    return Dataset.wrapBytes(images.sampleShape(), images.bytes, y, numClasses);
  }

  private static Idx.Data readResource(String name, Idx.Kind kind) throws IOException {
    try (InputStream in = Datasets.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new InvalidDataException(
            "class-path resource io/github/maxnorm/data/" + name + " not found");
      }
      return Idx.read(in, name, -1, kind);
    }
  }

  // --------------------------------------------------------------------------------- CIFAR

  /**
   * CIFAR-10 from the binary batches {@code data_batch_1.bin} .. {@code data_batch_5.bin}
   * (training, concatenated in that order) and {@code test_batch.bin}, in {@code dir} or in its
   * subdirectory {@code cifar-10-batches-bin}. Samples are {@code [32, 32, 3]} (channels last).
   */
  public static TrainTest cifar10(Path dir) throws IOException {
    checkDirectory(dir);
    Path base = dir;
    if (!Files.isRegularFile(dir.resolve(CIFAR_TEST))
        && Files.isRegularFile(dir.resolve(CIFAR_SUBDIR).resolve(CIFAR_TEST))) {
      base = dir.resolve(CIFAR_SUBDIR);
    }
    List<Path> train = new ArrayList<>();
    for (String n : CIFAR_TRAIN) {
      train.add(require(base.resolve(n), dir));
    }
    Path test = require(base.resolve(CIFAR_TEST), dir);
    return new TrainTest(Cifar.read(train), Cifar.read(List.of(test)));
  }

  /** One data set from CIFAR-10 binary batch files, concatenated in the given order. */
  public static Dataset cifar10Batches(Path... files) throws IOException {
    if (files == null || files.length == 0) {
      throw new IllegalArgumentException("cifar10Batches: give at least one file");
    }
    return Cifar.read(List.of(files));
  }

  // --------------------------------------------------------------------------------- CSV

  /** A CSV file read with {@link CsvFormat#defaults()}. */
  public static Dataset csv(Path file) throws IOException {
    return csv(file, CsvFormat.defaults());
  }

  /** A CSV file of numeric cells: one sample per row, one column holding the integer label. */
  public static Dataset csv(Path file, CsvFormat format) throws IOException {
    if (format == null) {
      throw new IllegalArgumentException("csv: format must not be null");
    }
    Csv.Table t = Csv.read(file, format);
    return t.toDataset(format.numClasses() > 0 ? format.numClasses() : t.maxLabel + 1);
  }

  /**
   * A training and a test CSV file of the same format; when the format infers the number of
   * classes, it is the largest label in either file + 1.
   */
  public static TrainTest csv(Path trainFile, Path testFile, CsvFormat format) throws IOException {
    if (format == null) {
      throw new IllegalArgumentException("csv: format must not be null");
    }
    Csv.Table train = Csv.read(trainFile, format);
    Csv.Table test = Csv.read(testFile, format);
    if (!java.util.Arrays.equals(train.sampleShape, test.sampleShape)) {
      throw new InvalidDataException(
          testFile + ": samples of shape " + java.util.Arrays.toString(test.sampleShape)
              + " do not match " + trainFile + " with shape "
              + java.util.Arrays.toString(train.sampleShape));
    }
    int classes = format.numClasses() > 0
        ? format.numClasses() : Math.max(train.maxLabel, test.maxLabel) + 1;
    return new TrainTest(train.toDataset(classes), test.toDataset(classes));
  }

  // --------------------------------------------------------------------------------- helpers

  private static void checkDirectory(Path dir) throws InvalidDataException {
    if (dir == null) {
      throw new IllegalArgumentException("directory must not be null");
    }
    if (!Files.isDirectory(dir)) {
      throw new InvalidDataException(
          dir + ": directory not found", new NoSuchFileException(dir.toString()));
    }
  }

  private static Path find(Path dir, List<String> candidates, String what)
      throws InvalidDataException {
    for (String n : candidates) {
      Path p = dir.resolve(n);
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    throw new InvalidDataException(
        dir + ": no " + what + " file; looked for " + String.join(", ", candidates),
        new NoSuchFileException(dir.resolve(candidates.get(0)).toString()));
  }

  private static Path require(Path file, Path dir) throws InvalidDataException {
    if (!Files.isRegularFile(file)) {
      throw new InvalidDataException(
          file + ": file not found (looked in " + dir + " and " + dir.resolve(CIFAR_SUBDIR) + ")",
          new NoSuchFileException(file.toString()));
    }
    return file;
  }

  private static int maxByte(byte[] b) {
    int m = 0;
    for (byte v : b) {
      m = Math.max(m, v & 0xFF);
    }
    return m;
  }

  private static List<String> names(String prefix, String kind, int rank) {
    String dash = prefix + "-" + kind + "-idx" + rank + "-ubyte";
    String dot = prefix + "-" + kind + ".idx" + rank + "-ubyte";
    return List.of(dash + ".gz", dash, dot + ".gz", dot);
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> r = new ArrayList<>(a);
    r.addAll(b);
    return List.copyOf(r);
  }
}

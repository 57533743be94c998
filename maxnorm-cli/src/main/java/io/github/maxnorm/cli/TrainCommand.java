package io.github.maxnorm.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.maxnorm.data.Dataset;
import io.github.maxnorm.data.TrainTest;
import io.github.maxnorm.interop.InputLayouts;
import io.github.maxnorm.kernel.Parallel;
import io.github.maxnorm.kernel.Precision;
import io.github.maxnorm.losses.Losses;
import io.github.maxnorm.model.CSVLogger;
import io.github.maxnorm.model.Callback;
import io.github.maxnorm.model.FitOptions;
import io.github.maxnorm.model.History;
import io.github.maxnorm.model.ModelCheckpoint;
import io.github.maxnorm.model.Model;
import io.github.maxnorm.model.ModelIO;
import io.github.maxnorm.model.Sequential;
import io.github.maxnorm.model.TerminateOnNaN;
import io.github.maxnorm.spark.RoundLog;
import io.github.maxnorm.spark.TrainingResult;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code maxnorm train}: trains a model and writes the run's files to an output folder. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Train a classifier with max-norm constraints and dropout.",
      "Writes model.maxnorm, history.csv, run.json, summary.json,",
      "training-curves.png and unit-norms.png to the output folder.",
      "Exit codes: 0 done, 2 bad usage or input, 3 training diverged."
    })
final class TrainCommand implements Callable<Integer> {
  static final String MODEL_FILE = "model.maxnorm";

  @ParentCommand Main main;
  @Spec CommandSpec spec;

  @Option(names = "--data", paramLabel = "DATA", defaultValue = "mnist-sample",
      description = "mnist-sample (bundled), fashion-mnist, mnist, cifar10, a directory of IDX"
          + " files or a CSV file (default: ${DEFAULT-VALUE}).")
  String data;

  @Option(names = "--data-dir", paramLabel = "DIR",
      description = "Directory of the files of mnist, cifar10 or fashion-mnist.")
  Path dataDir;

  @Option(names = "--label-column", paramLabel = "COL",
      description = "CSV label column, 0-based index or header name (default 0).")
  String labelColumn;

  @Option(names = "--test-csv", paramLabel = "FILE",
      description = "CSV test file; without it the last --validation-split fraction (0.2 when"
          + " the split is 0) of the CSV file is the test set.")
  Path testCsv;

  @Option(names = "--model", paramLabel = "MODEL", defaultValue = "mlp",
      description = "mlp, cnn, keras-cifar, resnet-mini, a JSON model spec, a Keras model file"
          + " (.keras, .h5, TensorFlow.js model.json, .maxnorm) or a Keras model config"
          + " (default: ${DEFAULT-VALUE}).")
  String model;

  @Option(names = "--epochs", paramLabel = "N", defaultValue = "10",
      description = "Epochs to train (default: ${DEFAULT-VALUE}).")
  int epochs;

  @Option(names = "--batch-size", paramLabel = "N", defaultValue = "256",
      description = "Samples per step (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--lr", paramLabel = "RATE", defaultValue = "0.1",
      description = "Learning rate (default: ${DEFAULT-VALUE}).")
  double lr;

  @Option(names = "--momentum", paramLabel = "M", defaultValue = "0.9",
      description = "SGD momentum (default: ${DEFAULT-VALUE}).")
  double momentum;

  @Option(names = "--optimizer", paramLabel = "NAME", defaultValue = "sgd",
      description = "sgd, adam or rmsprop (default: ${DEFAULT-VALUE}).")
  String optimizer;

  @Option(names = "--max-norm", paramLabel = "C|none", defaultValue = "3",
      description = "Max-norm bound on each unit's incoming weights, or none (default:"
          + " ${DEFAULT-VALUE}); on a model file, adds or replaces its kernel constraints.")
  String maxNorm;

  @Option(names = "--dropout", paramLabel = "IN,HIDDEN", defaultValue = "0.2,0.5",
      description = "Dropout rates of the input and hidden layers (default: ${DEFAULT-VALUE}).")
  String dropout;

  @Option(names = "--l2", paramLabel = "COEF|none", defaultValue = "none",
      description = "L2 penalty coefficient on kernels (default: ${DEFAULT-VALUE}).")
  String l2;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "1",
      description = "Seed of initialization, shuffling and dropout (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--threads", paramLabel = "N",
      description = "Threads for the compute kernels (the launcher also sets OMP_NUM_THREADS).")
  Integer threads;

  @Option(names = "--precision", paramLabel = "POLICY", defaultValue = "float32",
      description = "float32, or mixed_bfloat16: products and convolutions with bfloat16"
          + " operands and float32 accumulation, weights and constraints in float32; needs a CPU"
          + " with AVX-512 BF16 or AMX (default: ${DEFAULT-VALUE}).")
  String precision;

  @Option(names = "--validation-split", paramLabel = "F", defaultValue = "0",
      description = "Fraction of the training data held out for validation (default: 0 = none).")
  double validationSplit;

  @Option(names = "--out", paramLabel = "DIR",
      description = "Output folder (default: a new runs/<yyyyMMdd-HHmmss>[-N]).")
  Path out;

  @Option(names = "--resume", paramLabel = "DIR",
      description = "Continue the run in DIR (its model.maxnorm and run.json); only --epochs and"
          + " --threads may be changed.")
  Path resume;

  @Option(names = "--spark", paramLabel = "MASTER",
      description = "Train data-parallel on Apache Spark: local[N] or spark://host:port (an"
          + " empty value takes spark-submit's master). One replica per partition; --batch-size"
          + " is per replica and --threads per task. The launcher adds Spark's jars.")
  String spark;

  @Option(names = "--partitions", paramLabel = "N", defaultValue = "2",
      description = "With --spark: replicas, one per shard of the training set"
          + " (default: ${DEFAULT-VALUE}).")
  int partitions;

  @Option(names = "--local-steps", paramLabel = "K", defaultValue = "1",
      description = "With --spark: steps each replica takes between two averagings"
          + " (default: ${DEFAULT-VALUE}).")
  int localSteps;

  @Option(names = "--limit", paramLabel = "N", hidden = true,
      description = "Use only the first N training samples (for quick runs).")
  Integer limit;

  @Option(names = "--debug", description = "Print stack traces of errors.")
  boolean debug;

  private static final List<String> RESUMABLE =
      List.of("--epochs", "--threads", "--debug", "--resume", "--spark");

  @Override
  public Integer call() throws Exception {
    PrintStream o = main.out;
    PrintStream e = main.err;
    boolean resuming = resume != null;
    RunConfig cfg;
    Path dir;
    if (resuming) {
      for (var opt : spec.commandLine().getParseResult().matchedOptions()) {
        if (!RESUMABLE.contains(opt.longestName())) {
          throw new IllegalArgumentException(
              opt.longestName() + " cannot be changed with --resume (the run's options come from "
                  + resume.resolve("run.json") + "); only --epochs and --threads can");
        }
      }
      dir = resume;
      if (!Files.isDirectory(dir)) {
        throw new IllegalArgumentException("--resume " + dir + ": no such directory");
      }
      cfg = RunConfig.read(dir.resolve("run.json"));
      if (matched("--epochs")) {
        cfg = cfg.withEpochs(epochs);
      }
      if (threads != null) {
        cfg = cfg.withThreads(threads);
      }
      if (spark != null) {
        cfg = cfg.withSparkMaster(spark);
      }
    } else {
      cfg = resolve();
      dir = out != null ? out : newRunDir();
    }
    if (cfg.spark() != null && !SparkRun.available()) {
      throw new IllegalArgumentException("--spark needs Apache Spark on the class path: run"
          + " ./maxnorm (it adds Spark's jars) or spark-submit");
    }
    boolean created = !Files.exists(dir);
    checkWritable(dir, resuming);
    try {
      return train(cfg, dir, resuming);
    } catch (Exception | Error ex) {
      if (created) {
        deleteIfEmpty(dir);
      }
      throw ex;
    }
  }

  private static void deleteIfEmpty(Path dir) {
    try (var s = Files.list(dir)) {
      if (s.findAny().isEmpty()) {
        Files.delete(dir);
      }
    } catch (IOException ignored) {
      // leave it
    }
  }

  private Integer train(RunConfig cfg, Path dir, boolean resuming) throws IOException {
    PrintStream o = main.out;
    PrintStream e = main.err;
    if (!cfg.dtypePolicy().precision().supported()) {
      throw new IllegalArgumentException("--precision " + cfg.precision() + ": "
          + Precision.bfloat16Unsupported());
    }
    if (cfg.threads() != null) {
      Parallel.setThreads(cfg.threads());
    }
    Path modelFile = dir.resolve(MODEL_FILE);

    TrainTest tt = DataSources.load(cfg.data(), cfg.dataDir(), cfg.labelColumn(), cfg.testCsv(),
        cfg.validationSplit());
    Dataset train = tt.train();
    if (cfg.limit() != null && cfg.limit() < train.size()) {
      int[] idx = new int[cfg.limit()];
      for (int i = 0; i < idx.length; i++) {
        idx[i] = i;
      }
      train = train.subset(idx);
    }
    double split = DataSources.isCsv(cfg.data()) && cfg.testCsv() == null
        ? 0 : cfg.validationSplit();

    Model m;
    if (resuming) {
      if (!Files.isRegularFile(modelFile)) {
        throw new IllegalArgumentException("--resume " + dir + ": no " + MODEL_FILE + " there");
      }
      m = ModelIO.load(modelFile);
      if (!m.compiled()) {
        throw new IllegalArgumentException(modelFile + ": the model was saved without training"
            + " state and cannot be resumed");
      }
    } else {
      m = Models.create(cfg, train.sampleShape(), Math.max(train.numClasses(), tt.test()
          .numClasses()));
      m.dtypePolicy(cfg.dtypePolicy());
      m.compile(Models.optimizer(cfg), Losses.sparseCategoricalCrossentropy(false), "accuracy");
      cfg.write(dir.resolve("run.json"));
      ModelIO.save(m, modelFile);
    }
    // a channels-first or flat-input model (an imported Keras model) gets the data in its layout
    InputLayouts.Adapted adapted = InputLayouts.adapt(train, m.inputShape());
    train = adapted.data();
    tt = new TrainTest(train, InputLayouts.adapt(tt.test(), m.inputShape()).data());
    if (adapted.note() != null) {
      o.println("data: " + adapted.note());
    }
    int initial = m.epochsCompleted();
    o.print(m.summary());
    o.printf(Locale.ROOT, "data %s: %d training, %d test samples of shape %s, %d classes%n",
        cfg.data(), train.size(), tt.test().size(), train.sampleShape(), train.numClasses());
    if (resuming) {
      o.printf(Locale.ROOT, "resuming %s at %s%n", dir, cfg.spark() == null
          ? "epoch " + (initial + 1) + " of " + cfg.epochs()
          : "step " + m.optimizer().iterations());
    }
    o.flush();

    RunConfig.Spark sp = cfg.spark();
    if (sp != null && split > 0) {
      throw new IllegalArgumentException("--validation-split cannot be used with --spark: the"
          + " data-parallel trainer has no validation pass; evaluate the saved model instead");
    }
    int fitSize = split > 0 ? train.size() - (int) Math.round(train.size() * split) : train.size();
    int perStep = sp == null ? cfg.batchSize() : cfg.batchSize() * sp.partitions();
    int steps = (Math.max(fitSize, 1) + perStep - 1) / perStep;
    List<Callback> cbs = new ArrayList<>();
    cbs.add(new ProgressReporter(o, e, ProgressReporter.interactive(e), steps, cfg.epochs()));
    cbs.add(new CSVLogger(dir.resolve("history.csv"), resuming));

    long t0 = System.nanoTime();
    History h;
    boolean diverged;
    long samples;
    String where;
    if (sp == null) {
      cbs.add(0, new TerminateOnNaN());
      cbs.add(2, new ModelCheckpoint(modelFile));
      FitOptions fo = FitOptions.defaults().epochs(cfg.epochs()).batchSize(cfg.batchSize())
          .initialEpoch(initial).validationSplit(split).seed(cfg.seed()).callbacks(cbs);
      h = m.fit(train, fo);
      diverged = h.diverged();
      int run = h.epochs().size();
      samples = (long) fitSize * Math.max(run - (diverged ? 1 : 0), 0)
          + (diverged ? (long) h.divergedStep() * cfg.batchSize() : 0);
      where = "epoch " + (h.divergedEpoch() + 1) + ", step " + (h.divergedStep() + 1);
    } else {
      long before = m.optimizer().iterations();
      TrainingResult r = SparkRun.fit(sp, cfg, train, m, modelFile, cbs);
      h = r.history();
      diverged = r.diverged();
      samples = (m.optimizer().iterations() - before) * perStep;
      RoundLog last = r.rounds().isEmpty() ? null : r.rounds().get(r.rounds().size() - 1);
      where = last == null ? "" : "epoch " + (last.epoch() + 1) + ", round " + (last.round() + 1);
    }
    double wall = (System.nanoTime() - t0) / 1e9;

    Model finalModel = m;
    if (diverged) {
      e.printf(Locale.ROOT,
          "maxnorm: training diverged at %s (loss not finite); stopped. The last good model"
              + " is in %s%n", where, modelFile);
      finalModel = ModelIO.load(modelFile);
    }
    Map<String, Double> test = finalModel.evaluate(tt.test(), 500);
    Map<String, double[]> norms = Reports.unitNorms(finalModel);
    int epochsRun = h.epochs().size();

    ObjectNode s = RunConfig.JSON.createObjectNode();
    s.put("test_accuracy", test.get("accuracy"));
    s.put("test_loss", test.get("loss"));
    double finalLoss = h.last("loss");
    if (Double.isFinite(finalLoss)) {
      s.put("final_loss", finalLoss);
    } else {
      s.putNull("final_loss");
    }
    s.put("diverged", diverged);
    if (diverged && sp == null) {
      s.put("diverged_epoch", h.divergedEpoch() + 1);
      s.put("diverged_step", h.divergedStep() + 1);
    }
    if (sp != null) {
      s.put("spark_master", sp.master());
      s.put("partitions", sp.partitions());
      s.put("local_steps", sp.localSteps());
      s.put("iterations", finalModel.optimizer().iterations());
    }
    s.put("epochs_run", epochsRun);
    s.put("epochs_completed", sp == null ? finalModel.epochsCompleted()
        : (int) (finalModel.optimizer().iterations() / steps));
    s.put("wall_seconds", wall);
    s.put("samples_per_second", wall > 0 ? samples / wall : 0);
    s.put("threads", Parallel.threads());
    s.put("precision", cfg.precision());
    ObjectNode mun = s.putObject("max_unit_norm");
    for (Map.Entry<String, Double> en : Reports.maxUnitNorms(norms).entrySet()) {
      mun.put(en.getKey(), en.getValue());
    }
    Files.writeString(dir.resolve("summary.json"),
        RunConfig.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(s) + "\n");
    Reports.trainingCurves(dir.resolve("history.csv"), dir.resolve("training-curves.png"));
    Reports.unitNormChart(norms, Reports.bounds(finalModel), dir.resolve("unit-norms.png"));

    o.printf(Locale.ROOT, "test loss %.4f acc %.4f | training %.1f s, %.0f samples/s | %s%n",
        test.get("loss"), test.get("accuracy"), wall, wall > 0 ? samples / wall : 0.0, dir);
    return diverged ? Main.DIVERGED : Main.OK;
  }

  private boolean matched(String name) {
    return spec.commandLine().getParseResult().hasMatchedOption(name);
  }

  private RunConfig resolve() {
    // a model file keeps its own constraints unless --max-norm is given
    Double mn = Models.isName(model) || matched("--max-norm")
        ? parseOptional("--max-norm", maxNorm) : null;
    Double l2v = parseOptional("--l2", l2);
    String[] rates = dropout.split(",", -1);
    if (rates.length != 2) {
      throw new IllegalArgumentException(
          "--dropout expects two rates IN,HIDDEN such as 0.2,0.5, received " + dropout);
    }
    double in = number("--dropout", rates[0]);
    double hid = number("--dropout", rates[1]);
    String opt = optimizer.toLowerCase(Locale.ROOT);
    if (!List.of("sgd", "adam", "rmsprop").contains(opt)) {
      throw new IllegalArgumentException(
          "--optimizer must be sgd, adam or rmsprop, received " + optimizer);
    }
    String d = data;
    if (!DataSources.isName(d)) {
      d = Path.of(d).toAbsolutePath().normalize().toString();
      if (!Files.exists(Path.of(d))) {
        throw new IllegalArgumentException("--data " + data + ": no such file or directory (give "
            + DataSources.NAMES + ", a directory of IDX files or a CSV file)");
      }
    }
    String mdl = model;
    if (!Models.isName(mdl)) {
      Path p = Path.of(mdl);
      if (!Files.isRegularFile(p)) {
        throw new IllegalArgumentException(
            "--model " + mdl + ": not a model name (" + Models.NAMES + ") and no such file");
      }
      mdl = p.toAbsolutePath().normalize().toString();
    }
    RunConfig.Spark sp = null;
    if (spark != null) {
      sp = new RunConfig.Spark(spark, partitions, localSteps);
    } else if (matched("--partitions") || matched("--local-steps")) {
      throw new IllegalArgumentException("--partitions and --local-steps need --spark");
    }
    return new RunConfig(d, abs(dataDir), labelColumn, abs(testCsv), mdl, epochs, batchSize, lr,
        momentum, opt, mn, in, hid, l2v, seed, threads, validationSplit, limit, sp, precision);
  }

  private static String abs(Path p) {
    return p == null ? null : p.toAbsolutePath().normalize().toString();
  }

  private static Double parseOptional(String name, String v) {
    if (v.equalsIgnoreCase("none")) {
      return null;
    }
    return number(name, v);
  }

  private static double number(String name, String v) {
    try {
      return Double.parseDouble(v.strip());
    } catch (NumberFormatException ex) {
      throw new IllegalArgumentException(name + " expects a number, received '" + v + "'");
    }
  }

  private static Path newRunDir() {
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    Path base = Path.of("runs", stamp);
    Path p = base;
    for (int n = 2; Files.exists(p); n++) {
      p = Path.of("runs", stamp + "-" + n);
    }
    return p;
  }

  /** Creates the folder if needed and proves it writable, before any training. */
  private static void checkWritable(Path dir, boolean resuming) {
    try {
      if (Files.exists(dir) && !Files.isDirectory(dir)) {
        throw new IllegalArgumentException("output folder " + dir + " is a file");
      }
      if (!resuming && Files.exists(dir.resolve(MODEL_FILE))) {
        throw new IllegalArgumentException("output folder " + dir + " already holds a run; use"
            + " --resume " + dir + " or another --out");
      }
      Files.createDirectories(dir);
      Path probe = Files.createTempFile(dir, ".write-test", ".tmp");
      Files.delete(probe);
    } catch (IOException ex) {
      throw new IllegalArgumentException("cannot write to output folder " + dir + " (" + ex
          .getClass().getSimpleName() + ": " + ex.getMessage() + ")", ex);
    }
  }
}

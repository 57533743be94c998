package io.github.maxnorm.experiments;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code experiment NAME}: runs one of the max-norm experiments and writes its CSV files. */
@Command(
    name = "experiment",
    mixinStandardHelpOptions = true,
    description = {
      "Runs a max-norm experiment: lr-ablation, regularizers, cnn, or all.",
      "Writes <name>.csv (one row per run), <name>-history.csv (per epoch) and <name>-summary.md."
    })
public final class ExperimentCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "NAME",
      description = "lr-ablation | regularizers | cnn | all")
  String name;

  @Option(names = "--quick",
      description = "a small version on the bundled MNIST sample (a minute or less)")
  boolean quick;

  @Option(names = "--out", paramLabel = "DIR", defaultValue = "runs/experiments",
      description = "output folder (default: ${DEFAULT-VALUE})")
  Path out;

  @Option(names = "--seeds", paramLabel = "N", defaultValue = "0",
      description = "seeds per configuration (default: the experiment's own)")
  int seeds;

  @Option(names = "--epochs", paramLabel = "N", defaultValue = "0",
      description = "epochs per run (default: the experiment's own)")
  int epochs;

  @Option(names = "--threads", paramLabel = "N", defaultValue = "0",
      description = "threads for the Java-side kernels (default: all processors); set "
          + "OMP_NUM_THREADS for oneDNN")
  int threads;

  @Option(names = "--train-size", paramLabel = "N", defaultValue = "0",
      description = "use only the first N training samples (default: all)")
  int trainSize;

  @Option(names = "--spark", paramLabel = "MASTER",
      description = "regularizers only: run each phase's trainings as one Apache Spark job, one"
          + " task per run, on MASTER (local[2], spark://host:port); results equal the local"
          + " runs bit for bit")
  String spark;

  @Override
  public Integer call() {
    if (spark != null && !name.equals(RegularizerComparison.NAME)) {
      System.err.println("--spark runs only the " + RegularizerComparison.NAME + " experiment");
      return 2;
    }
    if (!Experiments.NAMES.contains(name) && !name.equals("all")) {
      System.err.println("unknown experiment " + name + "; expected one of "
          + Experiments.NAMES + " or all");
      return 2;
    }
    Experiments.run(name, new Settings(quick, out, seeds, epochs, threads, trainSize, spark),
        System.out);
    return 0;
  }
}

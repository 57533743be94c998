package io.github.maxnorm.cli;

import io.github.maxnorm.data.InvalidDataException;
import io.github.maxnorm.io.ModelFormatException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code maxnorm} command line: {@code train}, {@code evaluate}, {@code predict} and {@code
 * summary}. {@link #run} is the entry point for embedding and tests; {@link #main} exits the JVM
 * with its code.
 *
 * <p>Exit codes: {@value #OK} success, {@value #FAILURE} unexpected failure, {@value #USAGE} bad
 * usage or bad input, {@value #DIVERGED} training diverged.
 */
@Command(
    name = "maxnorm",
    mixinStandardHelpOptions = true,
    version = "maxnorm 0.1.0",
    description = "Train and use neural networks with max-norm weight constraints and dropout.",
    subcommands = {
      TrainCommand.class,
      EvaluateCommand.class,
      PredictCommand.class,
      SummaryCommand.class,
      ImportCommand.class,
      ExportCommand.class,
      io.github.maxnorm.experiments.ExperimentCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Callable<Integer> {
  /** Success. */
  public static final int OK = 0;
  /** An unexpected failure. */
  public static final int FAILURE = 1;
  /** Bad usage or bad input. */
  public static final int USAGE = 2;
  /** Training diverged (a non-finite loss). */
  public static final int DIVERGED = 3;

  final PrintStream out;
  final PrintStream err;

  private Main(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  @Override
  public Integer call() {
    err.println("maxnorm: give a command: train, evaluate, predict, summary, import or export (see maxnorm"
        + " --help)");
    return USAGE;
  }

  /** Runs the command line and exits with its code. */
  public static void main(String[] args) {
    System.setProperty("java.awt.headless", "true");
    int code = run(args, System.out, System.err);
    System.out.flush();
    System.exit(code);
  }

  /**
   * Runs one command line, writing to {@code out} and {@code err}.
   *
   * @return the exit code
   */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    System.setProperty("java.awt.headless", "true");
    boolean debug = Arrays.asList(args).contains("--debug");
    CommandLine cl = new CommandLine(new Main(out, err));
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    cl.setExecutionExceptionHandler((ex, cmd, parsed) -> report(ex, err, debug));
    int code = cl.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  /** Maps an exception to one line on {@code err} and an exit code. */
  static int report(Throwable ex, PrintStream err, boolean debug) {
    Throwable t = ex;
    while (t instanceof UncheckedIOException && t.getCause() != null) {
      t = t.getCause();
    }
    int code;
    String message;
    if (t instanceof NoSuchFileException nf) {
      code = USAGE;
      message = nf.getFile() + ": no such file or directory";
    } else if (t instanceof AccessDeniedException ad) {
      code = USAGE;
      message = ad.getFile() + ": permission denied";
    } else if (t instanceof IllegalArgumentException
        || t instanceof UnsupportedOperationException
        || t instanceof InvalidDataException
        || t instanceof ModelFormatException) {
      code = USAGE;
      message = t.getMessage();
    } else {
      code = FAILURE;
      message = "unexpected error: " + t;
    }
    err.println("maxnorm: " + oneLine(message));
    if (debug) {
      ex.printStackTrace(err);
    }
    return code;
  }

  static String oneLine(String s) {
    if (s == null) {
      return "(no message)";
    }
    return s.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
  }
}

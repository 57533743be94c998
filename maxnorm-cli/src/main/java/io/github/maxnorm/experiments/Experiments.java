package io.github.maxnorm.experiments;

import io.github.maxnorm.kernel.Parallel;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/**
 * The experiments that compare training with and without max-norm, by name: {@code lr-ablation},
 * {@code regularizers}, {@code cnn}, or {@code all}. Run standalone with
 *
 * <pre>{@code
 * java -cp "$(cat cp.txt)" io.github.maxnorm.experiments.Experiments lr-ablation --quick
 * }</pre>
 *
 * <p>See {@code docs/experiments.md} for what each one does and the results.
 */
public final class Experiments {
  /** The experiment names, in the order {@code all} runs them. */
  public static final List<String> NAMES = List.of("lr-ablation", "regularizers", "cnn");

  private Experiments() {}

  /** Parses the arguments of {@link ExperimentCommand} and exits with its status. */
  public static void main(String[] args) {
    System.exit(new CommandLine(new ExperimentCommand()).execute(args));
  }

  /**
   * Runs the named experiment ({@code all} for every one), writing its files under {@code
   * settings.out()} and progress lines to {@code progress}.
   *
   * @return the runs of each experiment, by name
   * @throws IllegalArgumentException for an unknown name
   */
  public static Map<String, List<RunResult>> run(String name, Settings settings,
      PrintStream progress) {
    List<String> names;
    if (name.equals("all")) {
      names = NAMES;
    } else if (NAMES.contains(name)) {
      names = List.of(name);
    } else {
      throw new IllegalArgumentException(
          "unknown experiment " + name + "; expected one of " + NAMES + " or all");
    }
    if (settings.threads() > 0) {
      Parallel.setThreads(settings.threads());
    }
    Map<String, List<RunResult>> out = new java.util.LinkedHashMap<>();
    for (String n : names) {
      long t0 = System.nanoTime();
      List<RunResult> rs = switch (n) {
        case "lr-ablation" -> LrAblation.run(settings, progress);
        case "regularizers" -> RegularizerComparison.run(settings, progress);
        case "cnn" -> CnnComparison.run(settings, progress);
        default -> throw new IllegalStateException("no runner for " + n);
      };
      progress.printf("%s: %d runs in %.0f s; results in %s%n", n, rs.size(),
          (System.nanoTime() - t0) / 1e9, settings.out().toAbsolutePath());
      out.put(n, new ArrayList<>(rs));
    }
    return out;
  }
}

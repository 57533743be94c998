package io.github.maxnorm.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Each experiment's quick mode end to end on the bundled MNIST sample: the files it writes, their
 * shape, and the properties that hold whatever the accuracy: max-norm bounds every unit norm, and
 * small learning rates train to a finite loss.
 */
class ExperimentsQuickTest {
  private static final double TOL = 1e-3;

  @TempDir Path dir;

  private List<RunResult> runQuick(String name) {
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    Map<String, List<RunResult>> out = Experiments.run(name, new Settings(true, dir, 0, 0, 0),
        new PrintStream(sink, true, StandardCharsets.UTF_8));
    assertEquals(List.of(name), List.copyOf(out.keySet()));
    String progress = sink.toString(StandardCharsets.UTF_8);
    assertTrue(progress.contains(name + ": "), "a closing progress line: " + progress);
    return out.get(name);
  }

  private List<String> lines(String file) throws IOException {
    Path p = dir.resolve(file);
    assertTrue(Files.exists(p), "wrote " + p);
    return Files.readAllLines(p);
  }

  private void checkRunsCsv(String file, String accuracyColumn, List<RunResult> runs)
      throws IOException {
    List<String> l = lines(file);
    assertEquals(RunResult.header(accuracyColumn), l.get(0));
    assertEquals(runs.size() + 1, l.size(), "one row per run in " + file);
    for (int i = 0; i < runs.size(); i++) {
      assertEquals(runs.get(i).csvRow(), l.get(i + 1));
      assertEquals(9, l.get(i + 1).split(",", -1).length, "nine columns: " + l.get(i + 1));
    }
  }

  private static void checkBounded(RunResult r, double c) {
    assertTrue(r.maxUnitNorm() <= c + TOL, r.config() + ": unit norm " + r.maxUnitNorm()
        + " exceeds max-norm " + c);
  }

  @Test
  void lrAblationQuick() throws IOException {
    List<RunResult> runs = runQuick("lr-ablation");
    assertEquals(LrAblation.LEARNING_RATES.length * 2, runs.size());
    checkRunsCsv("lr-ablation.csv", "test_accuracy", runs);
    for (RunResult r : runs) {
      assertTrue(r.diverged() ? r.epochs() <= 1 : r.epochs() == 1, r.config() + ": epochs");
      if (r.config().contains("maxnorm=3")) {
        checkBounded(r, 3);
      }
      if (r.config().startsWith("lr=0.01 ") || r.config().startsWith("lr=0.1 ")) {
        assertFalse(r.diverged(), r.config() + " diverged at " + r.divergedAt());
        assertTrue(Double.isFinite(r.finalLoss()), r.config() + ": loss " + r.finalLoss());
        assertTrue(r.accuracy() >= 0 && r.accuracy() <= 1);
      }
    }
    List<String> history = lines("lr-ablation-history.csv");
    assertEquals("experiment,config,seed,epoch,key,value", history.get(0));
    assertTrue(history.stream().anyMatch(s -> s.contains(",dense/kernel:max_norm,")),
        "constraint activity recorded");
    assertTrue(history.stream().anyMatch(s -> s.contains(",max_unit_norm,")));
    assertTrue(lines("lr-ablation-summary.md").get(0).startsWith("| config |"));
  }

  @Test
  void regularizersQuick() throws IOException {
    List<RunResult> runs = runQuick("regularizers");
    int methods = RegularizerComparison.grids().size();
    assertEquals(5, methods);
    assertEquals(methods * 2, runs.size(), "five methods, two seeds each in quick mode");
    checkRunsCsv("regularizers.csv", "test_accuracy", runs);
    int gridRuns = RegularizerComparison.grids().stream().mapToInt(List::size).sum();
    assertEquals(gridRuns + 1, lines("regularizers-selection.csv").size());
    for (RunResult r : runs) {
      if (r.config().contains("maxnorm")) {
        double c = Double.parseDouble(r.config().replaceAll(".* c=", ""));
        checkBounded(r, c);
      }
      if (!r.diverged()) {
        assertTrue(Double.isFinite(r.finalLoss()), r.config() + ": loss " + r.finalLoss());
      }
    }
    assertTrue(String.join("\n", lines("regularizers-summary.md")).contains("chose"));
  }

  @Test
  void cnnQuick() throws IOException {
    List<RunResult> runs = runQuick("cnn");
    assertEquals(CnnComparison.LEARNING_RATES.length * 2, runs.size());
    checkRunsCsv("cnn.csv", "test_accuracy", runs);
    for (RunResult r : runs) {
      if (r.config().contains("lr=0.05 ")) {
        assertFalse(r.diverged(), r.config() + " diverged at " + r.divergedAt());
        assertTrue(Double.isFinite(r.finalLoss()), r.config() + ": loss " + r.finalLoss());
      }
      if (r.config().contains("maxnorm")) {
        checkBounded(r, CnnComparison.MAX_NORM);
      }
    }
  }

  @Test
  void commandRejectsAnUnknownExperiment() {
    PrintStream err = System.err;
    try {
      System.setErr(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
      int rc = new CommandLine(new ExperimentCommand()).execute("nope", "--out", dir.toString());
      assertEquals(2, rc);
    } finally {
      System.setErr(err);
    }
    assertThrows(IllegalArgumentException.class,
        () -> Experiments.run("nope", new Settings(true, dir, 0, 0, 0), System.out));
  }

  @Test
  void commandParsesItsOptions() {
    ExperimentCommand c = new ExperimentCommand();
    new CommandLine(c).parseArgs("cnn", "--quick", "--out", "x", "--seeds", "2", "--epochs", "3",
        "--threads", "1");
    assertEquals("cnn", c.name);
    assertTrue(c.quick);
    assertEquals(Path.of("x"), c.out);
    assertEquals(2, c.seeds);
    assertEquals(3, c.epochs);
    assertEquals(1, c.threads);
  }

  @Test
  void settingsRejectNegativeCounts() {
    assertThrows(IllegalArgumentException.class, () -> new Settings(true, dir, -1, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new Settings(true, dir, 0, -1, 0));
    assertThrows(IllegalArgumentException.class, () -> new Settings(true, dir, 0, 0, -1));
    assertThrows(IllegalArgumentException.class, () -> new Settings(true, null, 0, 0, 0));
  }
}

package io.github.maxnorm.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The regularizer comparison run as Spark jobs (one task per training) gives the same rows as in
 * one process: every column but the wall time, and the same per-epoch histories.
 */
class SparkRegularizersTest {

  private static List<String> withoutWallTime(Path file) throws IOException {
    List<String> out = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      out.add(line.substring(0, line.lastIndexOf(',')));
    }
    return out;
  }

  @Test
  void sparkRunsEqualLocalRuns(@TempDir Path dir) throws IOException {
    Path local = dir.resolve("local");
    Path spark = dir.resolve("spark");
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    Experiments.run("regularizers", new Settings(true, local, 1, 1, 1, 0, null), quiet);
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    Experiments.run("regularizers", new Settings(true, spark, 1, 1, 1, 0, "local[2]"),
        new PrintStream(progress, true, StandardCharsets.UTF_8));
    assertTrue(progress.toString(StandardCharsets.UTF_8)
        .contains("regularizers: each phase runs as one Spark job on local[2]"));
    for (String f : List.of("regularizers-selection.csv", "regularizers.csv")) {
      List<String> a = withoutWallTime(local.resolve(f));
      assertEquals(a, withoutWallTime(spark.resolve(f)), f);
      assertTrue(a.size() > 5, f + " has the runs");
    }
    for (String f : List.of("regularizers-selection-history.csv", "regularizers-history.csv")) {
      assertEquals(Files.readAllLines(local.resolve(f)), Files.readAllLines(spark.resolve(f)), f);
    }
  }
}

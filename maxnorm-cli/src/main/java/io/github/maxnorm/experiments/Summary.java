package io.github.maxnorm.experiments;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Aggregates runs per configuration (mean and sample standard deviation over seeds). */
final class Summary {
  private Summary() {}

  /** One configuration over its seeds. */
  record Row(
      String config,
      int runs,
      int diverged,
      double meanAccuracy,
      double stdAccuracy,
      double meanFinalLoss,
      double maxUnitNorm,
      double meanSeconds) {}

  static List<Row> rows(List<RunResult> results) {
    Map<String, List<RunResult>> byConfig = new LinkedHashMap<>();
    for (RunResult r : results) {
      byConfig.computeIfAbsent(r.config(), k -> new ArrayList<>()).add(r);
    }
    List<Row> rows = new ArrayList<>();
    for (Map.Entry<String, List<RunResult>> e : byConfig.entrySet()) {
      List<RunResult> rs = e.getValue();
      double[] acc = new double[rs.size()];
      double loss = 0;
      double norm = 0;
      double secs = 0;
      int diverged = 0;
      for (int i = 0; i < rs.size(); i++) {
        RunResult r = rs.get(i);
        acc[i] = r.accuracy();
        loss += r.finalLoss();
        norm = Double.isNaN(r.maxUnitNorm()) || Double.isNaN(norm) ? Double.NaN
            : Math.max(norm, r.maxUnitNorm());
        secs += r.wallSeconds();
        diverged += r.diverged() ? 1 : 0;
      }
      rows.add(new Row(e.getKey(), rs.size(), diverged, mean(acc), std(acc), loss / rs.size(),
          norm, secs / rs.size()));
    }
    return rows;
  }

  static double mean(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x;
    }
    return s / v.length;
  }

  /** The sample standard deviation (n - 1), 0 for a single value. */
  static double std(double[] v) {
    if (v.length < 2) {
      return 0;
    }
    double m = mean(v);
    double s = 0;
    for (double x : v) {
      s += (x - m) * (x - m);
    }
    return Math.sqrt(s / (v.length - 1));
  }

  /** A Markdown table of the per-configuration rows. */
  static String markdown(String accuracyLabel, List<RunResult> results) {
    StringBuilder b = new StringBuilder();
    b.append("| config | runs | diverged | ").append(accuracyLabel)
        .append(" (mean ± sd) | final loss (mean) | max unit norm | s/run |\n");
    b.append("|---|---|---|---|---|---|---|\n");
    for (Row r : rows(results)) {
      b.append(String.format(Locale.ROOT, "| %s | %d | %d | %.4f ± %.4f | %s | %s | %.0f |%n",
          r.config(), r.runs(), r.diverged(), r.meanAccuracy(), r.stdAccuracy(),
          RunResult.num(r.meanFinalLoss()), RunResult.num(r.maxUnitNorm()), r.meanSeconds()));
    }
    return b.toString();
  }

  static void write(Path file, String text) {
    try {
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}

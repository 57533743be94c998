package io.github.maxnorm.experiments;

import io.github.maxnorm.model.History;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes an experiment's results as they come: {@code <name>.csv} with one row per run and {@code
 * <name>-history.csv} with one row per (run, epoch, key) in long form. Rows are flushed at once, so
 * a run stopped half-way leaves every finished run on disk. Each file is started afresh.
 */
final class RunLog implements AutoCloseable {
  private final BufferedWriter runs;
  private final BufferedWriter history;
  private final List<RunResult> results = new ArrayList<>();
  private final Path runsFile;

  RunLog(Path dir, String name, String accuracyColumn) {
    try {
      Files.createDirectories(dir);
      runsFile = dir.resolve(name + ".csv");
      runs = Files.newBufferedWriter(runsFile, StandardCharsets.UTF_8);
      history = Files.newBufferedWriter(dir.resolve(name + "-history.csv"), StandardCharsets.UTF_8);
      runs.write(RunResult.header(accuracyColumn));
      runs.newLine();
      history.write("experiment,config,seed,epoch,key,value");
      history.newLine();
      runs.flush();
      history.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write results under " + dir, e);
    }
  }

  Path runsFile() {
    return runsFile;
  }

  /** Appends a run and its per-epoch logs (epochs 1-based); {@code extra} holds added series. */
  void add(RunResult r, History h, Map<String, List<Double>> extra) {
    results.add(r);
    try {
      runs.write(r.csvRow());
      runs.newLine();
      List<Integer> epochs = h.epochs();
      List<Map<String, Double>> rows = h.rows();
      String prefix = r.experiment() + "," + r.config() + "," + r.seed() + ",";
      for (int i = 0; i < rows.size(); i++) {
        for (Map.Entry<String, Double> e : rows.get(i).entrySet()) {
          history.write(prefix + (epochs.get(i) + 1) + "," + e.getKey() + ","
              + RunResult.num(e.getValue()));
          history.newLine();
        }
        for (Map.Entry<String, List<Double>> e : extra.entrySet()) {
          if (i < e.getValue().size()) {
            history.write(prefix + (epochs.get(i) + 1) + "," + e.getKey() + ","
                + RunResult.num(e.getValue().get(i)));
            history.newLine();
          }
        }
      }
      runs.flush();
      history.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to " + runsFile, e);
    }
  }

  /** Every run added so far, in order. */
  List<RunResult> results() {
    return List.copyOf(results);
  }

  @Override
  public void close() {
    try {
      runs.close();
      history.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close " + runsFile, e);
    }
  }
}

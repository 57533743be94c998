package io.github.maxnorm.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes one CSV row per epoch ({@code epoch} then the logs' keys in first-epoch order) and flushes
 * after each row, so the file is current while training runs. Non-finite values are written as
 * {@code NaN}, {@code Infinity} or {@code -Infinity}.
 */
public final class CSVLogger implements Callback {
  private final Path file;
  private final boolean append;
  private List<String> columns;

  public CSVLogger(Path file, boolean append) {
    if (file == null) {
      throw new IllegalArgumentException("CSVLogger: file must not be null");
    }
    this.file = file;
    this.append = append;
  }

  public CSVLogger(Path file) {
    this(file, false);
  }

  @Override
  public void onTrainBegin(Model model) {
    columns = null;
    if (!append) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        throw new UncheckedIOException("CSVLogger: cannot replace " + file, e);
      }
    }
  }

  @Override
  public void onEpochEnd(Model model, int epoch, Map<String, Double> logs) {
    StringBuilder b = new StringBuilder();
    try {
      boolean fresh = !Files.exists(file) || Files.size(file) == 0;
      if (columns == null) {
        columns = new ArrayList<>(logs.keySet());
        if (fresh) {
          b.append("epoch");
          for (String c : columns) {
            b.append(',').append(c);
          }
          b.append('\n');
        }
      }
      b.append(epoch);
      for (String c : columns) {
        Double v = logs.get(c);
        b.append(',').append(v == null ? "" : format(v));
      }
      b.append('\n');
      Files.writeString(file, b.toString(), StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("CSVLogger: cannot write " + file, e);
    }
  }

  static String format(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "Infinity" : "-Infinity";
    }
    return String.format(Locale.ROOT, "%.6g", v);
  }
}

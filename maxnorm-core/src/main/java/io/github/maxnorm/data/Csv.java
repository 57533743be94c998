package io.github.maxnorm.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Reader of labelled numeric CSV files (UTF-8); see {@link CsvFormat}. */
final class Csv {

  /** The largest number of feature values accepted from one file. */
  static final long MAX_VALUES = Idx.MAX_PAYLOAD_BYTES / 4;

  /** Parsed content before the number of classes is settled. */
  static final class Table {
    final int[] sampleShape;
    final float[] values;
    final int[] labels;
    final int maxLabel;

    Table(int[] sampleShape, float[] values, int[] labels, int maxLabel) {
      this.sampleShape = sampleShape;
      this.values = values;
      this.labels = labels;
      this.maxLabel = maxLabel;
    }

    Dataset toDataset(int numClasses) {
      return Dataset.wrapFloats(sampleShape, values, labels, numClasses);
    }
  }

  private Csv() {}

  static Table read(Path file, CsvFormat format) throws IOException {
    String source = file.toString();
    if (!Files.isRegularFile(file)) {
      throw new InvalidDataException(source + ": file not found");
    }
    try (InputStream in = Files.newInputStream(file)) {
      return read(in, source, format);
    }
  }

  static Table read(InputStream in, String source, CsvFormat format) throws IOException {
    BufferedReader r = new BufferedReader(new InputStreamReader(in,
        StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)), 1 << 16);
    try {
      return parse(r, source, format);
    } catch (CharacterCodingException e) {
      throw new InvalidDataException(source + ": not valid UTF-8 text (" + e + ")", e);
    }
  }

  private static Table parse(BufferedReader r, String source, CsvFormat format)
      throws IOException {
    int lineNo = 0;
    String line;
    List<String> first = null;
    int firstLine = 0;
    while ((line = r.readLine()) != null) {
      lineNo++;
      if (lineNo == 1 && line.startsWith("\uFEFF")) {
        line = line.substring(1);
      }
      if (!line.isBlank()) {
        first = split(line, format.delimiter());
        firstLine = lineNo;
        break;
      }
    }
    if (first == null) {
      throw new InvalidDataException(source + ": holds no rows");
    }
    boolean hasHeader = switch (format.header()) {
      case PRESENT -> true;
      case ABSENT -> false;
      case AUTO -> first.stream().anyMatch(c -> !isNumber(c));
    };
    int columns = first.size();
    int labelCol;
    if (format.labelName() != null) {
      if (!hasHeader) {
        throw new InvalidDataException(
            source + ": label column '" + format.labelName() + "' is named, but line " + firstLine
                + " is numeric, not a header row");
      }
      labelCol = -1;
      for (int c = 0; c < columns; c++) {
        if (unquote(first.get(c)).equals(format.labelName())) {
          labelCol = c;
          break;
        }
      }
      if (labelCol < 0) {
        throw new InvalidDataException(
            source + ": no column named '" + format.labelName() + "' in header (line "
                + firstLine + "): " + abbreviate(first));
      }
    } else {
      labelCol = format.labelIndex();
      if (labelCol >= columns) {
        throw new InvalidDataException(
            source + ": label column " + labelCol + " does not exist: line " + firstLine
                + " has " + columns + " columns");
      }
    }
    if (columns < 2) {
      throw new InvalidDataException(
          source + ": line " + firstLine + " has " + columns
              + " column; need a label column and at least one feature column");
    }
    int features = columns - 1;
    int[] shape = format.sampleShape() == null ? new int[] {features} : format.sampleShape();
    long shapeSize = 1;
    for (int d : shape) {
      shapeSize *= d;
    }
    if (shapeSize != features) {
      throw new InvalidDataException(
          source + ": line " + firstLine + " has " + features + " feature columns, but sample"
              + " shape " + Arrays.toString(shape) + " needs " + shapeSize);
    }

    float[] values = new float[Math.max(features, 1024)];
    int[] labels = new int[64];
    int n = 0;
    int maxLabel = -1;
    List<String> cells = hasHeader ? null : first;
    int cellsLine = firstLine;
    while (true) {
      if (cells == null) {
        line = r.readLine();
        if (line == null) {
          break;
        }
        lineNo++;
        if (line.isBlank()) {
          continue;
        }
        cells = split(line, format.delimiter());
        cellsLine = lineNo;
      }
      if (cells.size() != columns) {
        throw new InvalidDataException(
            source + ": line " + cellsLine + " has " + cells.size() + " columns, expected "
                + columns + " (as line " + firstLine + ")");
      }
      if ((long) (n + 1) * features > MAX_VALUES) {
        throw new InvalidDataException(
            source + ": more than " + MAX_VALUES + " feature values (line " + cellsLine + ")");
      }
      if ((long) (n + 1) * features > values.length) {
        values = Arrays.copyOf(values,
            (int) Math.min(MAX_VALUES, Math.max((long) (n + 1) * features, 2L * values.length)));
      }
      if (n == labels.length) {
        labels = Arrays.copyOf(labels, 2 * n);
      }
      int k = n * features;
      for (int c = 0; c < columns; c++) {
        String cell = cells.get(c).trim();
        if (c == labelCol) {
          int label = parseLabel(cell, source, cellsLine, c);
          if (format.numClasses() > 0 && label >= format.numClasses()) {
            throw new InvalidDataException(
                source + ": line " + cellsLine + ", column " + c + ": label " + label
                    + " is outside [0, " + format.numClasses() + ")");
          }
          labels[n] = label;
          maxLabel = Math.max(maxLabel, label);
        } else {
          values[k++] = parseValue(cell, source, cellsLine, c);
        }
      }
      n++;
      cells = null;
    }
    if (n == 0) {
      throw new InvalidDataException(
          source + ": holds a header row (line " + firstLine + ") but no data rows");
    }
    return new Table(shape, Arrays.copyOf(values, n * features), Arrays.copyOf(labels, n),
        maxLabel);
  }

  private static float parseValue(String cell, String source, int line, int column)
      throws InvalidDataException {
    if (!isNumber(cell)) {
      throw new InvalidDataException(
          source + ": line " + line + ", column " + column + ": '" + abbreviate(cell)
              + "' is not a number");
    }
    float v = Float.parseFloat(cell);
    if (!Float.isFinite(v)) {
      throw new InvalidDataException(
          source + ": line " + line + ", column " + column + ": '" + abbreviate(cell)
              + "' does not fit a float");
    }
    return v;
  }

  private static int parseLabel(String cell, String source, int line, int column)
      throws InvalidDataException {
    double v = isNumber(cell) ? Double.parseDouble(cell) : Double.NaN;
    if (!(v >= 0 && v <= Integer.MAX_VALUE - 1 && v == Math.rint(v))) {
      throw new InvalidDataException(
          source + ": line " + line + ", column " + column + ": label '" + abbreviate(cell)
              + "' is not a non-negative integer");
    }
    return (int) v;
  }

  /** A plain decimal number: optional sign, digits with optional point, optional exponent. */
  static boolean isNumber(String s) {
    String t = s.trim();
    int i = 0;
    int n = t.length();
    if (i < n && (t.charAt(i) == '+' || t.charAt(i) == '-')) {
      i++;
    }
    int digits = 0;
    while (i < n && t.charAt(i) >= '0' && t.charAt(i) <= '9') {
      i++;
      digits++;
    }
    if (i < n && t.charAt(i) == '.') {
      i++;
      while (i < n && t.charAt(i) >= '0' && t.charAt(i) <= '9') {
        i++;
        digits++;
      }
    }
    if (digits == 0) {
      return false;
    }
    if (i < n && (t.charAt(i) == 'e' || t.charAt(i) == 'E')) {
      i++;
      if (i < n && (t.charAt(i) == '+' || t.charAt(i) == '-')) {
        i++;
      }
      int expDigits = 0;
      while (i < n && t.charAt(i) >= '0' && t.charAt(i) <= '9') {
        i++;
        expDigits++;
      }
      if (expDigits == 0) {
        return false;
      }
    }
    return i == n;
  }

  private static List<String> split(String line, char delimiter) {
    List<String> out = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < line.length(); i++) {
      if (line.charAt(i) == delimiter) {
        out.add(line.substring(start, i));
        start = i + 1;
      }
    }
    out.add(line.substring(start));
    return out;
  }

  private static String unquote(String cell) {
    String t = cell.trim();
    if (t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"")) {
      return t.substring(1, t.length() - 1);
    }
    return t;
  }

  private static String abbreviate(Object o) {
    String s = String.valueOf(o);
    return s.length() > 80 ? s.substring(0, 77) + "..." : s;
  }
}

package io.github.maxnorm.data;

import java.util.Arrays;

/**
 * How to read a CSV file of labelled numeric rows (see {@link Datasets#csv(java.nio.file.Path,
 * CsvFormat)}). Start from {@link #defaults()}: label in the first column, header row detected
 * automatically, comma-separated, one feature axis, number of classes inferred.
 *
 * @param labelIndex the 0-based column of the label, or -1 when {@code labelName} is set
 * @param labelName the header name of the label column, or null when {@code labelIndex} is set
 * @param header whether the first non-blank row is a header
 * @param delimiter the cell separator
 * @param sampleShape the shape of one sample's features (product = number of feature columns), or
 *     null for {@code [featureColumns]}; copied in and out
 * @param numClasses the number of classes, or 0 to use the largest label + 1
 */
public record CsvFormat(
    int labelIndex, String labelName, Header header, char delimiter, int[] sampleShape,
    int numClasses) {

  /** Whether a CSV file starts with a header row. */
  public enum Header {
    /** A header when the first non-blank row holds a cell that is not a number. */
    AUTO,
    /** The first non-blank row is a header. */
    PRESENT,
    /** Every row holds data. */
    ABSENT
  }

  public CsvFormat {
    if ((labelName == null) == (labelIndex < 0)) {
      throw new IllegalArgumentException(
          "CsvFormat: give either a label column index >= 0 or a label column name, received"
              + " index " + labelIndex + " and name " + labelName);
    }
    if (labelName != null && labelName.isBlank()) {
      throw new IllegalArgumentException("CsvFormat: label column name must not be blank");
    }
    if (header == null) {
      throw new IllegalArgumentException("CsvFormat: header must not be null");
    }
    if (labelName != null && header == Header.ABSENT) {
      throw new IllegalArgumentException(
          "CsvFormat: label column '" + labelName + "' is named but the header is ABSENT");
    }
    if (delimiter == '"' || delimiter == '\n' || delimiter == '\r' || delimiter == '.'
        || delimiter == '-' || delimiter == '+' || Character.isLetterOrDigit(delimiter)) {
      throw new IllegalArgumentException(
          "CsvFormat: delimiter '" + delimiter + "' cannot separate numeric cells");
    }
    if (sampleShape != null) {
      sampleShape = sampleShape.clone();
      for (int d : sampleShape) {
        if (d < 1) {
          throw new IllegalArgumentException(
              "CsvFormat: sample dimensions must be >= 1, received "
                  + Arrays.toString(sampleShape));
        }
      }
      if (sampleShape.length == 0) {
        throw new IllegalArgumentException("CsvFormat: sample shape must have rank >= 1");
      }
    }
    if (numClasses < 0) {
      throw new IllegalArgumentException(
          "CsvFormat: numClasses must be >= 0 (0 = infer), received " + numClasses);
    }
  }

  /** Label in column 0, header detected, comma-separated, shape {@code [features]}, classes inferred. */
  public static CsvFormat defaults() {
    return new CsvFormat(0, null, Header.AUTO, ',', null, 0);
  }

  /** The sample shape (a copy), or null for {@code [featureColumns]}. */
  @Override
  public int[] sampleShape() {
    return sampleShape == null ? null : sampleShape.clone();
  }

  /** This format with the label in column {@code index} (0-based). */
  public CsvFormat withLabelColumn(int index) {
    return new CsvFormat(index, null, header, delimiter, sampleShape, numClasses);
  }

  /** This format with the label in the column named {@code name} in the header row. */
  public CsvFormat withLabelColumn(String name) {
    return new CsvFormat(
        -1, name, header == Header.ABSENT ? Header.PRESENT : header, delimiter, sampleShape,
        numClasses);
  }

  public CsvFormat withHeader(Header h) {
    return new CsvFormat(labelIndex, labelName, h, delimiter, sampleShape, numClasses);
  }

  public CsvFormat withDelimiter(char d) {
    return new CsvFormat(labelIndex, labelName, header, d, sampleShape, numClasses);
  }

  public CsvFormat withSampleShape(int... shape) {
    return new CsvFormat(labelIndex, labelName, header, delimiter, shape, numClasses);
  }

  public CsvFormat withNumClasses(int n) {
    return new CsvFormat(labelIndex, labelName, header, delimiter, sampleShape, n);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CsvFormat f && labelIndex == f.labelIndex
        && java.util.Objects.equals(labelName, f.labelName) && header == f.header
        && delimiter == f.delimiter && Arrays.equals(sampleShape, f.sampleShape)
        && numClasses == f.numClasses;
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(labelIndex, labelName, header, delimiter,
        Arrays.hashCode(sampleShape), numClasses);
  }

  @Override
  public String toString() {
    return "CsvFormat[label=" + (labelName != null ? "'" + labelName + "'" : labelIndex)
        + ", header=" + header + ", delimiter='" + delimiter + "', sampleShape="
        + (sampleShape == null ? "[features]" : Arrays.toString(sampleShape))
        + ", numClasses=" + (numClasses == 0 ? "inferred" : numClasses) + "]";
  }
}

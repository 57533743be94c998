package io.github.maxnorm.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.maxnorm.tensor.Shape;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CsvReaderTest {

  @TempDir Path dir;

  private Path file(String content) throws IOException {
    Path p = dir.resolve("data.csv");
    Files.writeString(p, content, StandardCharsets.UTF_8);
    return p;
  }

  private InvalidDataException invalid(String content, CsvFormat f) throws IOException {
    Path p = file(content);
    return assertThrows(InvalidDataException.class, () -> Datasets.csv(p, f));
  }

  @Test
  void readsLabelFirstWithDetectedHeader() throws IOException {
    Dataset d = Datasets.csv(file("label,a,b\n1,0.5,-2\n\n0,3e2,4.25\r\n"));
    assertEquals(2, d.size());
    assertEquals(Shape.of(2), d.sampleShape());
    assertArrayEquals(new int[] {1, 0}, d.labels());
    assertEquals(2, d.numClasses());
    assertArrayEquals(new float[] {0.5f, -2f, 300f, 4.25f}, d.all().x().toArray());
  }

  @Test
  void readsWithoutHeaderByIndexAndByHeaderName() throws IOException {
    Dataset d = Datasets.csv(file("0.1,0.2,2\n0.3,0.4,1\n"),
        CsvFormat.defaults().withLabelColumn(2).withNumClasses(5));
    assertArrayEquals(new int[] {2, 1}, d.labels());
    assertEquals(5, d.numClasses());
    assertArrayEquals(new float[] {0.1f, 0.2f, 0.3f, 0.4f}, d.all().x().toArray());
    d = Datasets.csv(file("x,y,\"class\",z\n1,2,3,4\n5,6,0,8\n"),
        CsvFormat.defaults().withLabelColumn("class").withSampleShape(3, 1));
    assertArrayEquals(new int[] {3, 0}, d.labels());
    assertEquals(Shape.of(3, 1), d.sampleShape());
    assertArrayEquals(new float[] {1, 2, 4, 5, 6, 8}, d.all().x().toArray());
  }

  @Test
  void forcedHeaderSkipsANumericFirstRow() throws IOException {
    Dataset d = Datasets.csv(file("9,9\n1,2\n"),
        CsvFormat.defaults().withHeader(CsvFormat.Header.PRESENT));
    assertEquals(1, d.size());
    d = Datasets.csv(file("1;2\n0;5\n"), CsvFormat.defaults().withDelimiter(';'));
    assertArrayEquals(new float[] {2, 5}, d.all().x().toArray());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "label,a,b\\n1,2,3\\n0,4\\n|line 3 has 2 columns, expected 3 (as line 1)",
      "1,2,3\\n0,4,5,6\\n|line 2 has 4 columns, expected 3",
      "1,2,3\\n0,abc,5\\n|line 2, column 1: 'abc' is not a number",
      "1,2,3\\n0,NaN,5\\n|line 2, column 1: 'NaN' is not a number",
      "1,2,3\\n0,1e99,5\\n|line 2, column 1: '1e99' does not fit a float",
      "1,2,3\\n0,0x10,5\\n|'0x10' is not a number",
      "1,2,3\\n1.5,2,5\\n|line 2, column 0: label '1.5' is not a non-negative integer",
      "1,2,3\\n-1,2,5\\n|label '-1' is not a non-negative integer",
      "1,2,3\\n0,2,\\n|line 2, column 2: '' is not a number",
      "\\n\\n|holds no rows",
      "a,b\\n|holds a header row (line 1) but no data rows",
      "5\\n6\\n|need a label column and at least one feature column",
  })
  void malformedRowsNameTheLine(String content, String message) throws IOException {
    // Rows are written with "\\n" standing for a line break.
    InvalidDataException e = invalid(content.replace("\\n", "\n"), CsvFormat.defaults());
    assertTrue(e.getMessage().startsWith(dir.resolve("data.csv") + ": "), e.getMessage());
    assertTrue(e.getMessage().contains(message), e.getMessage());
  }

  @Test
  void missingLabelColumnIsReported() throws IOException {
    InvalidDataException e = invalid("a,b\n1,2\n", CsvFormat.defaults().withLabelColumn("label"));
    assertTrue(e.getMessage().contains("no column named 'label' in header (line 1): [a, b]"),
        e.getMessage());
    e = invalid("1,2\n3,4\n", CsvFormat.defaults().withLabelColumn(2));
    assertTrue(e.getMessage().contains("label column 2 does not exist: line 1 has 2 columns"),
        e.getMessage());
    e = invalid("1,2\n3,4\n", CsvFormat.defaults().withLabelColumn("label"));
    assertTrue(e.getMessage().contains("is named, but line 1 is numeric"), e.getMessage());
    e = invalid("1,2,3\n3,4,5\n", CsvFormat.defaults().withNumClasses(2));
    assertTrue(e.getMessage().contains("line 2, column 0: label 3 is outside [0, 2)"),
        e.getMessage());
    e = invalid("1,2,3\n", CsvFormat.defaults().withSampleShape(3));
    assertTrue(e.getMessage().contains("has 2 feature columns, but sample shape [3] needs 3"),
        e.getMessage());
  }

  @Test
  void invalidUtf8AndMissingFileAreInvalidData() throws IOException {
    Path p = dir.resolve("bad.csv");
    Files.write(p, new byte[] {'1', ',', (byte) 0xC3, (byte) 0x28, '\n'});
    InvalidDataException e = assertThrows(InvalidDataException.class, () -> Datasets.csv(p));
    assertTrue(e.getMessage().contains("not valid UTF-8"), e.getMessage());
    e = assertThrows(InvalidDataException.class, () -> Datasets.csv(dir.resolve("none.csv")));
    assertTrue(e.getMessage().contains("none.csv: file not found"), e.getMessage());
  }

  @Test
  void formatValidatesItsArguments() {
    assertThrows(IllegalArgumentException.class, () -> CsvFormat.defaults().withLabelColumn(-2));
    assertThrows(IllegalArgumentException.class, () -> CsvFormat.defaults().withLabelColumn(" "));
    assertThrows(IllegalArgumentException.class, () -> CsvFormat.defaults().withDelimiter('.'));
    assertThrows(IllegalArgumentException.class, () -> CsvFormat.defaults().withNumClasses(-1));
    assertThrows(IllegalArgumentException.class, () -> CsvFormat.defaults().withSampleShape(0));
  }

  @Test
  void trainTestPairSharesInferredClasses() throws IOException {
    Path a = dir.resolve("train.csv");
    Path b = dir.resolve("test.csv");
    Files.writeString(a, "1,0.5\n0,0.25\n");
    Files.writeString(b, "4,1\n");
    TrainTest tt = Datasets.csv(a, b, CsvFormat.defaults());
    assertEquals(5, tt.train().numClasses());
    assertEquals(5, tt.test().numClasses());
  }
}

package io.github.maxnorm.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.maxnorm.tensor.Shape;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MnistSampleTest {

  static TrainTest sample;

  @BeforeAll
  static void load() throws IOException {
    sample = Datasets.mnistSample();
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = Datasets.class.getResourceAsStream("mnist-sample/" + name)) {
      assertNotNull(in, name);
      return in.readAllBytes();
    }
  }

  @Test
  void filesMatchTheChecksumsInTheReadme() throws IOException, NoSuchAlgorithmException {
    String readme = new String(resource("README.md"), StandardCharsets.UTF_8);
    Matcher m = Pattern.compile("([0-9a-f]{64})\\s+(\\S+\\.gz)").matcher(readme);
    int checked = 0;
    while (m.find()) {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(resource(m.group(2)));
      assertEquals(m.group(1), HexFormat.of().formatHex(digest), m.group(2));
      checked++;
    }
    assertEquals(4, checked);
  }

  @Test
  void countsShapesAndLabels() {
    assertEquals(8000, sample.train().size());
    assertEquals(2000, sample.test().size());
    assertEquals(Shape.of(28, 28, 1), sample.train().sampleShape());
    assertEquals(10, sample.train().numClasses());
    assertTrue(sample.train().storesBytes());
    int[] train = sample.train().classCounts();
    int[] test = sample.test().classCounts();
    assertEquals(8000, Arrays.stream(train).sum());
    for (int c : train) {
      assertTrue(c >= 681 && c <= 924, Arrays.toString(train));
    }
    for (int c : test) {
      assertTrue(c >= 181 && c <= 219, Arrays.toString(test));
    }
    assertEquals(681, Arrays.stream(train).min().getAsInt());
    assertEquals(924, Arrays.stream(train).max().getAsInt());
  }

  @Test
  void pixelsAreDigitsInUnitRange() {
    float[] x = sample.train().batch(new int[] {0, 1, 2, 3}).x().toArray();
    float min = Float.MAX_VALUE;
    float max = -Float.MAX_VALUE;
    double mean = 0;
    for (float v : x) {
      min = Math.min(min, v);
      max = Math.max(max, v);
      mean += v;
    }
    mean /= x.length;
    assertEquals(0f, min);
    assertEquals(1f, max);
    // MNIST digits: mostly black background, mean intensity around 0.13.
    assertTrue(mean > 0.05 && mean < 0.25, "mean " + mean);
    // Border pixels of a centred digit are background.
    assertEquals(0f, x[0]);
    assertEquals(0f, x[783]);
  }
}

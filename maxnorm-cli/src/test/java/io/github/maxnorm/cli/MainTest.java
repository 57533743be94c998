package io.github.maxnorm.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.maxnorm.model.Model;
import io.github.maxnorm.model.ModelIO;
import io.github.maxnorm.model.Sequential;
import io.github.maxnorm.nn.Parameter;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** End-to-end tests of the command line, run in-process through {@link Main#run}. */
class MainTest {
  @TempDir static Path tmp;
  static Path run;

  /** What one command line printed and returned. */
  record Result(int code, String out, String err) {
    List<String> errLines() {
      return err.isBlank() ? List.of() : List.of(err.strip().split("\\R"));
    }
  }

  static Result cli(String... args) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    int code;
    try (PrintStream po = new PrintStream(o, true, StandardCharsets.UTF_8);
        PrintStream pe = new PrintStream(e, true, StandardCharsets.UTF_8)) {
      code = Main.run(args, po, pe);
    }
    return new Result(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
  }

  @BeforeAll
  static void trainOnce() {
    run = tmp.resolve("run");
    Result r = cli("train", "--limit", "400", "--epochs", "1", "--batch-size", "64",
        "--validation-split", "0.25", "--out", run.toString());
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("Model: \"mlp\""), r.out());
    assertTrue(r.out().contains("epoch 1/1 loss "), r.out());
    assertTrue(r.out().contains("val_acc"), r.out());
    assertTrue(r.out().contains("dense/kernel clipped "), r.out());
    assertTrue(r.out().contains("test loss "), r.out());
    assertEquals("", r.err(), "nothing on stderr when it is not a terminal");
  }

  @Test
  void trainWritesTheRunFolder() throws IOException {
    for (String f : List.of("model.maxnorm", "history.csv", "run.json", "summary.json",
        "training-curves.png", "unit-norms.png")) {
      assertTrue(Files.size(run.resolve(f)) > 0, f);
    }
    JsonNode s = new ObjectMapper().readTree(run.resolve("summary.json").toFile());
    double acc = s.get("test_accuracy").asDouble();
    assertTrue(acc > 0.3 && acc <= 1, "better than chance after one short epoch: " + s);
    assertTrue(s.get("test_loss").isNumber());
    assertTrue(s.get("final_loss").isNumber());
    assertFalse(s.get("diverged").asBoolean());
    assertEquals(1, s.get("epochs_run").asInt());
    assertTrue(s.get("wall_seconds").asDouble() > 0);
    assertTrue(s.get("samples_per_second").asDouble() > 0);
    JsonNode mun = s.get("max_unit_norm");
    assertEquals(3, mun.size(), mun.toString());
    Model m = ModelIO.load(run.resolve("model.maxnorm"));
    for (Parameter p : m.parameters()) {
      if (p.name().equals("kernel")) {
        double expected = maxColumnNorm(p);
        double got = mun.get(p.path()).asDouble();
        assertEquals(expected, got, 1e-9 * expected, p.path());
        assertTrue(got <= 3 * (1 + 1e-5), "max-norm 3 holds: " + got);
      }
    }
    List<String> hist = Files.readAllLines(run.resolve("history.csv"));
    assertEquals(2, hist.size(), hist.toString());
    assertTrue(hist.get(0).startsWith("epoch,loss,accuracy,val_loss,val_accuracy,lr,"), hist.get(0));
    assertTrue(hist.get(0).contains("dense/kernel:clipped"), hist.get(0));
    assertTrue(isPng(run.resolve("training-curves.png")));
    assertTrue(isPng(run.resolve("unit-norms.png")));
    JsonNode cfg = new ObjectMapper().readTree(run.resolve("run.json").toFile());
    assertEquals("mlp", cfg.get("model").asText());
    assertEquals(3.0, cfg.get("max_norm").asDouble());
  }

  private static double maxColumnNorm(Parameter p) {
    int[] d = p.shape().dims();
    int units = d[d.length - 1];
    float[] w = p.variable().data();
    double[] sq = new double[units];
    for (int i = 0; i < w.length; i++) {
      sq[i % units] += (double) w[i] * w[i];
    }
    double m = 0;
    for (double v : sq) {
      m = Math.max(m, Math.sqrt(v));
    }
    return m;
  }

  private static boolean isPng(Path p) throws IOException {
    byte[] b = Files.readAllBytes(p);
    return b.length > 8 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G';
  }

  @Test
  void evaluatePrintsAccuracyAndConfusionMatrix() {
    Result r = cli("evaluate", run.resolve("model.maxnorm").toString(), "--data", "mnist-sample");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("2000 samples"), r.out());
    assertTrue(r.out().matches("(?s).*loss \\d+\\.\\d{4} acc \\d\\.\\d{4}.*"), r.out());
    assertTrue(r.out().contains("confusion matrix"), r.out());
    // ten class rows whose counts add up to the test set
    long total = 0;
    for (String line : r.out().split("\\R")) {
      String[] c = line.trim().split("\\s+");
      if (c.length == 12 && c[0].matches("\\d")) {
        for (int j = 1; j <= 10; j++) {
          total += Long.parseLong(c[j]);
        }
      }
    }
    assertEquals(2000, total, r.out());
  }

  @Test
  void predictsAPngImage() throws IOException {
    BufferedImage img = new BufferedImage(56, 40, BufferedImage.TYPE_INT_RGB);
    SplittableRandom rng = new SplittableRandom(7);
    for (int y = 0; y < 40; y++) {
      for (int x = 0; x < 56; x++) {
        img.setRGB(x, y, rng.nextInt(1 << 24));
      }
    }
    Path png = tmp.resolve("digit.png");
    ImageIO.write(img, "png", png.toFile());
    Result r = cli("predict", run.resolve("model.maxnorm").toString(), "--input", png.toString());
    assertEquals(0, r.code(), r.err());
    String[] lines = r.out().strip().split("\\R");
    assertEquals(1, lines.length, r.out());
    assertProbabilities(lines[0], 0);
  }

  @Test
  void predictsAnIdxFile() throws IOException {
    Path idx = tmp.resolve("three-images-idx3-ubyte");
    writeIdxImages(idx, 3, 28, 28, new SplittableRandom(3));
    Result r = cli("predict", run.resolve("model.maxnorm").toString(), "--input", idx.toString());
    assertEquals(0, r.code(), r.err());
    String[] lines = r.out().strip().split("\\R");
    assertEquals(3, lines.length, r.out());
    for (int i = 0; i < 3; i++) {
      assertProbabilities(lines[i], i);
    }
  }

  private static void assertProbabilities(String line, int index) {
    assertTrue(line.startsWith(index + " class "), line);
    String probs = line.substring(line.indexOf('[') + 1, line.indexOf(']'));
    String[] p = probs.split(" ");
    assertEquals(10, p.length, line);
    double sum = 0;
    for (String s : p) {
      sum += Double.parseDouble(s);
    }
    assertEquals(1.0, sum, 0.003, line);
  }

  @Test
  void summaryShowsConstraints() {
    Result r = cli("summary", run.resolve("model.maxnorm").toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("MaxNorm"), r.out());
    assertTrue(r.out().contains("dense_2 (Dense)"), r.out());
    assertTrue(r.out().contains("Epochs completed: 1"), r.out());
  }

  @ParameterizedTest
  @ValueSource(strings = {"train", "evaluate", "predict", "summary"})
  void everyCommandHasHelp(String command) {
    Result r = cli(command, "--help");
    assertEquals(0, r.code());
    assertTrue(r.out().contains("Usage: maxnorm " + command), r.out());
  }

  @Test
  void unknownFlagIsAUsageError() {
    Result r = cli("train", "--no-such-flag");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("Unknown option: '--no-such-flag'"), r.err());
    assertTrue(r.err().contains("Usage: maxnorm train"), r.err());
  }

  @Test
  void badOptionValueIsOneLine() {
    Result r = cli("train", "--dropout", "0.2", "--out", tmp.resolve("never").toString());
    assertEquals(2, r.code());
    assertEquals(1, r.errLines().size(), r.err());
    assertTrue(r.err().startsWith("maxnorm: --dropout"), r.err());
  }

  @Test
  void missingDataDirIsOneLine() {
    Result r = cli("train", "--data", "mnist", "--data-dir", tmp.resolve("nowhere").toString(),
        "--out", tmp.resolve("never2").toString());
    assertEquals(2, r.code());
    assertEquals(1, r.errLines().size(), r.err());
    assertTrue(r.err().startsWith("maxnorm: ") && r.err().contains("nowhere"), r.err());
    assertFalse(r.err().contains("Exception"), r.err());
  }

  @Test
  void corruptIdxIsOneLine() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("corrupt"));
    for (String n : List.of("train-images-idx3-ubyte", "train-labels-idx1-ubyte",
        "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")) {
      Files.write(dir.resolve(n), new byte[] {0, 0, 8, 3, 0, 0, 0, 9, 1, 2});
    }
    Result r = cli("train", "--data", dir.toString(), "--out", tmp.resolve("never3").toString());
    assertEquals(2, r.code());
    assertEquals(1, r.errLines().size(), r.err());
    assertTrue(r.err().startsWith("maxnorm: "), r.err());
    Result d = cli("train", "--data", dir.toString(), "--out", tmp.resolve("never4").toString(),
        "--debug");
    assertEquals(2, d.code());
    assertTrue(d.errLines().size() > 1, "a stack trace with --debug: " + d.err());
  }

  @Test
  void unwritableOutFolderIsReportedBeforeTraining() throws IOException {
    Path file = Files.writeString(tmp.resolve("a-file"), "x");
    Result r = cli("train", "--limit", "64", "--epochs", "1", "--out",
        file.resolve("sub").toString());
    assertEquals(2, r.code());
    assertEquals(1, r.errLines().size(), r.err());
    assertTrue(r.err().contains("cannot write to output folder"), r.err());
    assertFalse(r.out().contains("epoch"), r.out());
  }

  @Test
  void divergenceExitsThreeAndKeepsTheLastGoodModel() throws IOException {
    Path dir = tmp.resolve("diverged");
    Result r = cli("train", "--limit", "256", "--batch-size", "64", "--epochs", "2", "--lr",
        "1e30", "--max-norm", "none", "--out", dir.toString());
    assertEquals(3, r.code(), r.out() + r.err());
    assertEquals(1, r.errLines().size(), r.err());
    assertTrue(r.err().matches("maxnorm: training diverged at epoch 1, step \\d+ .*\\R?"), r.err());
    JsonNode s = new ObjectMapper().readTree(dir.resolve("summary.json").toFile());
    assertTrue(s.get("diverged").asBoolean(), s.toString());
    assertTrue(s.get("final_loss").isNull(), s.toString());
    assertEquals(1, s.get("diverged_epoch").asInt());
    Model m = ModelIO.load(dir.resolve("model.maxnorm"));
    for (Parameter p : m.parameters()) {
      for (float v : p.variable().data()) {
        assertTrue(Float.isFinite(v), "the saved model is the last good one");
      }
    }
    assertTrue(Files.exists(dir.resolve("training-curves.png")));
  }

  @Test
  void resumeIsBitIdenticalToAnUninterruptedRun() throws IOException {
    Path data = Files.createDirectories(tmp.resolve("tiny-idx"));
    SplittableRandom rng = new SplittableRandom(11);
    writeIdxImages(data.resolve("train-images-idx3-ubyte"), 96, 8, 8, rng);
    writeIdxLabels(data.resolve("train-labels-idx1-ubyte"), 96, 3, rng);
    writeIdxImages(data.resolve("t10k-images-idx3-ubyte"), 24, 8, 8, rng);
    writeIdxLabels(data.resolve("t10k-labels-idx1-ubyte"), 24, 3, rng);
    String[] common = {"--data", data.toString(), "--batch-size", "16", "--seed", "5"};
    Path a = tmp.resolve("straight");
    Path b = tmp.resolve("interrupted");
    assertEquals(0, cli(concat(common, "train", "--epochs", "2", "--out", a.toString())).code());
    assertEquals(0, cli(concat(common, "train", "--epochs", "1", "--out", b.toString())).code());
    Result resumed = cli("train", "--resume", b.toString(), "--epochs", "2");
    assertEquals(0, resumed.code(), resumed.err());
    assertTrue(resumed.out().contains("epoch 2/2"), resumed.out());
    assertFalse(resumed.out().contains("epoch 1/2"), resumed.out());

    Model ma = ModelIO.load(a.resolve("model.maxnorm"));
    Model mb = ModelIO.load(b.resolve("model.maxnorm"));
    assertEquals(2, mb.epochsCompleted());
    assertEquals(ma.optimizer().iterations(), mb.optimizer().iterations());
    List<Parameter> pa = ma.parameters();
    List<Parameter> pb = mb.parameters();
    assertEquals(pa.size(), pb.size());
    for (int i = 0; i < pa.size(); i++) {
      assertArrayEquals(bits(pa.get(i).variable().data()), bits(pb.get(i).variable().data()),
          pa.get(i).path());
    }
    assertEquals(Files.readAllLines(a.resolve("history.csv")),
        Files.readAllLines(b.resolve("history.csv")));

    Result bad = cli("train", "--resume", b.toString(), "--lr", "0.5");
    assertEquals(2, bad.code());
    assertTrue(bad.err().startsWith("maxnorm: --lr cannot be changed"), bad.err());
  }

  private static String[] concat(String[] common, String... first) {
    String[] r = new String[first.length + common.length];
    System.arraycopy(first, 0, r, 0, 1);
    System.arraycopy(common, 0, r, 1, common.length);
    System.arraycopy(first, 1, r, 1 + common.length, first.length - 1);
    return r;
  }

  private static int[] bits(float[] v) {
    int[] r = new int[v.length];
    for (int i = 0; i < v.length; i++) {
      r[i] = Float.floatToRawIntBits(v[i]);
    }
    return r;
  }

  static void writeIdxImages(Path file, int n, int rows, int cols, SplittableRandom rng)
      throws IOException {
    ByteBuffer b = ByteBuffer.allocate(16 + n * rows * cols);
    b.putInt(0x00000803).putInt(n).putInt(rows).putInt(cols);
    for (int i = 0; i < n * rows * cols; i++) {
      b.put((byte) rng.nextInt(256));
    }
    Files.write(file, b.array());
  }

  static void writeIdxLabels(Path file, int n, int classes, SplittableRandom rng)
      throws IOException {
    ByteBuffer b = ByteBuffer.allocate(8 + n);
    b.putInt(0x00000801).putInt(n);
    for (int i = 0; i < n; i++) {
      b.put((byte) (i < classes ? i : rng.nextInt(classes)));
    }
    Files.write(file, b.array());
  }
}

package io.github.maxnorm.cli;

import io.github.maxnorm.model.Model;
import io.github.maxnorm.model.Sequential;
import io.github.maxnorm.nn.Config;
import io.github.maxnorm.nn.Constraint;
import io.github.maxnorm.nn.Constraints;
import io.github.maxnorm.nn.Parameter;
import java.io.IOException;
import java.math.BigDecimal;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The unit-norm statistics and the PNG charts written after training. */
final class Reports {
  private Reports() {}

  /**
   * The L2 norm of every unit of every kernel: for a kernel of rank {@code >= 2}, the slices over
   * all axes but the last (axis 0 of a Dense kernel, axes 0-2 of a Conv2D kernel), by {@code
   * <layer>/<param>}.
   */
  static Map<String, double[]> unitNorms(Model model) {
    Map<String, double[]> r = new LinkedHashMap<>();
    for (Parameter p : model.parameters()) {
      int[] d = p.shape().dims();
      if (!p.name().equals("kernel") || d.length < 2) {
        continue;
      }
      int units = d[d.length - 1];
      float[] w = p.variable().data();
      double[] sq = new double[units];
      for (int i = 0; i < w.length; i++) {
        sq[i % units] += (double) w[i] * w[i];
      }
      for (int u = 0; u < units; u++) {
        sq[u] = Math.sqrt(sq[u]);
      }
      r.put(p.path(), sq);
    }
    return r;
  }

  /** The largest of each kernel's unit norms. */
  static Map<String, Double> maxUnitNorms(Map<String, double[]> norms) {
    Map<String, Double> r = new LinkedHashMap<>();
    for (Map.Entry<String, double[]> e : norms.entrySet()) {
      double m = 0;
      for (double v : e.getValue()) {
        m = Double.isNaN(v) || Double.isNaN(m) ? Double.NaN : Math.max(m, v);
      }
      r.put(e.getKey(), m);
    }
    return r;
  }

  /** The max-norm bound on each kernel that has one, by path. */
  static Map<String, Double> bounds(Model model) {
    Map<String, Double> r = new LinkedHashMap<>();
    for (Parameter p : model.parameters()) {
      Constraint c = p.constraint();
      if (c == null) {
        continue;
      }
      try {
        Config cfg = Constraints.toConfig(c);
        if (cfg.has("max_value")) {
          r.put(p.path(), cfg.getDouble("max_value", Double.NaN));
        }
      } catch (IllegalArgumentException e) {
        // a user-function constraint has no bound to draw
      }
    }
    return r;
  }

  /** Loss and accuracy per epoch (train and validation) from a history CSV, as one PNG. */
  static void trainingCurves(Path historyCsv, Path png) throws IOException {
    List<String> lines = Files.exists(historyCsv)
        ? Files.readAllLines(historyCsv, StandardCharsets.UTF_8) : List.of();
    Map<String, List<double[]>> cols = new LinkedHashMap<>();
    if (!lines.isEmpty()) {
      String[] head = lines.get(0).split(",", -1);
      for (String h : head) {
        cols.put(h, new ArrayList<>());
      }
      for (int i = 1; i < lines.size(); i++) {
        String[] cells = lines.get(i).split(",", -1);
        if (cells.length != head.length) {
          continue;
        }
        double epoch = parse(cells[0]) + 1;
        for (int j = 1; j < head.length; j++) {
          cols.get(head[j]).add(new double[] {epoch, parse(cells[j])});
        }
      }
    }
    XYChart loss = chart("Loss", "epoch", "loss");
    XYChart acc = chart("Accuracy", "epoch", "accuracy");
    addSeries(loss, "train", cols.get("loss"));
    addSeries(loss, "validation", cols.get("val_loss"));
    addSeries(acc, "train", cols.get("accuracy"));
    addSeries(acc, "validation", cols.get("val_accuracy"));
    save(List.of(loss, acc), 1, 2, png);
  }

  /** Each kernel's unit norms, sorted, with its max-norm bound as a dashed horizontal line. */
  static void unitNormChart(Map<String, double[]> norms, Map<String, Double> bounds, Path png)
      throws IOException {
    XYChart c = chart("Unit L2 norms at the end of training (sorted)",
        "unit rank (fraction of the layer's units)", "L2 norm of the unit's weights");
    for (Map.Entry<String, double[]> e : norms.entrySet()) {
      double[] v = e.getValue().clone();
      Arrays.sort(v);
      List<double[]> pts = new ArrayList<>();
      for (int i = 0; i < v.length; i++) {
        double x = v.length == 1 ? 0.5 : (double) (v.length - 1 - i) / (v.length - 1);
        pts.add(new double[] {x, v[i]});
      }
      pts.sort((a, b) -> Double.compare(a[0], b[0]));
      addSeries(c, e.getKey() + " (" + v.length + " units)", pts);
    }
    for (double b : new TreeSet<>(bounds.values())) {
      if (Double.isFinite(b)) {
        String label = BigDecimal.valueOf(b).stripTrailingZeros().toPlainString();
        XYSeries s = c.addSeries("max-norm c = " + label, new double[] {0, 1},
            new double[] {b, b});
        s.setMarker(SeriesMarkers.NONE);
        s.setLineStyle(SeriesLines.DASH_DASH);
      }
    }
    if (c.getSeriesMap().isEmpty()) {
      placeholder(c);
    }
    save(List.of(c), 1, 1, png);
  }

  private static XYChart chart(String title, String x, String y) {
    XYChart c = new XYChartBuilder().width(640).height(480).title(title).xAxisTitle(x)
        .yAxisTitle(y).build();
    c.getStyler().setLegendVisible(true);
    return c;
  }

  private static void addSeries(XYChart c, String name, List<double[]> pts) {
    if (pts == null) {
      return;
    }
    List<double[]> ok = new ArrayList<>();
    for (double[] p : pts) {
      if (Double.isFinite(p[0]) && Double.isFinite(p[1])) {
        ok.add(p);
      }
    }
    if (ok.isEmpty()) {
      return;
    }
    double[] xs = new double[ok.size()];
    double[] ys = new double[ok.size()];
    for (int i = 0; i < xs.length; i++) {
      xs[i] = ok.get(i)[0];
      ys[i] = ok.get(i)[1];
    }
    XYSeries s = c.addSeries(name, xs, ys);
    if (xs.length > 50) {
      s.setMarker(SeriesMarkers.NONE);
    }
  }

  private static void placeholder(XYChart c) {
    XYSeries s = c.addSeries("no finite values", new double[] {0}, new double[] {0});
    s.setMarker(SeriesMarkers.NONE);
  }

  private static void save(List<XYChart> charts, int rows, int cols, Path png) throws IOException {
    for (XYChart c : charts) {
      if (c.getSeriesMap().isEmpty()) {
        placeholder(c);
      }
    }
    Path tmp = png.resolveSibling(png.getFileName() + ".tmp");
    try (OutputStream o = Files.newOutputStream(tmp)) {
      BitmapEncoder.saveBitmap(charts, rows, cols, o, BitmapEncoder.BitmapFormat.PNG);
    }
    Files.move(tmp, png, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static double parse(String s) {
    try {
      return Double.parseDouble(s);
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }
}

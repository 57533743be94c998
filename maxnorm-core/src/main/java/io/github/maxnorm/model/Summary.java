package io.github.maxnorm.model;

import io.github.maxnorm.nn.Config;
import io.github.maxnorm.nn.Constraint;
import io.github.maxnorm.nn.Constraints;
import io.github.maxnorm.nn.NormConstraint;
import io.github.maxnorm.nn.ReducedAxes;
import io.github.maxnorm.nn.Layer;
import io.github.maxnorm.nn.Parameter;
import io.github.maxnorm.nn.SymbolicTensor;
import java.util.IdentityHashMap;
import java.util.Map;
import io.github.maxnorm.tensor.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The Keras-like summary table of a built model: each layer's name and type, output shape (with
 * {@code None} for the batch axis), parameter count, and the constraints on its parameters.
 */
final class Summary {
  private Summary() {}

  /**
   * The table: for a graph model also the "Connected to" column, as Keras prints it. Parameter
   * counts include non-trainable weights; the totals below split trainable from non-trainable (a
   * frozen layer's weights count as non-trainable).
   */
  static String of(Model model) {
    boolean graph = !(model instanceof Sequential);
    Map<Layer, List<String>> connected = graph ? model.connections() : Map.of();
    List<String[]> rows = new ArrayList<>();
    List<Layer> layers = model.layers();
    Map<Layer, Shape> shapes = new IdentityHashMap<>();
    for (SymbolicTensor t : model.nodes()) {
      shapes.putIfAbsent(t.layer(), t.shape());
    }
    for (SymbolicTensor t : model.inputs()) {
      shapes.putIfAbsent(t.layer(), t.shape());
    }
    long total = 0;
    for (Layer l : layers) {
      long count = 0;
      List<String> cons = new ArrayList<>();
      for (Parameter p : l.weights()) {
        count += p.shape().size();
        Constraint c = p.constraint();
        if (c != null) {
          cons.add(p.name() + ": " + describe(c, p));
        }
      }
      total += count;
      rows.add(
          new String[] {
            l.name() + " (" + l.className() + ")" + (l.trainable() ? "" : " [frozen]"),
            outputShape(shapes.get(l)),
            String.format(Locale.ROOT, "%,d", count),
            String.join(", ", connected.getOrDefault(l, List.of())),
            String.join("; ", cons)
          });
    }
    int[] w = {28, 26, 12, graph ? 24 : 0};
    for (String[] r : rows) {
      for (int i = 0; i < 3; i++) {
        w[i] = Math.max(w[i], r[i].length() + 2);
      }
      if (graph) {
        w[3] = Math.max(w[3], r[3].length() + 2);
      }
    }
    int width = w[0] + w[1] + w[2] + w[3] + 30;
    StringBuilder b = new StringBuilder();
    b.append("Model: \"").append(model.name()).append("\"\n");
    b.append("_".repeat(width)).append('\n');
    b.append(pad(" Layer (type)", w[0])).append(pad("Output Shape", w[1])).append(pad("Param #", w[2]))
        .append(graph ? pad("Connected to", w[3]) : "").append("Constraints\n");
    b.append("=".repeat(width)).append('\n');
    for (int i = 0; i < rows.size(); i++) {
      String[] r = rows.get(i);
      b.append(pad(" " + r[0], w[0])).append(pad(r[1], w[1])).append(pad(r[2], w[2]))
          .append(graph ? pad(r[3], w[3]) : "").append(r[4]).append('\n');
      b.append(i == rows.size() - 1 ? "=".repeat(width) : "").append('\n');
    }
    long trainable = model.countTrainableParams();
    b.append(String.format(Locale.ROOT, "Total params: %,d%n", total));
    b.append(String.format(Locale.ROOT, "Trainable params: %,d%n", trainable));
    b.append(String.format(Locale.ROOT, "Non-trainable params: %,d%n", total - trainable));
    b.append("_".repeat(width)).append('\n');
    return b.toString();
  }

  /** The constraint's Keras config, with the axes it resolved to when the user gave none. */
  static String describe(Constraint c, Parameter p) {
    if (c instanceof NormConstraint n) {
      Config cfg = n.config();
      StringBuilder b = new StringBuilder(cfg.className()).append('(');
      String sep = "";
      for (var e : cfg.config().entrySet()) {
        if (!e.getKey().equals("axis")) {
          b.append(sep).append(e.getKey()).append('=').append(e.getValue());
          sep = ", ";
        }
      }
      ReducedAxes axes = n.axis();
      String ax = !axes.given() ? Arrays.toString(p.unitAxes()) + " per unit"
          : axes.isWhole() ? "null (whole tensor)" : Arrays.toString(axes.axes());
      return b.append(sep).append("axis=").append(ax).append(')').toString();
    }
    return safeName(c);
  }

  private static String safeName(Constraint c) {
    try {
      return Constraints.toConfig(c).className();
    } catch (IllegalArgumentException e) {
      return "custom function";
    }
  }

  private static String outputShape(Shape s) {
    StringBuilder b = new StringBuilder("(None");
    for (int d : s.dims()) {
      b.append(", ").append(d);
    }
    return b.append(')').toString();
  }

  private static String pad(String s, int w) {
    return s.length() >= w ? s + " " : s + " ".repeat(w - s.length());
  }
}

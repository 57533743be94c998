package io.github.maxnorm.model;

import io.github.maxnorm.nn.Config;
import io.github.maxnorm.nn.Constraint;
import io.github.maxnorm.nn.Constraints;
import io.github.maxnorm.nn.NormConstraint;
import io.github.maxnorm.nn.ReducedAxes;
import io.github.maxnorm.nn.Layer;
import io.github.maxnorm.nn.Parameter;
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

  static String of(Sequential model) {
    List<String[]> rows = new ArrayList<>();
    List<Layer> layers = model.layers();
    List<Shape> shapes = model.layerOutputShapes();
    long total = 0;
    for (int i = 0; i < layers.size(); i++) {
      Layer l = layers.get(i);
      long count = 0;
      List<String> cons = new ArrayList<>();
      for (Parameter p : l.parameters()) {
        count += p.shape().size();
        Constraint c = p.constraint();
        if (c != null) {
          cons.add(p.name() + ": " + describe(c, p));
        }
      }
      total += count;
      rows.add(
          new String[] {
            l.name() + " (" + l.config().className() + ")",
            outputShape(shapes.get(i)),
            String.format(Locale.ROOT, "%,d", count),
            String.join("; ", cons)
          });
    }
    int w0 = 28;
    int w1 = 26;
    int w2 = 12;
    for (String[] r : rows) {
      w0 = Math.max(w0, r[0].length() + 2);
      w1 = Math.max(w1, r[1].length() + 2);
      w2 = Math.max(w2, r[2].length() + 2);
    }
    int width = w0 + w1 + w2 + 30;
    StringBuilder b = new StringBuilder();
    b.append("Model: \"").append(model.name()).append("\"\n");
    b.append("_".repeat(width)).append('\n');
    b.append(pad(" Layer (type)", w0)).append(pad("Output Shape", w1)).append(pad("Param #", w2))
        .append("Constraints\n");
    b.append("=".repeat(width)).append('\n');
    for (int i = 0; i < rows.size(); i++) {
      String[] r = rows.get(i);
      b.append(pad(" " + r[0], w0)).append(pad(r[1], w1)).append(pad(r[2], w2)).append(r[3])
          .append('\n');
      b.append(i == rows.size() - 1 ? "=".repeat(width) : "").append('\n');
    }
    b.append(String.format(Locale.ROOT, "Total params: %,d%n", total));
    b.append(String.format(Locale.ROOT, "Trainable params: %,d%n", total));
    b.append("Non-trainable params: 0\n");
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

package io.github.maxnorm.nn.layers;

import io.github.maxnorm.nn.Parameter;
import io.github.maxnorm.tensor.Shape;
import java.util.ArrayList;
import java.util.List;

/** The state every layer keeps: its name, whether it is built, its shapes and parameters. */
final class LayerSupport {
  private final String kind;
  private String name;
  private Shape inputShape;
  private Shape outputShape;
  private final List<Parameter> parameters = new ArrayList<>();

  LayerSupport(String kind) {
    this.kind = kind;
  }

  String kind() {
    return kind;
  }

  String name() {
    return name == null ? kind : name;
  }

  boolean hasName() {
    return name != null;
  }

  void name(String n) {
    if (n == null || n.isBlank()) {
      throw new IllegalArgumentException(kind + ": name must not be blank, received '" + n + "'");
    }
    if (!n.matches("[A-Za-z0-9_.\\-]+")) {
      throw new IllegalArgumentException(
          kind + ": name may hold letters, digits, '_', '.', '-' only, received '" + n + "'");
    }
    name = n;
  }

  boolean built() {
    return outputShape != null;
  }

  void requireUnbuilt() {
    if (built()) {
      throw new IllegalStateException(name() + " is already built; configure it before building");
    }
  }

  void requireBuilt() {
    if (!built()) {
      throw new IllegalStateException(name() + " is not built yet");
    }
  }

  void built(Shape in, Shape out) {
    inputShape = in;
    outputShape = out;
  }

  Shape inputShape() {
    return inputShape;
  }

  Shape outputShape() {
    return outputShape;
  }

  List<Parameter> parameters() {
    return List.copyOf(parameters);
  }

  void add(Parameter p) {
    parameters.add(p);
  }

  /** Checks a batch's shape against the built input shape, naming the layer and both shapes. */
  void checkInput(io.github.maxnorm.tensor.Tensor x) {
    Shape s = x.shape();
    int[] d = s.dims();
    int[] want = inputShape.dims();
    boolean ok = d.length == want.length + 1;
    for (int i = 0; ok && i < want.length; i++) {
      ok = d[i + 1] == want[i];
    }
    if (!ok) {
      throw new IllegalArgumentException(
          name() + " expects input of shape [batch, " + join(want) + "], received shape " + s);
    }
  }

  static String join(int[] d) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < d.length; i++) {
      if (i > 0) {
        b.append(", ");
      }
      b.append(d[i]);
    }
    return b.toString();
  }
}

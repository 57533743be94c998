package io.github.maxnorm.tensor;

import java.util.List;

/**
 * An elementwise function of two operands with NumPy-style broadcasting: {@code a + b},
 * {@code a - b}, {@code a * b}, {@code a / b}, {@code max(a, b)}, {@code min(a, b)}. The gradient of
 * each operand is reduced back to its shape over the axes along which it was broadcast. For max and
 * min the gradient goes to {@code a} where {@code a} wins or ties, else to {@code b}.
 */
final class Binary implements Op {
  private final Broadcast.Kind kind;
  private final Tensor a;
  private final Tensor b;

  private Binary(Broadcast.Kind kind, Tensor a, Tensor b) {
    this.kind = kind;
    this.a = a;
    this.b = b;
  }

  static Tensor apply(Broadcast.Kind kind, Tensor a, Tensor b) {
    Shape out = Shape.broadcast(kind.opName(), a.shape, b.shape);
    return Tensor.result(Broadcast.apply(kind, a, b, out), out, new Binary(kind, a, b));
  }

  @Override
  public String name() {
    return kind.opName();
  }

  @Override
  public List<Tensor> inputs() {
    return List.of(a, b);
  }

  @Override
  public void backward(Tensor out, float[] g, GradSink sink) {
    for (int k = 0; k < 2; k++) {
      if (sink.needs(k)) {
        Tensor operand = k == 0 ? a : b;
        float[] full = gradient(k, out, g);
        float[] reduced = Broadcast.reduceTo(full, out.shape, operand.shape);
        sink.accumulate(k, reduced == g ? Workspace.copyOf(g) : reduced);
      }
    }
  }

  /** The gradient of operand {@code k} before reduction, laid out as the output. */
  private float[] gradient(int k, Tensor out, float[] g) {
    Tensor gt = Tensor.wrap(g, out.shape);
    switch (kind) {
      case ADD:
        return g;
      case SUB:
        if (k == 0) {
          return g;
        }
        float[] neg = new float[g.length];
        for (int i = 0; i < g.length; i++) {
          neg[i] = -g[i];
        }
        return neg;
      case MUL:
        return Broadcast.apply(Broadcast.Kind.MUL, gt, k == 0 ? b : a, out.shape);
      case DIV:
        if (k == 0) {
          return Broadcast.apply(Broadcast.Kind.DIV, gt, b, out.shape);
        }
        // d(a/b)/db = -(a/b)/b = -out/b
        float[] t = Broadcast.apply(Broadcast.Kind.DIV, out.detach(), b, out.shape);
        for (int i = 0; i < t.length; i++) {
          t[i] = -t[i] * g[i];
        }
        return t;
      default:
        // MAX, MIN: operand a took the output where its broadcast value equals it
        float[] av = Broadcast.apply(Broadcast.Kind.ADD, a, Tensor.scalar(0f), out.shape);
        float[] res = out.data;
        float[] m = new float[g.length];
        for (int i = 0; i < g.length; i++) {
          boolean fromA = av[i] == res[i] || av[i] != av[i];
          m[i] = fromA == (k == 0) ? g[i] : 0f;
        }
        return m;
    }
  }
}

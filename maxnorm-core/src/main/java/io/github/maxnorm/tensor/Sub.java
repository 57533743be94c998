package io.github.maxnorm.tensor;

import java.util.List;

/** Elementwise {@code a - b} with broadcasting. */
final class Sub implements Op {
  private final Tensor a;
  private final Tensor b;

  private Sub(Tensor a, Tensor b) {
    this.a = a;
    this.b = b;
  }

  static Tensor apply(Tensor a, Tensor b) {
    Shape out = Shape.broadcast("sub", a.shape, b.shape);
    return Tensor.result(Broadcast.apply(Broadcast.Kind.SUB, a, b, out), out, new Sub(a, b));
  }

  @Override
  public String name() {
    return "sub";
  }

  @Override
  public List<Tensor> inputs() {
    return List.of(a, b);
  }

  @Override
  public void backward(Tensor out, float[] g, GradSink sink) {
    if (sink.needs(0)) {
      float[] ga = Broadcast.reduceTo(g, out.shape, a.shape);
      sink.accumulate(0, ga == g ? Workspace.copyOf(g) : ga);
    }
    if (sink.needs(1)) {
      float[] neg = new float[g.length];
      for (int i = 0; i < g.length; i++) {
        neg[i] = -g[i];
      }
      sink.accumulate(1, Broadcast.reduceTo(neg, out.shape, b.shape));
    }
  }
}

package io.github.maxnorm.tensor;

import java.util.List;

/** Elementwise {@code a / b} with broadcasting. */
final class Div implements Op {
  private final Tensor a;
  private final Tensor b;

  private Div(Tensor a, Tensor b) {
    this.a = a;
    this.b = b;
  }

  static Tensor apply(Tensor a, Tensor b) {
    Shape out = Shape.broadcast("div", a.shape, b.shape);
    return Tensor.result(Broadcast.apply(Broadcast.Kind.DIV, a, b, out), out, new Div(a, b));
  }

  @Override
  public String name() {
    return "div";
  }

  @Override
  public List<Tensor> inputs() {
    return List.of(a, b);
  }

  @Override
  public void backward(Tensor out, float[] g, GradSink sink) {
    Tensor gt = Tensor.wrap(g, out.shape);
    if (sink.needs(0)) {
      float[] ga = Broadcast.apply(Broadcast.Kind.DIV, gt, b, out.shape);
      sink.accumulate(0, Broadcast.reduceTo(ga, out.shape, a.shape));
    }
    if (sink.needs(1)) {
      // d(a/b)/db = -(a/b)/b = -out/b
      float[] t = Broadcast.apply(Broadcast.Kind.DIV, out.detach(), b, out.shape);
      for (int i = 0; i < t.length; i++) {
        t[i] = -t[i] * g[i];
      }
      sink.accumulate(1, Broadcast.reduceTo(t, out.shape, b.shape));
    }
  }
}

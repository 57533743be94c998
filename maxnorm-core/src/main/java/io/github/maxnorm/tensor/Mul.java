package io.github.maxnorm.tensor;

import java.util.List;

/** Elementwise {@code a * b} with broadcasting. */
final class Mul implements Op {
  private final Tensor a;
  private final Tensor b;

  private Mul(Tensor a, Tensor b) {
    this.a = a;
    this.b = b;
  }

  static Tensor apply(Tensor a, Tensor b) {
    Shape out = Shape.broadcast("mul", a.shape, b.shape);
    return Tensor.result(Broadcast.apply(Broadcast.Kind.MUL, a, b, out), out, new Mul(a, b));
  }

  @Override
  public String name() {
    return "mul";
  }

  @Override
  public List<Tensor> inputs() {
    return List.of(a, b);
  }

  @Override
  public void backward(Tensor out, float[] g, GradSink sink) {
    Tensor gt = Tensor.wrap(g, out.shape);
    if (sink.needs(0)) {
      float[] ga = Broadcast.apply(Broadcast.Kind.MUL, gt, b, out.shape);
      sink.accumulate(0, Broadcast.reduceTo(ga, out.shape, a.shape));
    }
    if (sink.needs(1)) {
      float[] gb = Broadcast.apply(Broadcast.Kind.MUL, gt, a, out.shape);
      sink.accumulate(1, Broadcast.reduceTo(gb, out.shape, b.shape));
    }
  }
}

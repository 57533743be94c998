package io.github.maxnorm.tensor;

import java.util.List;

/** Elementwise {@code a + b} with broadcasting. */
final class Add implements Op {
  private final Tensor a;
  private final Tensor b;

  private Add(Tensor a, Tensor b) {
    this.a = a;
    this.b = b;
  }

  static Tensor apply(Tensor a, Tensor b) {
    Shape out = Shape.broadcast("add", a.shape, b.shape);
    return Tensor.result(Broadcast.apply(Broadcast.Kind.ADD, a, b, out), out, new Add(a, b));
  }

  @Override
  public String name() {
    return "add";
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
      float[] gb = Broadcast.reduceTo(g, out.shape, b.shape);
      sink.accumulate(1, gb == g ? Workspace.copyOf(g) : gb);
    }
  }
}

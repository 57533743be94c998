package io.github.maxnorm.tensor;

import io.github.maxnorm.kernel.BiasRelu;
import java.util.List;

/** Elementwise {@code max(a, 0)}; NaN propagates. The gradient at 0 is taken as 0. */
final class Relu implements Op {
  private final Tensor a;

  private Relu(Tensor a) {
    this.a = a;
  }

  static Tensor apply(Tensor a) {
    float[] x = a.data;
    float[] o = Workspace.uninitialized(x.length);
    Elementwise.forRange(
        o.length,
        (from, to) -> {
          for (int i = from; i < to; i++) {
            o[i] = relu(x[i]);
          }
        });
    return Tensor.result(o, a.shape, new Relu(a));
  }

  /** {@code v < 0f ? 0f : v} without a branch ({@link BiasRelu#relu}). */
  static float relu(float v) {
    return BiasRelu.relu(v);
  }

  /** {@code x > 0f ? g : 0f} without a branch ({@link BiasRelu#passIfPositive}). */
  static float passIfPositive(float x, float g) {
    return BiasRelu.passIfPositive(x, g);
  }

  @Override
  public String name() {
    return "relu";
  }

  @Override
  public List<Tensor> inputs() {
    return List.of(a);
  }

  @Override
  public void backward(Tensor out, float[] g, GradSink sink) {
    float[] x = a.data;
    float[] ga = Workspace.uninitialized(g.length);
    Elementwise.forRange(
        ga.length,
        (from, to) -> {
          for (int i = from; i < to; i++) {
            ga[i] = passIfPositive(x[i], g[i]);
          }
        });
    sink.accumulate(0, ga);
  }
}

package io.github.maxnorm.tensor;

import java.util.Arrays;
import java.util.List;

/** The same row-major values under another shape. */
final class Reshape implements Op {
  private final Tensor a;

  private Reshape(Tensor a) {
    this.a = a;
  }

  static Shape resolve(Shape from, int[] target) {
    int[] d = target.clone();
    int infer = -1;
    int known = 1;
    for (int i = 0; i < d.length; i++) {
      if (d[i] == -1) {
        if (infer >= 0) {
          throw new IllegalArgumentException(
              "reshape: " + from + " to " + Arrays.toString(target) + ": more than one -1");
        }
        infer = i;
      } else if (d[i] < 0) {
        throw new IllegalArgumentException(
            "reshape: " + from + " to " + Arrays.toString(target) + ": negative dimension");
      } else {
        known *= d[i];
      }
    }
    if (infer >= 0) {
      if (known == 0 || from.size() % known != 0) {
        throw new IllegalArgumentException(
            "reshape: cannot reshape " + from + " (" + from.size() + " elements) to "
                + Arrays.toString(target));
      }
      d[infer] = from.size() / known;
    }
    Shape s = new Shape(d);
    if (s.size() != from.size()) {
      throw new IllegalArgumentException(
          "reshape: cannot reshape " + from + " (" + from.size() + " elements) to " + s + " ("
              + s.size() + " elements)");
    }
    return s;
  }

  static Tensor apply(Tensor a, int[] shape) {
    Shape s = resolve(a.shape, shape);
    // The data array is shared: tensors are never written after creation.
    return Tensor.result(a.data, s, new Reshape(a));
  }

  @Override
  public String name() {
    return "reshape";
  }

  @Override
  public List<Tensor> inputs() {
    return List.of(a);
  }

  @Override
  public void backward(Tensor out, float[] g, GradSink sink) {
    sink.accumulate(0, Workspace.copyOf(g));
  }
}

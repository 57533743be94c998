package io.github.maxnorm.nn.layers;

import io.github.maxnorm.nn.Config;
import io.github.maxnorm.nn.ForwardContext;
import io.github.maxnorm.tensor.Shape;
import io.github.maxnorm.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * Joins two or more inputs along {@code axis} (default -1, the channels of a channels-last
 * image); their other axes must agree. The axis counts the batch axis as 0, as in Keras.
 */
public final class Concatenate extends BaseLayer<Concatenate> {
  private final int axis;

  public Concatenate() {
    this(-1);
  }

  public Concatenate(int axis) {
    super("Concatenate");
    if (axis == 0) {
      throw new IllegalArgumentException("Concatenate: axis 0 is the batch axis");
    }
    this.axis = axis;
  }

  @Override
  protected int minInputs() {
    return 2;
  }

  @Override
  protected int maxInputs() {
    return Integer.MAX_VALUE;
  }

  /** The per-sample axis (no batch axis) for inputs of {@code rank}. */
  private int sampleAxis(int rank) {
    int a = axis < 0 ? axis + rank + 1 : axis;
    if (a < 1 || a > rank) {
      throw new IllegalArgumentException(
          name() + ": axis " + axis + " is out of range for inputs of rank " + (rank + 1));
    }
    return a - 1;
  }

  @Override
  protected Shape computeOutputShape(List<Shape> inputs) {
    Shape first = inputs.get(0);
    int ax = sampleAxis(first.rank());
    int total = 0;
    for (Shape s : inputs) {
      boolean ok = s.rank() == first.rank();
      for (int d = 0; ok && d < s.rank(); d++) {
        ok = d == ax || s.dim(d) == first.dim(d);
      }
      if (!ok) {
        throw new IllegalArgumentException(
            name() + " (Concatenate) needs inputs that agree outside axis " + axis
                + ", received " + inputs);
      }
      total += s.dim(ax);
    }
    return first.withDim(ax, total);
  }

  @Override
  protected Tensor call(List<Tensor> xs, ForwardContext ctx) {
    return Tensor.concat(xs, sampleAxis(xs.get(0).rank() - 1) + 1);
  }

  @Override
  protected void writeConfig(Map<String, Object> m) {
    m.put("axis", axis);
  }

  static Concatenate fromConfig(Config config) {
    LayerConfig c = new LayerConfig(config);
    return c.finish(new Concatenate(c.integer("axis", -1)));
  }
}

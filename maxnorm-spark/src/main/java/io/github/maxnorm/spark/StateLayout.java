package io.github.maxnorm.spark;

import io.github.maxnorm.model.Model;
import io.github.maxnorm.nn.Parameter;
import io.github.maxnorm.optim.Optimizer;
import io.github.maxnorm.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The state of a model as one float vector, the unit that is broadcast and averaged: every
 * weight's values in {@link Model#weights()} order (non-trainable ones included, such as
 * BatchNormalization's moving statistics, which replicas move on their own shards), then, trainable
 * parameter by parameter ({@link Model#parameters()}), each of the optimizer's slots (momentum,
 * Adam's moments) in the optimizer's slot order. The
 * iteration count, learning rate and momentum travel beside it: every replica of a round shares
 * them.
 */
final class StateLayout {
  private final List<Parameter> all;
  private final List<Parameter> params;
  private final List<String> slotNames;
  private final int weights;
  private final int trainable;

  private StateLayout(Model m) {
    this.all = m.weights();
    this.params = m.parameters();
    this.slotNames = m.optimizer().config().slotNames();
    int n = 0;
    for (Parameter p : all) {
      n += p.variable().data().length;
    }
    this.weights = n;
    int t = 0;
    for (Parameter p : params) {
      t += p.variable().data().length;
    }
    this.trainable = t;
  }

  /** The layout of a compiled, built model. */
  static StateLayout of(Model m) {
    return new StateLayout(m);
  }

  /** The number of weight values (the vector's first part). */
  int weights() {
    return weights;
  }

  /** The length of the whole vector. */
  int length() {
    return weights + trainable * slotNames.size();
  }

  /** The model's weights alone (the vector's first part). */
  float[] readWeights() {
    float[] v = new float[weights];
    int at = 0;
    for (Parameter p : all) {
      float[] d = p.variable().data();
      System.arraycopy(d, 0, v, at, d.length);
      at += d.length;
    }
    return v;
  }

  /** Sets the model's weights from the first {@link #weights()} values of {@code v}. */
  void writeWeights(float[] v) {
    if (v.length < weights) {
      throw new IllegalArgumentException(
          "model state has " + v.length + " values, the model has " + weights + " weights");
    }
    int at = 0;
    for (Parameter p : all) {
      float[] d = p.variable().data();
      System.arraycopy(v, at, d, 0, d.length);
      at += d.length;
    }
  }

  /** The model's weights and optimizer slots (zeros for slots the optimizer has not made yet). */
  float[] read(Optimizer optimizer) {
    float[] v = java.util.Arrays.copyOf(readWeights(), length());
    int at = weights;
    Map<String, Tensor> slots = optimizer.slotState(params);
    for (Parameter p : params) {
      int n = p.variable().data().length;
      for (String s : slotNames) {
        Tensor t = slots.get(p.path() + ":" + s);
        if (t != null) {
          t.copyTo(v, at);
        }
        at += n;
      }
    }
    return v;
  }

  /**
   * Sets the model's weights and optimizer state from {@code v}, with the given counters.
   *
   * @throws IllegalArgumentException when {@code v} has the wrong length
   */
  void write(float[] v, Optimizer optimizer, long iterations, double lr, double momentum) {
    if (v.length != length()) {
      throw new IllegalArgumentException(
          "model state has " + v.length + " values, the model needs " + length());
    }
    writeWeights(v);
    int at = weights;
    Map<String, Tensor> slots = new LinkedHashMap<>();
    for (Parameter p : params) {
      int n = p.variable().data().length;
      for (String s : slotNames) {
        float[] part = new float[n];
        System.arraycopy(v, at, part, 0, n);
        slots.put(p.path() + ":" + s, Tensor.of(part, p.shape()));
        at += n;
      }
    }
    optimizer.restore(params, slots, iterations, lr, momentum);
  }
}

package io.github.maxnorm.optim;

import io.github.maxnorm.nn.ConstraintActivity;
import io.github.maxnorm.nn.Parameter;
import io.github.maxnorm.tensor.Shape;
import io.github.maxnorm.tensor.Tensor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs an {@link OptimizerConfig} over a model's parameters and holds its state: the iteration
 * count, the current learning rate and momentum (which schedules may change between epochs), and
 * the per-parameter slots.
 *
 * <p>{@link #step} is projected gradient descent: it clips gradients if configured, then, in one
 * loop, updates each parameter and applies its constraint to the updated weights, exactly once per
 * step. Nothing else in the library applies constraints.
 */
public final class Optimizer {
  private final OptimizerConfig config;
  private final Map<String, float[][]> slots = new HashMap<>();
  private long iterations;
  private double learningRate;
  private double momentum;

  public Optimizer(OptimizerConfig config) {
    if (config == null) {
      throw new IllegalArgumentException("Optimizer: config must not be null");
    }
    this.config = config;
    this.learningRate = config.learningRate();
    this.momentum = config.momentum();
  }

  public OptimizerConfig config() {
    return config;
  }

  /** The number of steps taken so far. */
  public long iterations() {
    return iterations;
  }

  /** The learning rate before per-step decay (set by schedules). */
  public double learningRate() {
    return learningRate;
  }

  /** The learning rate the next step will use: {@code lr / (1 + decay * iterations)}. */
  public double effectiveLearningRate() {
    return learningRate / (1 + config.decay() * iterations);
  }

  public void setLearningRate(double lr) {
    OptimizerConfig.checkRate("learning rate", lr);
    learningRate = lr;
  }

  public double momentum() {
    return momentum;
  }

  /** Sets the momentum (SGD); the dropout paper's schedule ramps it from 0.5 to 0.99. */
  public void setMomentum(double m) {
    OptimizerConfig.checkUnit("momentum", m);
    momentum = m;
  }

  /**
   * One step: update each parameter from its accumulated gradient and apply its constraint.
   *
   * @return the constraint activity of each constrained parameter, keyed by {@code layer/param}
   */
  public Map<String, ConstraintActivity> step(List<Parameter> params) {
    double lr = effectiveLearningRate();
    long t = iterations + 1;
    double globalScale = 1.0;
    if (config.globalClipnorm() > 0) {
      double sq = 0;
      for (Parameter p : params) {
        sq += sumSquares(p.variable().grad());
      }
      double norm = Math.sqrt(sq);
      if (norm > config.globalClipnorm()) {
        globalScale = config.globalClipnorm() / norm;
      }
    }
    Map<String, ConstraintActivity> activity = new LinkedHashMap<>();
    for (Parameter p : params) {
      float[] g = p.variable().grad();
      double scale = globalScale;
      if (config.clipnorm() > 0) {
        double norm = Math.sqrt(sumSquares(g));
        if (norm > config.clipnorm()) {
          scale *= config.clipnorm() / norm;
        }
      }
      if (scale != 1.0) {
        float s = (float) scale;
        for (int i = 0; i < g.length; i++) {
          g[i] *= s;
        }
      }
      // the update and then the projection of this parameter, while its values are still in cache
      // (a norm constraint on a kernel measures each block of rows as soon as it is updated); a
      // constraint sees only its own parameter, so this equals projecting after all updates
      ConstraintActivity a =
          p.updateAndConstrain(
              config.updater(p.variable().data(), g, slotsFor(p), lr, momentum, t));
      if (p.constraint() != null) {
        activity.put(p.path(), a);
      }
    }
    iterations = t;
    return activity;
  }

  private float[][] slotsFor(Parameter p) {
    return slots.computeIfAbsent(
        p.path(),
        k -> {
          int n = p.variable().data().length;
          float[][] s = new float[config.slotNames().size()][];
          for (int i = 0; i < s.length; i++) {
            s[i] = new float[n];
          }
          return s;
        });
  }

  private static double sumSquares(float[] g) {
    double s = 0;
    for (float v : g) {
      s += (double) v * v;
    }
    return s;
  }

  /** The slots as tensors keyed {@code layer/param:slot}, for saving. */
  public Map<String, Tensor> slotState(List<Parameter> params) {
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (Parameter p : params) {
      float[][] s = slots.get(p.path());
      if (s == null) {
        continue;
      }
      List<String> names = config.slotNames();
      for (int i = 0; i < s.length; i++) {
        out.put(p.path() + ":" + names.get(i), Tensor.of(s[i], p.shape()));
      }
    }
    return out;
  }

  /** Restores the slots saved by {@link #slotState} and the counters. */
  public void restore(
      List<Parameter> params, Map<String, Tensor> state, long iterations, double lr, double m) {
    slots.clear();
    List<String> names = config.slotNames();
    List<String> missing = new ArrayList<>();
    for (Parameter p : params) {
      float[][] s = new float[names.size()][];
      boolean any = false;
      for (int i = 0; i < names.size(); i++) {
        Tensor t = state.get(p.path() + ":" + names.get(i));
        if (t == null) {
          s[i] = new float[p.variable().data().length];
          missing.add(p.path() + ":" + names.get(i));
          continue;
        }
        Shape want = p.shape();
        if (!t.shape().equals(want)) {
          throw new IllegalArgumentException(
              "optimizer state " + p.path() + ":" + names.get(i) + " has shape " + t.shape()
                  + ", expected " + want);
        }
        s[i] = t.toArray();
        any = true;
      }
      if (any) {
        slots.put(p.path(), s);
      }
    }
    if (iterations > 0 && !missing.isEmpty() && missing.size() < params.size() * names.size()) {
      throw new IllegalArgumentException("optimizer state lacks " + missing);
    }
    if (iterations < 0) {
      throw new IllegalArgumentException("iterations must be >= 0, received " + iterations);
    }
    this.iterations = iterations;
    setLearningRate(lr);
    if (config instanceof SGD) {
      setMomentum(m);
    }
  }
}

package io.github.maxnorm.tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reverse-mode differentiation over the graph recorded by tensor operations.
 *
 * <p>Both entry points walk the graph once in reverse topological order and then release it: the
 * operations are unlinked from their outputs, so a second backward pass over the same graph fails
 * with a clear message instead of silently double counting.
 */
public final class Autograd {
  private Autograd() {}

  /**
   * Backpropagates from a one-element {@code loss}, adding the gradient of every {@link Variable}
   * it depends on to {@link Variable#grad()}.
   */
  public static void backward(Tensor loss) {
    requireScalar(loss);
    Map<Tensor, float[]> grads = run(loss, new float[] {1f}, Map.of());
    for (Map.Entry<Tensor, float[]> e : grads.entrySet()) {
      Variable v = e.getKey().variable;
      if (v != null) {
        addInto(v.grad(), e.getValue());
      }
    }
  }

  /**
   * Backpropagates from a one-element {@code loss} and sets {@link Variable#grad()} of each of
   * {@code variables} to the gradient of the loss with respect to it, replacing what was there (a
   * variable the loss does not depend on gets zeros). Equivalent to zeroing those gradients and
   * calling {@link #backward}, in fewer passes over memory: the training step's form. A variable
   * that is reached but not listed accumulates as with {@link #backward}.
   */
  public static void backwardReplacing(Tensor loss, List<Variable> variables) {
    requireScalar(loss);
    Map<Variable, Boolean> listed = new IdentityHashMap<>();
    for (Variable v : variables) {
      listed.put(v, Boolean.TRUE);
    }
    Map<Tensor, float[]> grads = run(loss, new float[] {1f}, listed);
    for (Variable v : variables) {
      if (!grads.containsKey(v.value())) {
        v.zeroGrad();
      }
    }
    for (Map.Entry<Tensor, float[]> e : grads.entrySet()) {
      Variable v = e.getKey().variable;
      if (v == null) {
        continue;
      }
      if (listed.containsKey(v)) {
        float[] src = e.getValue();
        if (src != v.grad()) {
          System.arraycopy(src, 0, v.grad(), 0, src.length);
        }
      } else {
        addInto(v.grad(), e.getValue());
      }
    }
  }

  /**
   * The gradients of a one-element {@code output} with respect to each tensor in {@code wrt}; a
   * tensor the output does not depend on gets zeros.
   */
  public static List<Tensor> grad(Tensor output, List<Tensor> wrt) {
    requireScalar(output);
    return grad(output, Tensor.wrap(new float[] {1f}, output.shape), wrt);
  }

  /**
   * Vector-Jacobian products: the gradients with respect to {@code wrt} when the gradient of the
   * loss with respect to {@code output} is {@code gradOutput}.
   */
  public static List<Tensor> grad(Tensor output, Tensor gradOutput, List<Tensor> wrt) {
    if (!gradOutput.shape.equals(output.shape)) {
      throw new IllegalArgumentException(
          "grad: gradOutput shape " + gradOutput.shape + " differs from output shape "
              + output.shape);
    }
    Map<Tensor, float[]> grads = run(output, gradOutput.data.clone(), Map.of());
    List<Tensor> result = new ArrayList<>(wrt.size());
    for (Tensor t : wrt) {
      float[] g = grads.get(t);
      result.add(Tensor.wrap(g == null ? new float[t.size()] : g, t.shape));
    }
    return result;
  }

  /** {@code dst += src}, elementwise (in parallel chunks for large arrays). */
  private static void addInto(float[] dst, float[] src) {
    Elementwise.forRange(
        dst.length,
        (from, to) -> {
          for (int i = from; i < to; i++) {
            dst[i] += src[i];
          }
        });
  }

  private static void requireScalar(Tensor t) {
    if (t.size() != 1) {
      throw new IllegalArgumentException(
          "backward: the loss must have one element, received shape " + t.shape);
    }
  }

  /**
   * The backward pass. The gradient storage of a variable in {@code replaced} may be handed out as
   * the first gradient buffer for that variable's value: its result ends up there anyway.
   */
  private static Map<Tensor, float[]> run(
      Tensor root, float[] seed, Map<Variable, Boolean> replaced) {
    if (!root.requiresGrad) {
      throw new IllegalArgumentException(
          "backward: the output does not depend on anything that requires a gradient");
    }
    if (root.released) {
      throw new IllegalStateException("backward: the graph of this output was already released");
    }
    List<Tensor> order = topologicalOrder(root);
    Map<Tensor, float[]> grads = new IdentityHashMap<>();
    Map<Variable, Boolean> handedOut = new IdentityHashMap<>();
    grads.put(root, seed);
    for (int i = order.size() - 1; i >= 0; i--) {
      Tensor t = order.get(i);
      Op op = t.creator;
      float[] g = grads.get(t);
      if (op == null || g == null) {
        continue;
      }
      List<Tensor> inputs = op.inputs();
      op.backward(
          t,
          g,
          new Op.GradSink() {
            @Override
            public boolean needs(int index) {
              return inputs.get(index).requiresGrad;
            }

            @Override
            public float[] gradientBuffer(int index, int size) {
              Tensor in = inputs.get(index);
              Variable v = in.variable;
              if (v != null && replaced.containsKey(v) && !grads.containsKey(in)
                  && !handedOut.containsKey(v) && size == v.grad().length) {
                handedOut.put(v, Boolean.TRUE);
                return v.grad();
              }
              return Workspace.uninitialized(size);
            }

            @Override
            public void accumulate(int index, float[] grad) {
              Tensor in = inputs.get(index);
              if (!in.requiresGrad) {
                return;
              }
              if (grad.length != in.data.length) {
                throw new IllegalStateException(
                    op.name() + " backward produced " + grad.length + " gradient values for input "
                        + index + " of shape " + in.shape);
              }
              float[] prev = grads.get(in);
              if (prev == null) {
                grads.put(in, grad);
              } else {
                addInto(prev, grad);
              }
            }
          });
      if (t != root) {
        grads.remove(t);
      }
      t.creator = null;
      t.released = true;
    }
    return grads;
  }

  /** Tensors reachable from {@code root} through recorded ops, each after all of its inputs. */
  private static List<Tensor> topologicalOrder(Tensor root) {
    List<Tensor> order = new ArrayList<>();
    Map<Tensor, Boolean> visited = new IdentityHashMap<>();
    ArrayDeque<Object[]> stack = new ArrayDeque<>();
    stack.push(new Object[] {root, 0});
    visited.put(root, Boolean.TRUE);
    while (!stack.isEmpty()) {
      Object[] frame = stack.peek();
      Tensor t = (Tensor) frame[0];
      List<Tensor> inputs = t.inputsOfCreator();
      int next = (Integer) frame[1];
      if (next < inputs.size()) {
        frame[1] = next + 1;
        Tensor in = inputs.get(next);
        if (in.requiresGrad && visited.put(in, Boolean.TRUE) == null) {
          stack.push(new Object[] {in, 0});
        }
      } else {
        stack.pop();
        order.add(t);
      }
    }
    return order;
  }
}

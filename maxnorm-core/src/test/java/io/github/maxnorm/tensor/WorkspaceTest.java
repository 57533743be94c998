package io.github.maxnorm.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Arrays reused from one scope to the next must never change a result: a forward and backward pass
 * through every op that takes its storage from a workspace gives bit-identical values and gradients
 * outside any scope, in a first scope, and in later scopes whose arrays still hold the previous
 * step's numbers.
 */
class WorkspaceTest {

  /** Inputs and parameters of a small conv + dense network with broadcasting and reductions. */
  static final class Net {
    final Tensor x;
    final Tensor kernel0;
    final Tensor kernel;
    final Tensor convBias;
    final Tensor dense;
    final Tensor bias;
    final Tensor scale;
    final int[] labels;

    Net(long seed) {
      SplittableRandom rng = new SplittableRandom(seed);
      x = Tensor.randomNormal(rng, 0f, 1f, 4, 9, 9, 3);
      kernel0 = Tensor.randomNormal(rng, 0f, 0.3f, 3, 3, 3, 16).requiringGrad();
      // 16 input channels: the convolution's gradients take oneDNN's path, not im2col
      kernel = Tensor.randomNormal(rng, 0f, 0.2f, 3, 3, 16, 8).requiringGrad();
      convBias = Tensor.randomNormal(rng, 0f, 0.1f, 8).requiringGrad();
      dense = Tensor.randomNormal(rng, 0f, 0.2f, 128, 300).requiringGrad();
      bias = Tensor.randomNormal(rng, 0f, 0.1f, 300).requiringGrad();
      scale = Tensor.randomNormal(rng, 1f, 0.1f, 4, 1).requiringGrad();
      labels = new int[] {3, 1, 4, 1};
    }

    /** The loss and the gradients of every parameter, as plain arrays. */
    List<float[]> run(long dropoutSeed) {
      Tensor h = x.conv2d(kernel0, 1, 1, Padding.SAME).relu();
      h = h.conv2d(kernel, 1, 1, Padding.SAME).add(convBias).relu();
      h = h.maxPool2d(2, 2, 2, 2, Padding.VALID).dropout(0.25f, dropoutSeed);
      h = h.reshape(4, 128);
      Tensor logits = h.matmul(dense).add(bias).mul(scale); // [4, 300] * [4, 1]: general broadcast
      Tensor loss = logits.softmaxCrossEntropy(labels)
          .add(logits.square().sum(1).mean().mul(Tensor.scalar(1e-3f)))
          .add(h.sub(h.meanKeepDims(0)).square().mean());
      List<Tensor> params = List.of(kernel0, kernel, convBias, dense, bias, scale);
      List<Tensor> grads = Autograd.grad(loss, params);
      List<float[]> out = new ArrayList<>();
      out.add(loss.toArray());
      out.add(logits.toArray());
      for (Tensor g : grads) {
        out.add(g.toArray());
      }
      return out;
    }
  }

  @Test
  void reusedArraysGiveBitIdenticalResults() {
    Net net = new Net(11);
    List<float[]> reference = net.run(5);
    Workspace ws = new Workspace();
    for (int step = 0; step < 4; step++) {
      List<float[]> got;
      try (Workspace.Scope ignored = ws.open()) {
        got = net.run(5);
      }
      assertEquals(reference.size(), got.size());
      for (int i = 0; i < got.size(); i++) {
        assertArrayEquals(reference.get(i), got.get(i), "array " + i + " at step " + step);
      }
      assertTrue(ws.pooledArrays() > 0, "arrays kept for the next scope");
    }
  }

  @Test
  void theSecondScopeReusesTheFirstScopesArrays() {
    Workspace ws = new Workspace();
    Tensor a = Tensor.full(2f, 64, 64);
    float[] first;
    try (Workspace.Scope ignored = ws.open()) {
      first = a.relu().data;
    }
    float[] second;
    try (Workspace.Scope ignored = ws.open()) {
      second = a.relu().data;
    }
    assertSame(first, second);
    // outside any scope every op allocates
    assertNotSame(second, a.relu().data);
  }

  @Test
  void aTensorFromAClosedScopeCannotBeRead() {
    Workspace ws = new Workspace();
    Tensor t;
    try (Workspace.Scope ignored = ws.open()) {
      t = Tensor.full(1f, 32, 32).relu();
      assertEquals(1f, t.get(0));
    }
    Tensor escaped = t;
    IllegalStateException e = assertThrows(IllegalStateException.class, escaped::toArray);
    assertTrue(e.getMessage().contains("Workspace scope"), e.getMessage());
    assertThrows(IllegalStateException.class, () -> escaped.get(0));
    // tensors made outside the scope are untouched
    Tensor outside = Tensor.full(1f, 32, 32);
    try (Workspace.Scope ignored = ws.open()) {
      outside.relu();
    }
    assertEquals(1f, outside.get(0));
  }

  @Test
  void scopesAreNotReentrantAndCloseOnTheirThread() throws Exception {
    Workspace ws = new Workspace();
    try (Workspace.Scope ignored = ws.open()) {
      assertThrows(IllegalStateException.class, ws::open);
    }
    Workspace.Scope s = ws.open();
    Thread other = new Thread(() -> assertThrows(IllegalStateException.class, s::close));
    other.start();
    other.join();
    s.close();
  }

  @Test
  void onlyTheLastScopesArraysAreKept() {
    Workspace ws = new Workspace();
    try (Workspace.Scope ignored = ws.open()) {
      Tensor.full(1f, 100, 100).relu();
      Tensor.full(1f, 50, 50).relu();
    }
    assertEquals(2, ws.pooledArrays());
    try (Workspace.Scope ignored = ws.open()) {
      Tensor.full(1f, 100, 100).relu();
    }
    assertEquals(1, ws.pooledArrays());
  }
}

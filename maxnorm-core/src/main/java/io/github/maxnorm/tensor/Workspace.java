package io.github.maxnorm.tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;

/**
 * Reuses the storage of intermediate results between repetitions of the same computation, such as
 * the steps of a training loop.
 *
 * <p>While a scope of a workspace is open on a thread, the ops run on that thread take the arrays
 * of their results and of the gradients of the backward pass from the workspace. Closing the scope
 * hands all of them back, and the next scope gives the same arrays out again for the same sizes,
 * so a loop whose steps have the same shapes allocates almost nothing after its first step. The
 * arrays kept between scopes are exactly those the last scope used; arrays of sizes it did not
 * use are dropped, so the memory held is bounded by one step's intermediate results.
 *
 * <p><b>Every tensor computed inside a scope is invalid once the scope closes</b>, because its
 * storage will be overwritten: copy out ({@link Tensor#item()}, {@link Tensor#toArray()}) what must
 * outlive it. Reading such a tensor through {@link Tensor#toArray()}, {@link Tensor#get(int)} or
 * {@link Tensor#item()} afterwards throws {@link IllegalStateException}. Tensors made outside the
 * scope (inputs, a variable's value) are not affected.
 *
 * <p>{@code Sequential} opens its own workspace around each training step. A workspace is used by
 * one thread at a time; scopes of different workspaces may be nested, the innermost serving.
 */
public final class Workspace {
  private static final ThreadLocal<Workspace> CURRENT = new ThreadLocal<>();

  /** Arrays shorter than this are allocated as usual (not worth a lookup). */
  static final int MIN_POOLED = 256;

  private final HashMap<Integer, ArrayDeque<float[]>> free = new HashMap<>();
  private final ArrayList<float[]> lent = new ArrayList<>();
  private final HashMap<Integer, ArrayDeque<int[]>> freeInts = new HashMap<>();
  private final ArrayList<int[]> lentInts = new ArrayList<>();
  private final ArrayList<Tensor> results = new ArrayList<>();
  private Thread owner;
  private Workspace outer;

  /** An open scope; closing it recycles every array given out since it was opened. */
  public interface Scope extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * Opens a scope on the calling thread.
   *
   * @throws IllegalStateException when a scope of this workspace is already open
   */
  public Scope open() {
    if (owner != null) {
      throw new IllegalStateException(
          "Workspace: a scope is already open (on thread " + owner.getName() + ")");
    }
    owner = Thread.currentThread();
    outer = CURRENT.get();
    CURRENT.set(this);
    return this::close;
  }

  private void close() {
    if (owner != Thread.currentThread()) {
      throw new IllegalStateException(
          "Workspace: scope closed on thread " + Thread.currentThread().getName()
              + ", opened on " + (owner == null ? "none (already closed)" : owner.getName()));
    }
    if (CURRENT.get() != this) {
      throw new IllegalStateException("Workspace: scopes closed out of order");
    }
    if (outer == null) {
      CURRENT.remove();
    } else {
      CURRENT.set(outer);
    }
    outer = null;
    owner = null;
    for (Tensor t : results) {
      t.recycled = true;
    }
    results.clear();
    // keep exactly this scope's arrays: what the last scope left untaken is not needed any more
    for (ArrayDeque<float[]> q : free.values()) {
      q.clear();
    }
    for (float[] a : lent) {
      free.computeIfAbsent(a.length, k -> new ArrayDeque<>()).push(a);
    }
    lent.clear();
    for (ArrayDeque<int[]> q : freeInts.values()) {
      q.clear();
    }
    for (int[] a : lentInts) {
      freeInts.computeIfAbsent(a.length, k -> new ArrayDeque<>()).push(a);
    }
    lentInts.clear();
  }

  /** The number of arrays kept for the next scope (for tests and diagnostics). */
  public int pooledArrays() {
    int n = 0;
    for (ArrayDeque<float[]> q : free.values()) {
      n += q.size();
    }
    for (ArrayDeque<int[]> q : freeInts.values()) {
      n += q.size();
    }
    return n;
  }

  /** A zero-filled array of {@code n} floats: from the open workspace, or new. */
  static float[] zeros(int n) {
    return floats(n, true);
  }

  /**
   * An array of {@code n} floats whose contents are unspecified, for a caller that writes every
   * element before reading any: from the open workspace, or new.
   */
  static float[] uninitialized(int n) {
    return floats(n, false);
  }

  private static float[] floats(int n, boolean zero) {
    Workspace w = CURRENT.get();
    if (w == null || n < MIN_POOLED) {
      return new float[n];
    }
    ArrayDeque<float[]> q = w.free.get(n);
    float[] a = q == null ? null : q.poll();
    if (a == null) {
      a = new float[n];
    } else if (zero) {
      Arrays.fill(a, 0f);
    }
    w.lent.add(a);
    return a;
  }

  /**
   * An array of {@code n} ints whose contents are unspecified (an op's arg-max indices), for a
   * caller that writes every element before reading any: from the open workspace, or new.
   */
  static int[] uninitializedInts(int n) {
    Workspace w = CURRENT.get();
    if (w == null || n < MIN_POOLED) {
      return new int[n];
    }
    ArrayDeque<int[]> q = w.freeInts.get(n);
    int[] a = q == null ? null : q.poll();
    if (a == null) {
      a = new int[n];
    }
    w.lentInts.add(a);
    return a;
  }

  /** A copy of {@code src}: from the open workspace, or new. */
  static float[] copyOf(float[] src) {
    float[] a = uninitialized(src.length);
    System.arraycopy(src, 0, a, 0, src.length);
    return a;
  }

  /** Records an op's result, to be marked invalid when the open scope closes. */
  static void register(Tensor t) {
    Workspace w = CURRENT.get();
    if (w != null) {
      w.results.add(t);
    }
  }
}

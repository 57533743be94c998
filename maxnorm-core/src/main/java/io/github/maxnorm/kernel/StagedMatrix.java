package io.github.maxnorm.kernel;

import java.nio.FloatBuffer;
import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * A copy of a matrix operand in native memory, made once by {@link Gemm#stage} and then used by any
 * number of products through {@link Gemm#sgemm(boolean, boolean, int, int, int, float, float[], int,
 * int, StagedMatrix, int, float, float[], int, int)} without copying it again. A layer's kernel is
 * the typical case: the forward product and the input-gradient product of the same step read the
 * same values.
 *
 * <p>The copy is a snapshot: later writes to the source array do not reach it. {@link #release}
 * hands the native memory back to a small shared pool for the next {@link Gemm#stage} call; a
 * handle that is never released is reclaimed by the garbage collector. A released handle cannot be
 * used. The pool is bounded ({@value #POOL_MAX_BUFFERS} buffers, {@value #POOL_MAX_FLOATS} floats
 * in all) and thread-safe; a handle itself must not be used by two threads at once.
 */
public final class StagedMatrix {
  static final int POOL_MAX_BUFFERS = 16;
  static final long POOL_MAX_FLOATS = 64L << 20;

  private static final ArrayDeque<Native.Floats> POOL = new ArrayDeque<>();
  private static long pooledFloats;

  private final int length;
  private Native.Floats buffer;

  private StagedMatrix(Native.Floats buffer, int length) {
    this.buffer = buffer;
    this.length = length;
  }

  /** Copies {@code length} floats of {@code src} from {@code offset} into a pooled native buffer. */
  static StagedMatrix copyOf(float[] src, int offset, int length) {
    if (src == null) {
      throw new IllegalArgumentException("stage: source array must not be null");
    }
    if (offset < 0 || length < 0 || offset + length > src.length) {
      throw new IllegalArgumentException(
          "stage: needs "
              + length
              + " floats from offset "
              + offset
              + " but the array has length "
              + src.length);
    }
    Native.Floats b = acquire(length);
    b.buffer().put(0, src, offset, length);
    return new StagedMatrix(b, length);
  }

  /** Number of floats held. */
  public int length() {
    return length;
  }

  /** Whether {@link #release} has been called. */
  public boolean released() {
    return buffer == null;
  }

  /** Returns the native memory to the pool; later calls do nothing. */
  public void release() {
    Native.Floats b = buffer;
    if (b == null) {
      return;
    }
    buffer = null;
    synchronized (POOL) {
      if (POOL.size() < POOL_MAX_BUFFERS && pooledFloats + b.capacity() <= POOL_MAX_FLOATS) {
        POOL.push(b);
        pooledFloats += b.capacity();
      }
    }
  }

  /** The native buffer, for the products of this package. */
  FloatBuffer buffer() {
    return floats().buffer();
  }

  /** The native memory, for the products of this package. */
  Native.Floats floats() {
    Native.Floats b = buffer;
    if (b == null) {
      throw new IllegalStateException("StagedMatrix of " + length + " floats was released");
    }
    return b;
  }

  /** A pooled buffer of at least {@code n} and at most {@code 2n} floats (less waste), or a new one. */
  private static Native.Floats acquire(int n) {
    synchronized (POOL) {
      for (Iterator<Native.Floats> it = POOL.iterator(); it.hasNext(); ) {
        Native.Floats b = it.next();
        if (b.capacity() >= n && b.capacity() / 2 <= n) {
          it.remove();
          pooledFloats -= b.capacity();
          return b;
        }
      }
    }
    return Native.Floats.allocate(n);
  }

  /** Buffers now in the pool (for tests). */
  static int pooledBuffers() {
    synchronized (POOL) {
      return POOL.size();
    }
  }

  @Override
  public String toString() {
    return "StagedMatrix(" + length + " floats" + (released() ? ", released)" : ")");
  }
}

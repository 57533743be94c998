package io.github.maxnorm.kernel;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The one setting for how many threads the Java-side kernels use, and a helper that splits a loop
 * over {@code [0, n)} into contiguous chunks.
 *
 * <p>The default is the number of available processors. oneDNN's own thread pool is OpenMP's, sized
 * at load time by {@code OMP_NUM_THREADS}; the {@code maxnorm} launcher sets it from the same
 * setting.
 */
public final class Parallel {
  /**
   * The default grain: below this many units of work (elements times cost per element) a loop runs
   * on the calling thread. Handing a loop to the pool and waking its workers costs tens of
   * microseconds on a machine whose cores oneDNN's threads share; on 2 cores the `mlp` training
   * step ran 7% faster with this grain than with 2^15 (docs/performance.md).
   */
  public static final int DEFAULT_GRAIN = 1 << 20;

  private static volatile int grain = DEFAULT_GRAIN;

  private static volatile int threads = Runtime.getRuntime().availableProcessors();
  private static volatile ForkJoinPool pool = newPool(threads);

  private Parallel() {}

  /** A loop body over a half-open range. */
  @FunctionalInterface
  public interface RangeBody {
    void run(int from, int to);
  }

  public static int threads() {
    return threads;
  }

  /** Sets the number of threads for Java-side kernels; 1 means everything runs on the caller. */
  public static synchronized void setThreads(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("thread count must be >= 1, received " + n);
    }
    if (n != threads) {
      ForkJoinPool old = pool;
      pool = newPool(n);
      threads = n;
      old.shutdown();
    }
  }

  /** The current grain (see {@link #DEFAULT_GRAIN}). */
  public static int grain() {
    return grain;
  }

  /**
   * Sets the grain: loops with less work than this run on the calling thread. Results do not
   * depend on it (every parallel loop in the library gives the result of the serial loop); it only
   * trades the cost of a fork/join against the work shared. Tests lower it to run the parallel
   * paths on small inputs.
   */
  public static void setGrain(int units) {
    if (units < 1) {
      throw new IllegalArgumentException("grain must be >= 1, received " + units);
    }
    grain = units;
  }

  /**
   * Runs {@code body} over {@code [0, n)} split into at most {@link #threads()} contiguous chunks when
   * {@code n * costPerItem} is at least the {@link #grain()}. Chunk boundaries depend only on
   * {@code n} and the thread count, so results are deterministic for a given thread count.
   *
   * <p>The calling thread takes part: it hands the loop to the pool's workers and then claims
   * chunks itself, one at a time, until none is left, so it never sleeps while a chunk is still
   * unclaimed. A worker that wakes after the caller has claimed every chunk finds nothing to do; the
   * caller waits only for chunks a worker has already started. An exception thrown by the body is
   * rethrown here once every started chunk has finished.
   */
  public static void forRange(int n, int costPerItem, RangeBody body) {
    int t = threads;
    if (t == 1 || (long) n * Math.max(costPerItem, 1) < grain || n < 2) {
      body.run(0, n);
      return;
    }
    Loop loop = new Loop(n, Math.min(t, n), body);
    ForkJoinPool p = pool;
    try {
      for (int c = 1; c < loop.chunks; c++) {
        p.execute(loop::claimAll);
      }
    } catch (RejectedExecutionException e) {
      // the pool was shut down by a concurrent setThreads: the caller claims every chunk itself
    }
    loop.claimAll();
    loop.awaitAll();
  }

  /** One split loop: its chunks, claimed in order by whichever thread comes first. */
  private static final class Loop {
    private static final int SPINS = 1 << 12;

    final int n;
    final int chunks;
    final RangeBody body;
    final Thread caller = Thread.currentThread();
    final AtomicInteger next = new AtomicInteger();
    final AtomicInteger finished = new AtomicInteger();
    volatile Throwable failure;

    Loop(int n, int chunks, RangeBody body) {
      this.n = n;
      this.chunks = chunks;
      this.body = body;
    }

    void claimAll() {
      for (int c = next.getAndIncrement(); c < chunks; c = next.getAndIncrement()) {
        try {
          body.run((int) ((long) n * c / chunks), (int) ((long) n * (c + 1) / chunks));
        } catch (Throwable e) {
          failure = e;
        } finally {
          if (finished.incrementAndGet() == chunks) {
            LockSupport.unpark(caller);
          }
        }
      }
    }

    void awaitAll() {
      for (int i = 0; finished.get() < chunks; i++) {
        if (i < SPINS) {
          Thread.onSpinWait();
        } else {
          LockSupport.park(this);
        }
      }
      Throwable e = failure;
      if (e instanceof RuntimeException r) {
        throw r;
      }
      if (e instanceof Error err) {
        throw err;
      }
      if (e != null) {
        throw new IllegalStateException(e);
      }
    }
  }

  private static ForkJoinPool newPool(int n) {
    return new ForkJoinPool(n);
  }
}

package io.github.maxnorm.kernel;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;

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
   */
  public static void forRange(int n, int costPerItem, RangeBody body) {
    int t = threads;
    if (t == 1 || (long) n * Math.max(costPerItem, 1) < grain || n < 2) {
      body.run(0, n);
      return;
    }
    int chunks = Math.min(t, n);
    ForkJoinPool p = pool;
    RecursiveAction[] tasks = new RecursiveAction[chunks];
    for (int c = 0; c < chunks; c++) {
      int from = (int) ((long) n * c / chunks);
      int to = (int) ((long) n * (c + 1) / chunks);
      tasks[c] =
          new RecursiveAction() {
            private static final long serialVersionUID = 1L;

            @Override
            protected void compute() {
              body.run(from, to);
            }
          };
    }
    if (java.util.concurrent.ForkJoinTask.getPool() == p) {
      RecursiveAction.invokeAll(tasks);
    } else {
      p.invoke(
          new RecursiveAction() {
            private static final long serialVersionUID = 1L;

            @Override
            protected void compute() {
              invokeAll(tasks);
            }
          });
    }
  }

  private static ForkJoinPool newPool(int n) {
    return new ForkJoinPool(n);
  }
}

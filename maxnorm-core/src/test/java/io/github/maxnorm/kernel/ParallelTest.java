package io.github.maxnorm.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The split loop: coverage, chunk boundaries, nesting and failures. */
@ExtendWith(RestoreParallelSettings.class)
class ParallelTest {
  @ParameterizedTest(name = "threads={0}")
  @ValueSource(ints = {1, 2, 3, 4})
  void runsEveryIndexExactlyOnceInChunksThatDependOnlyOnTheSizeAndThreads(int threads) {
    Parallel.setThreads(threads);
    Parallel.setGrain(1);
    for (int n : new int[] {0, 1, 2, 3, 7, 1000}) {
      AtomicIntegerArray hits = new AtomicIntegerArray(n);
      List<int[]> ranges = new ArrayList<>();
      Parallel.forRange(
          n,
          1,
          (from, to) -> {
            synchronized (ranges) {
              ranges.add(new int[] {from, to});
            }
            for (int i = from; i < to; i++) {
              hits.incrementAndGet(i);
            }
          });
      for (int i = 0; i < n; i++) {
        assertEquals(1, hits.get(i), "index " + i + " of " + n);
      }
      ranges.sort((a, b) -> Integer.compare(a[0], b[0]));
      int chunks = n < 2 || threads == 1 ? 1 : Math.min(threads, n);
      assertEquals(chunks, ranges.size(), "chunks for n=" + n);
      for (int c = 0; c < chunks; c++) {
        int[] expected =
            n < 2 || threads == 1
                ? new int[] {0, n}
                : new int[] {(int) ((long) n * c / chunks), (int) ((long) n * (c + 1) / chunks)};
        assertArrayEquals(expected, ranges.get(c), "chunk " + c + " of n=" + n);
      }
    }
  }

  @Test
  void loopsBelowTheGrainRunOnTheCallingThread() {
    Parallel.setThreads(4);
    Parallel.setGrain(1000);
    Thread caller = Thread.currentThread();
    List<Thread> seen = new ArrayList<>();
    Parallel.forRange(
        999,
        1,
        (from, to) -> {
          synchronized (seen) {
            seen.add(Thread.currentThread());
          }
        });
    assertEquals(List.of(caller), seen);
  }

  @Test
  void nestedLoopsFinish() {
    Parallel.setThreads(2);
    Parallel.setGrain(1);
    AtomicIntegerArray hits = new AtomicIntegerArray(64 * 64);
    assertTimeoutPreemptively(
        Duration.ofSeconds(30),
        () -> {
          for (int rep = 0; rep < 200; rep++) {
            Parallel.forRange(
                64,
                1,
                (r0, r1) -> {
                  for (int r = r0; r < r1; r++) {
                    int row = r;
                    Parallel.forRange(
                        64,
                        1,
                        (c0, c1) -> {
                          for (int c = c0; c < c1; c++) {
                            hits.incrementAndGet(row * 64 + c);
                          }
                        });
                  }
                });
          }
        });
    for (int i = 0; i < hits.length(); i++) {
      assertEquals(200, hits.get(i), "element " + i);
    }
  }

  @Test
  void loopsKeepWorkingWhileTheThreadCountChanges() throws Exception {
    Parallel.setGrain(1);
    Parallel.setThreads(2);
    java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
    Thread toggler =
        new Thread(
            () -> {
              for (int i = 0; !stop.get(); i++) {
                Parallel.setThreads(2 + (i & 1)); // shuts the previous pool down
              }
            });
    toggler.start();
    try {
      for (int rep = 0; rep < 2000; rep++) {
        AtomicIntegerArray hits = new AtomicIntegerArray(100);
        Parallel.forRange(100, 1, (from, to) -> {
          for (int i = from; i < to; i++) {
            hits.incrementAndGet(i);
          }
        });
        for (int i = 0; i < 100; i++) {
          assertEquals(1, hits.get(i), "index " + i + " in loop " + rep);
        }
      }
    } finally {
      stop.set(true);
      toggler.join();
    }
  }

  @Test
  void aFailureInAnyChunkReachesTheCallerUnwrapped() {
    Parallel.setThreads(2);
    Parallel.setGrain(1);
    IllegalArgumentException thrown = new IllegalArgumentException("chunk failed");
    for (int rep = 0; rep < 50; rep++) {
      // the failing chunk is the second one, which a pool worker or the caller may run
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  Parallel.forRange(
                      10,
                      1,
                      (from, to) -> {
                        if (from > 0) {
                          throw thrown;
                        }
                      }));
      assertSame(thrown, e);
    }
    AssertionError err = new AssertionError("an error");
    assertSame(
        err,
        assertThrows(
            AssertionError.class,
            () ->
                Parallel.forRange(
                    10,
                    1,
                    (from, to) -> {
                      throw err;
                    })));
    // the pool still works afterwards
    AtomicIntegerArray hits = new AtomicIntegerArray(10);
    Parallel.forRange(10, 1, (from, to) -> hits.incrementAndGet(from));
    assertEquals(1, hits.get(0));
    assertEquals(1, hits.get(5));
  }
}

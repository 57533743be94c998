package io.github.maxnorm.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.maxnorm.kernel.Parallel;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every parallel loop gives the result of the serial loop. With the grain at 1 every loop that can
 * split does, even on this small network, so a forward and backward pass through convolution,
 * pooling, dropout, ReLU, bias adds, broadcasting, reductions, products and the fused loss must give
 * bit-identical values and gradients on one thread and on several.
 */
class ParallelPathsTest {

  @ParameterizedTest(name = "threads={0}")
  @ValueSource(ints = {2, 3, 4})
  void everyParallelPathMatchesTheSerialOne(int threads) {
    WorkspaceTest.Net net = new WorkspaceTest.Net(23);
    int threadsBefore = Parallel.threads();
    int grainBefore = Parallel.grain();
    try {
      Parallel.setThreads(1);
      List<float[]> serial = net.run(9);
      Parallel.setThreads(threads);
      Parallel.setGrain(1);
      List<float[]> parallel = net.run(9);
      assertEquals(serial.size(), parallel.size());
      for (int i = 0; i < serial.size(); i++) {
        assertArrayEquals(serial.get(i), parallel.get(i), "array " + i);
      }
    } finally {
      Parallel.setThreads(threadsBefore);
      Parallel.setGrain(grainBefore);
    }
  }
}

package io.github.maxnorm.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.maxnorm.tensor.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Reads the Fashion-MNIST files of the Debian package {@code dataset-fashion-mnist} when they are
 * installed, and measures the heap the loaded data set retains.
 */
class FashionMnistTest {

  @Test
  void loadsInstalledFashionMnistAndMeasuresHeap() throws IOException {
    assumeTrue(Files.isDirectory(Datasets.FASHION_MNIST_DIR),
        "Fashion-MNIST is not installed at " + Datasets.FASHION_MNIST_DIR);
    long before = settledHeap();
    long t0 = System.nanoTime();
    TrainTest tt = Datasets.fashionMnist();
    long ms = (System.nanoTime() - t0) / 1_000_000;
    long after = settledHeap();
    assertEquals(60000, tt.train().size());
    assertEquals(10000, tt.test().size());
    assertEquals(Shape.of(28, 28, 1), tt.train().sampleShape());
    int[] train = tt.train().classCounts();
    int[] test = tt.test().classCounts();
    for (int c = 0; c < 10; c++) {
      assertEquals(6000, train[c], Arrays.toString(train));
      assertEquals(1000, test[c], Arrays.toString(test));
    }
    long storage = tt.train().storageBytes() + tt.test().storageBytes();
    assertEquals(70000L * 784 + 70000L * 4, storage);
    long retained = after - before;
    System.out.printf("Fashion-MNIST: loaded in %d ms; storage %.1f MB; heap retained %.1f MB%n",
        ms, storage / 1e6, retained / 1e6);
    assertTrue(retained < storage * 3 / 2, "retained " + retained + " bytes");
  }

  private static long settledHeap() {
    Runtime r = Runtime.getRuntime();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 4; i++) {
      System.gc();
      used = Math.min(used, r.totalMemory() - r.freeMemory());
    }
    return used;
  }
}

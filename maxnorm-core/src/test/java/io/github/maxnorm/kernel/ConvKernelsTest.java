package io.github.maxnorm.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ConvKernelsTest {

  @Test
  void geometriesRejectImpossibleSizes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Conv2d.Geometry(1, 4, 4, 3, 3, 3, 8, 0, 1, 0, 0, 2, 2));
    assertTrue(e.getMessage().contains("strideH"), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> new Conv2d.Geometry(1, 4, 4, 3, 3, 3, 8, 1, 1, -1, 0, 2, 2));
    e = assertThrows(IllegalArgumentException.class,
        () -> new Pool2d.Geometry(1, 4, 4, 1, 2, 2, 2, 2, 2, 0, 2, 2));
    assertTrue(e.getMessage().contains("only padding"), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> new Pool2d.Geometry(1, 4, 4, 1, 2, 2, 2, 2, 0, 0, 3, 2));
  }

  @Test
  void kernelsCheckArrayLengths() {
    Conv2d.Geometry g = new Conv2d.Geometry(1, 4, 4, 2, 3, 3, 5, 1, 1, 1, 1, 4, 4);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Conv2d.forward(g, new float[32], new float[89], new float[80]));
    assertTrue(e.getMessage().contains("kernel needs 90"), e.getMessage());
    Pool2d.Geometry p = new Pool2d.Geometry(1, 4, 4, 1, 2, 2, 2, 2, 0, 0, 2, 2);
    assertThrows(IllegalArgumentException.class,
        () -> Pool2d.forward(p, new float[16], new float[4], new int[3]));
  }

  @Test
  void pointwiseConvolutionIsAMatrixProduct() {
    // 1x1 kernel, stride 1: every pixel is multiplied by the [in, out] matrix.
    Conv2d.Geometry g = new Conv2d.Geometry(1, 1, 2, 2, 1, 1, 3, 1, 1, 0, 0, 1, 2);
    float[] x = {1, 2, 3, 4};
    float[] k = {1, 0, 2, 0, 1, 3};
    float[] out = new float[6];
    Conv2d.forward(g, x, k, out);
    assertArrayEquals(new float[] {1, 2, 8, 3, 4, 18}, out);
    float[] gk = new float[6];
    Conv2d.backwardWeights(g, x, new float[] {1, 0, 0, 0, 1, 0}, gk);
    assertArrayEquals(new float[] {1, 3, 0, 2, 4, 0}, gk);
  }

  @Test
  void maxPoolRecordsTheWinnerOfEachWindow() {
    Pool2d.Geometry p = new Pool2d.Geometry(1, 2, 4, 1, 2, 2, 2, 2, 0, 0, 1, 2);
    float[] out = new float[2];
    int[] arg = new int[2];
    Pool2d.forward(p, new float[] {0, 7, 1, 2, 3, 4, 9, 5}, out, arg);
    assertArrayEquals(new float[] {7, 9}, out);
    assertArrayEquals(new int[] {1, 6}, arg);
    float[] gi = new float[8];
    Pool2d.backward(p, new float[] {10, 20}, arg, gi);
    assertArrayEquals(new float[] {0, 10, 0, 0, 0, 0, 20, 0}, gi);
  }
}

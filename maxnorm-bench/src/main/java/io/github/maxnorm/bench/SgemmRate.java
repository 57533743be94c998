package io.github.maxnorm.bench;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.dnnl.global.dnnl;

/**
 * The machine's single-precision GEMM rate as {@code bench/compare} uses it for its roofline lines:
 * oneDNN's {@code dnnl_sgemm} called directly on operands already in native memory, at 1024 x 1024
 * x 1024, on the threads oneDNN gets from {@code OMP_NUM_THREADS}.
 *
 * <p>Usage: {@code SgemmRate [REPS]} (default 30, after 5 untimed calls). Prints one JSON line:
 * {@code {"system": "sgemm", "m": 1024, "n": 1024, "k": 1024, "best_gflops": ..., "median_gflops":
 * ...}}.
 */
public final class SgemmRate {
  private static final int SIZE = 1024;

  private SgemmRate() {}

  public static void main(String[] args) {
    int reps = args.length > 0 ? Integer.parseInt(args[0]) : 30;
    if (reps < 1) {
      throw new IllegalArgumentException("SgemmRate: REPS must be >= 1, received " + reps);
    }
    Loader.load(dnnl.class);
    int n = SIZE;
    FloatBuffer a = direct(n * n, 1);
    FloatBuffer b = direct(n * n, 2);
    FloatBuffer c = direct(n * n, 3);
    for (int i = 0; i < 5; i++) {
      run(a, b, c, n);
    }
    double[] gflops = new double[reps];
    for (int i = 0; i < reps; i++) {
      long t0 = System.nanoTime();
      run(a, b, c, n);
      long t1 = System.nanoTime();
      gflops[i] = 2.0 * n * n * n / (t1 - t0);
    }
    Arrays.sort(gflops);
    double median = reps % 2 == 1 ? gflops[reps / 2]
        : (gflops[reps / 2 - 1] + gflops[reps / 2]) / 2;
    System.out.printf(
        "{\"system\": \"sgemm\", \"m\": %d, \"n\": %d, \"k\": %d, \"best_gflops\": %.1f,"
            + " \"median_gflops\": %.1f}%n",
        n, n, n, gflops[reps - 1], median);
  }

  private static void run(FloatBuffer a, FloatBuffer b, FloatBuffer c, int n) {
    int status = dnnl.dnnl_sgemm((byte) 'N', (byte) 'N', n, n, n, 1f, a, n, b, n, 0f, c, n);
    if (status != dnnl.dnnl_success) {
      throw new IllegalStateException("dnnl_sgemm failed with status " + status);
    }
  }

  private static FloatBuffer direct(int floats, long seed) {
    FloatBuffer f = ByteBuffer.allocateDirect(floats * Float.BYTES)
        .order(ByteOrder.nativeOrder()).asFloatBuffer();
    SplittableRandom r = new SplittableRandom(seed);
    for (int i = 0; i < floats; i++) {
      f.put(i, (float) r.nextDouble(-1, 1));
    }
    return f;
  }
}

package io.github.maxnorm.bench;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import io.github.maxnorm.kernel.Precision;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.engine;
import org.bytedeco.dnnl.global.dnnl;
import org.bytedeco.dnnl.matmul;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.primitive_attr;
import org.bytedeco.dnnl.stream;

/**
 * The machine's single-precision GEMM rate as {@code bench/compare} uses it for its roofline lines:
 * oneDNN's {@code dnnl_sgemm} called directly on operands already in native memory, at 1024 x 1024
 * x 1024, on the threads oneDNN gets from {@code OMP_NUM_THREADS}.
 *
 * <p>Usage: {@code SgemmRate [REPS]} (default 30, after 5 untimed calls). Prints one JSON line:
 * {@code {"system": "sgemm", "m": 1024, "n": 1024, "k": 1024, "best_gflops": ..., "median_gflops":
 * ..., "bf16_best_gflops": ..., "bf16_median_gflops": ...}}, the last two the same product with
 * bfloat16 operands through oneDNN's matmul primitive (NaN without bfloat16 instructions).
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
    double median = median(gflops);
    double[] bf16 = bf16Rates(reps);
    System.out.printf(Locale.ROOT,
        "{\"system\": \"sgemm\", \"m\": %d, \"n\": %d, \"k\": %d, \"best_gflops\": %.1f,"
            + " \"median_gflops\": %.1f, \"bf16_best_gflops\": %.1f, \"bf16_median_gflops\":"
            + " %.1f}%n",
        n, n, n, gflops[reps - 1], median, bf16.length == 0 ? Double.NaN : bf16[reps - 1],
        bf16.length == 0 ? Double.NaN : median(bf16));
  }

  private static double median(double[] sorted) {
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  /**
   * The bfloat16 rate: oneDNN's matmul primitive on bf16 operands already in native memory (float32
   * result) at the same size, as mixed precision runs its products; sorted, or empty where the CPU
   * has no bfloat16 instructions.
   */
  private static double[] bf16Rates(int reps) {
    if (!Precision.BFLOAT16.supported()) {
      return new double[0];
    }
    int n = SIZE;
    engine eng = new engine(engine.kind.cpu, 0);
    stream strm = new stream(eng);
    long[] dims = {n, n};
    memory.desc a = new memory.desc(dims, memory.data_type.bf16, memory.format_tag.ab);
    memory.desc c = new memory.desc(dims, memory.data_type.f32, memory.format_tag.ab);
    primitive_attr attr = new primitive_attr();
    attr.set_deterministic(true);
    matmul prim = new matmul(new matmul.primitive_desc(eng, a, a, c, attr, false));
    IntMemoryMap args = new IntMemoryMap();
    args.put(dnnl.DNNL_ARG_SRC, new memory(a, eng));
    args.put(dnnl.DNNL_ARG_WEIGHTS, new memory(a, eng));
    args.put(dnnl.DNNL_ARG_DST, new memory(c, eng));
    for (int i = 0; i < 5; i++) {
      prim.execute(strm, args);
      strm._wait();
    }
    double[] g = new double[reps];
    for (int i = 0; i < reps; i++) {
      long t0 = System.nanoTime();
      prim.execute(strm, args);
      strm._wait();
      g[i] = 2.0 * n * n * n / (System.nanoTime() - t0);
    }
    Arrays.sort(g);
    return g;
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

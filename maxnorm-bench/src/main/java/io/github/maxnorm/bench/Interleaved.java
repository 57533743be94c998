package io.github.maxnorm.bench;

import io.github.maxnorm.kernel.Conv2d;
import io.github.maxnorm.kernel.Gemm;
import io.github.maxnorm.tensor.Tensor;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.dnnl.global.dnnl;
import org.bytedeco.javacpp.Loader;

/**
 * A companion to the JMH benchmarks for machines whose cores are shared with other work: it runs
 * the ceiling and the library's variants in alternation, round after round, so that every variant
 * sees the same background load, and prints the best and the median time of each with its GFLOP/s
 * and its share of the ceiling (best against best, and median against median). Usage: {@code java
 * -cp benchmarks.jar io.github.maxnorm.bench.Interleaved [rounds] [conv|gemm]}; {@code conv} leaves
 * out the matrix products, {@code gemm} the convolutions. For convolutions the runner compares the
 * lowered path of {@link Conv2d} (reached by reflection), {@link Conv2d} itself, and oneDNN's primitives with all formats left to
 * oneDNN or with channels-last activations, pass by pass.
 */
public final class Interleaved {
  private Interleaved() {}

  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    boolean convOnly = args.length > 1 && args[1].equals("conv");
    boolean gemmOnly = args.length > 1 && args[1].equals("gemm");
    Loader.load(dnnl.class);
    if (!convOnly) {
      for (int[] s : new int[][] {{128, 784, 1024}, {128, 1024, 1024}, {1024, 1024, 1024}}) {
        gemm(s[0], s[1], s[2], rounds);
      }
    }
    if (gemmOnly) {
      return;
    }
    for (int batch : new int[] {32, 128}) {
      for (int in : new int[] {3, 32}) {
        conv(batch, in, rounds);
      }
    }
  }

  private static void gemm(int m, int k, int n, int rounds) {
    float[] a = Shapes.random(m * k, 1);
    float[] b = Shapes.random(k * n, 2);
    float[] c = new float[m * n];
    FloatBuffer da = direct(a);
    FloatBuffer db = direct(b);
    FloatBuffer dc = direct(c);
    Tensor ta = Tensor.of(a, m, k);
    Tensor tb = Tensor.of(b, k, n);
    Map<String, Runnable> variants = new LinkedHashMap<>();
    variants.put("ceiling dnnl_sgemm (direct buffers)",
        () -> dnnl.dnnl_sgemm((byte) 'N', (byte) 'N', m, n, k, 1f, da, k, db, n, 0f, dc, n));
    variants.put("Gemm.sgemm (float[])", () -> Gemm.sgemm(false, false, m, n, k, a, b, c, false));
    variants.put("Tensor.matmul", () -> ta.matmul(tb));
    variants.put("staging copies only", () -> {
      da.put(0, a);
      db.put(0, b);
      dc.get(0, c);
    });
    report("matmul " + m + "x" + k + "x" + n, 2.0 * m * n * k, variants, rounds, 0);
  }

  private static void conv(int batch, int in, int rounds) {
    Conv2d.Geometry g = new Conv2d.Geometry(batch, 32, 32, in, 3, 3, 32, 1, 1, 1, 1, 32, 32);
    float[] x = Shapes.random(g.inputSize(), 1);
    float[] w = Shapes.random(g.kernelSize(), 2);
    float[] y = new float[g.outputSize()];
    float[] gy = Shapes.random(g.outputSize(), 3);
    float[] gx = new float[g.inputSize()];
    float[] gw = new float[g.kernelSize()];
    // The ceiling for a convolution: dnnl_sgemm at the im2col shapes of its three products.
    int rows = batch * 32 * 32;
    int patch = 9 * in;
    FloatBuffer cols = direct(new float[rows * patch]);
    FloatBuffer kernel = direct(w);
    FloatBuffer out = direct(y);
    FloatBuffer gk = direct(gw);
    Map<String, Runnable> variants = new LinkedHashMap<>();
    variants.put("ceiling dnnl_sgemm, same products", () -> {
      dnnl.dnnl_sgemm((byte) 'N', (byte) 'N', rows, 32, patch, 1f, cols, patch, kernel, 32, 0f,
          out, 32);
      dnnl.dnnl_sgemm((byte) 'N', (byte) 'T', rows, patch, 32, 1f, out, 32, kernel, 32, 0f,
          cols, patch);
      dnnl.dnnl_sgemm((byte) 'T', (byte) 'N', patch, 32, rows, 1f, cols, patch, out, 32, 0f,
          gk, 32);
    });
    // the lowered (im2col + sgemm) path of Conv2d, reached past its shape-dependent choice
    Pass lowForward = lowered("forwardLowered");
    Pass lowData = lowered("backwardDataLowered");
    Pass lowWeights = lowered("backwardWeightsLowered");
    variants.put("im2col forward", () -> lowForward.run(g, x, w, y));
    variants.put("im2col forward+backward", () -> {
      lowForward.run(g, x, w, y);
      lowData.run(g, gy, w, gx);
      lowWeights.run(g, x, gy, gw);
    });
    variants.put("im2col forward+weights", () -> {
      lowForward.run(g, x, w, y);
      lowWeights.run(g, x, gy, gw);
    });
    variants.put("Conv2d forward", () -> Conv2d.forward(g, x, w, y));
    variants.put("Conv2d forward+backward", () -> {
      Conv2d.forward(g, x, w, y);
      Conv2d.backwardData(g, gy, w, gx);
      Conv2d.backwardWeights(g, x, gy, gw);
    });
    variants.put("Conv2d forward+weights", () -> {
      Conv2d.forward(g, x, w, y);
      Conv2d.backwardWeights(g, x, gy, gw);
    });
    BlockedConv blocked = new BlockedConv(g);
    BlockedConv plain = new BlockedConv(g, true);
    System.out.println("oneDNN, all formats any: " + blocked.implementations);
    System.out.println("oneDNN, nhwc activations, kernel any: " + plain.implementations);
    float[] y2 = new float[g.outputSize()];
    float[] gx2 = new float[g.inputSize()];
    float[] gw2 = new float[g.kernelSize()];
    variants.put("oneDNN all-any forward", () -> blocked.forward(x, w, y2));
    variants.put("oneDNN all-any forward+backward", () -> {
      blocked.forward(x, w, y2);
      blocked.backwardData(gy, w, gx2);
      blocked.backwardWeights(x, gy, gw2);
    });
    variants.put("oneDNN nhwc forward+backward", () -> {
      plain.forward(x, w, y2);
      plain.backwardData(gy, w, gx2);
      plain.backwardWeights(x, gy, gw2);
    });
    variants.put("im2col backward-data", () -> lowData.run(g, gy, w, gx));
    variants.put("oneDNN all-any backward-data", () -> blocked.backwardData(gy, w, gx2));
    variants.put("oneDNN nhwc backward-data", () -> plain.backwardData(gy, w, gx2));
    variants.put("im2col backward-weights", () -> lowWeights.run(g, x, gy, gw));
    variants.put("oneDNN all-any backward-weights", () -> blocked.backwardWeights(x, gy, gw2));
    variants.put("oneDNN nhwc backward-weights", () -> plain.backwardWeights(x, gy, gw2));
    double fwd = 2.0 * batch * 32 * 32 * 9 * in * 32;
    report("conv N=" + batch + " 32x32x" + in + "->32 3x3 same", 3 * fwd, variants, rounds, fwd);
    lowForward.run(g, x, w, y);
    lowData.run(g, gy, w, gx);
    lowWeights.run(g, x, gy, gw);
    float[] y3 = new float[g.outputSize()];
    float[] gx3 = new float[g.inputSize()];
    float[] gw3 = new float[g.kernelSize()];
    Conv2d.forward(g, x, w, y3);
    Conv2d.backwardData(g, gy, w, gx3);
    Conv2d.backwardWeights(g, x, gy, gw3);
    blocked.forward(x, w, y2);
    blocked.backwardData(gy, w, gx2);
    blocked.backwardWeights(x, gy, gw2);
    System.out.printf("max |difference| from im2col: Conv2d output %.2e, gradInput %.2e,"
        + " gradKernel %.2e; all-any output %.2e, gradInput %.2e, gradKernel %.2e%n",
        maxDiff(y, y3), maxDiff(gx, gx3), maxDiff(gw, gw3),
        maxDiff(y, y2), maxDiff(gx, gx2), maxDiff(gw, gw2));
    blocked.close();
    plain.close();
  }

  /** One pass of {@link Conv2d} on its geometry and three arrays. */
  private interface Pass {
    void run(Conv2d.Geometry g, float[] a, float[] b, float[] c);
  }

  /** A package-private lowered pass of {@link Conv2d}, by reflection (benchmarking only). */
  private static Pass lowered(String name) {
    try {
      Method m = Conv2d.class.getDeclaredMethod(name, Conv2d.Geometry.class, float[].class,
          float[].class, float[].class);
      m.setAccessible(true);
      return (g, a, b, c) -> {
        try {
          m.invoke(null, g, a, b, c);
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException(e);
        }
      };
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException("Conv2d has no " + name, e);
    }
  }

  private static double maxDiff(float[] a, float[] b) {
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      m = Math.max(m, Math.abs(a[i] - b[i]));
    }
    return m;
  }

  /** Runs the variants in turn for the given rounds; {@code fwdFlops} applies to "forward". */
  private static void report(
      String title, double flops, Map<String, Runnable> variants, int rounds, double fwdFlops) {
    List<String> names = new ArrayList<>(variants.keySet());
    long[][] t = new long[names.size()][rounds];
    for (int r = -2; r < rounds; r++) {
      for (int v = 0; v < names.size(); v++) {
        long t0 = System.nanoTime();
        variants.get(names.get(v)).run();
        long dt = System.nanoTime() - t0;
        if (r >= 0) {
          t[v][r] = dt;
        }
      }
    }
    System.out.println("## " + title);
    double ceilingBest = 0;
    double ceilingMedian = 0;
    for (int v = 0; v < names.size(); v++) {
      long[] s = t[v].clone();
      Arrays.sort(s);
      double best = s[0] / 1e6;
      double median = s[rounds / 2] / 1e6;
      String name = names.get(v);
      double f = name.endsWith("forward") || name.endsWith("-data")
          || name.endsWith("-weights") ? fwdFlops
          : name.endsWith("forward+weights") ? 2 * fwdFlops : flops;
      double gf = f / (best * 1e6);
      double gfMedian = f / (median * 1e6);
      if (v == 0) {
        ceilingBest = gf;
        ceilingMedian = gfMedian;
      }
      boolean staging = name.startsWith("staging");
      System.out.printf("| %s | %.3f | %.3f | %.1f | %.1f | %s | %s |%n", name, best, median, gf,
          gfMedian, staging ? "-" : String.format("%.0f%%", 100 * gf / ceilingBest),
          staging ? "-" : String.format("%.0f%%", 100 * gfMedian / ceilingMedian));
    }
  }

  private static FloatBuffer direct(float[] x) {
    FloatBuffer f = ByteBuffer.allocateDirect(Math.max(x.length, 1) * Float.BYTES)
        .order(ByteOrder.nativeOrder()).asFloatBuffer();
    f.put(0, x);
    return f;
  }
}

package io.github.maxnorm.bench;

import io.github.maxnorm.kernel.Gemm;
import io.github.maxnorm.tensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.concurrent.TimeUnit;
import org.bytedeco.dnnl.global.dnnl;
import org.bytedeco.javacpp.Loader;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Single-precision matrix products of {@code [m, k] x [k, n]}, parameterized as {@code "m x k x
 * n"}: the ceiling ({@code dnnl_sgemm} on direct buffers, no copies), {@link Gemm#sgemm} on
 * {@code float[]} (which stages through direct buffers), {@link Tensor#matmul}, and the staging
 * copies alone. The work of one product is {@code 2 * m * n * k} floating-point operations.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class GemmBenchmark {
  @Param({"128x784x1024", "128x1024x1024", "1024x1024x1024"})
  public String mkn;

  private int m;
  private int k;
  private int n;
  private float[] a;
  private float[] b;
  private float[] c;
  private FloatBuffer da;
  private FloatBuffer db;
  private FloatBuffer dc;
  private Tensor ta;
  private Tensor tb;

  @Setup
  public void setup() {
    Loader.load(dnnl.class);
    int[] v = Shapes.parse(mkn);
    m = v[0];
    k = v[1];
    n = v[2];
    a = Shapes.random(m * k, 1);
    b = Shapes.random(k * n, 2);
    c = new float[m * n];
    da = direct(a);
    db = direct(b);
    dc = direct(c);
    ta = Tensor.of(a, m, k);
    tb = Tensor.of(b, k, n);
  }

  private static FloatBuffer direct(float[] x) {
    FloatBuffer f =
        ByteBuffer.allocateDirect(x.length * Float.BYTES).order(ByteOrder.nativeOrder())
            .asFloatBuffer();
    f.put(0, x);
    return f;
  }

  /** The ceiling: oneDNN on operands that already live in native memory. */
  @Benchmark
  public FloatBuffer dnnlSgemmDirect() {
    int status = dnnl.dnnl_sgemm((byte) 'N', (byte) 'N', m, n, k, 1f, da, k, db, n, 0f, dc, n);
    if (status != 0) {
      throw new IllegalStateException("dnnl_sgemm failed with status " + status);
    }
    return dc;
  }

  /** The library's kernel on heap arrays. */
  @Benchmark
  public float[] gemmSgemmArrays() {
    Gemm.sgemm(false, false, m, n, k, a, b, c, false);
    return c;
  }

  /** The tensor operation (no gradient recorded: the operands are constants). */
  @Benchmark
  public Tensor tensorMatmul() {
    return ta.matmul(tb);
  }

  /** Only the copies that {@link Gemm#sgemm} makes: A and B in, C out. */
  @Benchmark
  public float[] stagingCopiesOnly() {
    da.put(0, a);
    db.put(0, b);
    dc.get(0, c);
    return c;
  }
}

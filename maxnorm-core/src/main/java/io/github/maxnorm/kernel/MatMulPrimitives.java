package io.github.maxnorm.kernel;

import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.global.dnnl;
import org.bytedeco.dnnl.matmul;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.post_ops;
import org.bytedeco.dnnl.primitive_attr;
import org.bytedeco.dnnl.reorder;
import org.bytedeco.dnnl.stream;
import org.bytedeco.javacpp.Pointer;

/**
 * oneDNN's matmul primitive for one product shape, created once and executed any number of times on
 * native operands the caller owns, with a bounded, thread-safe cache keyed by shape.
 *
 * <p>Row-major operands with leading dimensions, each possibly stored transposed, as {@code
 * dnnl_sgemm} takes them; optionally {@code C += A B} (a sum post-op), a bias broadcast over the
 * rows and a ReLU applied to the result before it is stored. In {@link Precision#BFLOAT16} reorder
 * primitives convert the float32 operands to bfloat16 memory (rounding to nearest even) and the
 * product reads those, accumulating in float32 into the float32 result. (oneDNN's bf16 {@code
 * fpmath_mode} on float32 memory would only allow the rounding: for a single row it kept float32.)
 * The primitives carry oneDNN's
 * deterministic attribute, so a shape gives bit-identical results from run to run for a given
 * thread count. An instance serializes its own calls.
 */
final class MatMulPrimitives extends NativeResources {
  /** Most product shapes whose primitives are kept at once. */
  static final int CACHE_CAPACITY = 64;

  /** Everything that selects a primitive. */
  record Key(int m, int n, int k, boolean transA, boolean transB, int lda, int ldb, int ldc,
      boolean accumulate, boolean bias, boolean relu, Precision precision) {}

  private static final Map<Key, MatMulPrimitives> CACHE =
      new LinkedHashMap<>(CACHE_CAPACITY * 2, 0.75f, true);

  private final stream strm;
  private final matmul prim;
  private final memory a;
  private final memory b;
  private final memory c;
  /** The operands converted to bfloat16, and their conversions; null in float32. */
  private final memory a16;
  private final memory b16;
  private final reorder toA16;
  private final reorder toB16;
  private final memory bias;
  private final IntMemoryMap args;
  private final String impl;
  private boolean closed;

  private MatMulPrimitives(Key key) {
    try {
      var eng = Native.engine();
      strm = own(new stream(eng));
      memory.data_type f32 = memory.data_type.f32;
      boolean bf16 = key.precision == Precision.BFLOAT16;
      memory.desc ad = own(matrix(key.m, key.k, key.lda, key.transA, memory.data_type.f32));
      memory.desc bd = own(matrix(key.k, key.n, key.ldb, key.transB, memory.data_type.f32));
      memory.desc cd = own(matrix(key.m, key.n, key.ldc, false, memory.data_type.f32));
      memory.desc ad16 = bf16
          ? own(matrix(key.m, key.k, key.lda, key.transA, memory.data_type.bf16)) : ad;
      memory.desc bd16 = bf16
          ? own(matrix(key.k, key.n, key.ldb, key.transB, memory.data_type.bf16)) : bd;
      memory.desc biasDesc =
          key.bias ? own(new memory.desc(new long[] {1, key.n}, f32, new long[] {key.n, 1})) : null;
      primitive_attr attr = own(new primitive_attr());
      attr.set_deterministic(true);
      if (key.accumulate || key.relu) {
        post_ops ops = own(new post_ops());
        if (key.accumulate) {
          ops.append_sum();
        }
        if (key.relu) {
          ops.append_eltwise(dnnl.algorithm.eltwise_relu, 0f, 0f);
        }
        attr.set_post_ops(ops);
      }
      matmul.primitive_desc pd = own(biasDesc == null
          ? new matmul.primitive_desc(eng, ad16, bd16, cd, attr, false)
          : new matmul.primitive_desc(eng, ad16, bd16, biasDesc, cd, attr, false));
      impl = pd.impl_info_str().getString();
      prim = own(new matmul(pd));
      Pointer none = new Pointer();
      a = own(new memory(ad, eng, none));
      b = own(new memory(bd, eng, none));
      c = own(new memory(cd, eng, none));
      bias = biasDesc == null ? null : own(new memory(biasDesc, eng, none));
      a16 = bf16 ? own(new memory(ad16, eng)) : null;
      b16 = bf16 ? own(new memory(bd16, eng)) : null;
      toA16 = bf16 ? own(new reorder(a, a16)) : null;
      toB16 = bf16 ? own(new reorder(b, b16)) : null;
      args = own(new IntMemoryMap());
      args.put(dnnl.DNNL_ARG_SRC, bf16 ? a16 : a);
      args.put(dnnl.DNNL_ARG_WEIGHTS, bf16 ? b16 : b);
      args.put(dnnl.DNNL_ARG_DST, c);
      if (bias != null) {
        args.put(dnnl.DNNL_ARG_BIAS, bias);
      }
    } catch (RuntimeException e) {
      release();
      throw e;
    }
  }

  /** A row-major {@code rows x cols} matrix with leading dimension {@code ld}, maybe transposed. */
  private static memory.desc matrix(int rows, int cols, int ld, boolean transposed,
      memory.data_type type) {
    long[] strides = transposed ? new long[] {1, ld} : new long[] {ld, 1};
    return new memory.desc(new long[] {rows, cols}, type, strides);
  }

  /**
   * Runs the product of {@code key} on native operands: {@code A} at {@code pa}, {@code B} at
   * {@code pb}, {@code C} at {@code pc} (read too when accumulating) and the bias at {@code pbias}
   * (when the key has one).
   */
  static void run(Key key, Pointer pa, Pointer pb, Pointer pc, Pointer pbias) {
    while (true) {
      MatMulPrimitives p = lookup(key);
      if (p.execute(pa, pb, pc, pbias)) {
        return;
      }
    }
  }

  /** oneDNN's implementation name for {@code key}, e.g. {@code brg_matmul:avx10_1_512_amx}. */
  static String implementation(Key key) {
    return lookup(key).impl;
  }

  /** Number of shapes whose primitives are currently cached. */
  static int cached() {
    synchronized (CACHE) {
      return CACHE.size();
    }
  }

  private static MatMulPrimitives lookup(Key key) {
    synchronized (CACHE) {
      MatMulPrimitives p = CACHE.get(key);
      if (p != null) {
        return p;
      }
      Native.ensureLoaded();
      p = new MatMulPrimitives(key);
      CACHE.put(key, p);
      var eldest = CACHE.entrySet().iterator();
      while (CACHE.size() > CACHE_CAPACITY) {
        MatMulPrimitives victim = eldest.next().getValue();
        eldest.remove();
        victim.close();
      }
      return p;
    }
  }

  private synchronized boolean execute(Pointer pa, Pointer pb, Pointer pc, Pointer pbias) {
    if (closed) {
      return false;
    }
    a.set_data_handle(pa);
    b.set_data_handle(pb);
    c.set_data_handle(pc);
    if (bias != null) {
      bias.set_data_handle(pbias);
    }
    if (toA16 != null) {
      toA16.execute(strm, a, a16);
      toB16.execute(strm, b, b16);
    }
    prim.execute(strm, args);
    strm._wait();
    return true;
  }

  private synchronized void close() {
    closed = true;
    release();
  }

}

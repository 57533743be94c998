package io.github.maxnorm.kernel;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.convolution_backward_data;
import org.bytedeco.dnnl.convolution_backward_weights;
import org.bytedeco.dnnl.convolution_forward;
import org.bytedeco.dnnl.engine;
import org.bytedeco.dnnl.global.dnnl;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.post_ops;
import org.bytedeco.dnnl.primitive;
import org.bytedeco.dnnl.primitive_attr;
import org.bytedeco.dnnl.reorder;
import org.bytedeco.dnnl.stream;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;

/**
 * oneDNN's own convolution primitives for one {@link Conv2d.Geometry} and {@link Precision},
 * created once and executed any number of times, with a bounded, thread-safe cache of them.
 *
 * <p>The activations stay in the library's channels-last layout ({@code nhwc}), which oneDNN's
 * brgemm-based convolutions read and write directly; only the kernel's layout is left to oneDNN, and
 * a reorder primitive converts the Keras {@code hwio} kernel into it (and a kernel gradient back).
 * Operands are copied between the caller's arrays and native staging memory owned by the instance.
 * The forward pass can add a bias and apply a ReLU before it stores its result (oneDNN's bias
 * argument and eltwise post-op). The primitives are created with oneDNN's deterministic attribute,
 * so a given geometry gives bit-identical results from run to run for a given oneDNN thread count.
 * In {@link Precision#BFLOAT16} the input, the kernel and the output gradient are converted to
 * bfloat16 memory (rounded to nearest even, by oneDNN's reorders) before the primitives read them;
 * these accumulate in float32 and write float32 outputs and gradients.
 *
 * <p>The input of the last forward pass stays in the instance's staging memory, identified by the
 * stamp that pass returned; a kernel gradient given the same stamp reads it from there instead of
 * copying the input again.
 *
 * <p>An instance serializes its own calls; the cache closes (frees the native memory of) the least
 * recently used instances when it holds more than {@link #CACHE_CAPACITY} geometries or more than
 * {@link #CACHE_MAX_FLOATS} floats of staging memory. A geometry oneDNN cannot
 * express is remembered as unsupported, and callers fall back to the matrix-product path.
 */
final class ConvPrimitives extends NativeResources {
  /** Most geometries whose primitives are kept at once. */
  static final int CACHE_CAPACITY = 16;

  /**
   * Most floats of native staging memory the cached instances hold together; the most recently
   * used instance is kept even if it alone holds more.
   */
  static final long CACHE_MAX_FLOATS = 64L << 20;

  /** What selects an instance. */
  private record Key(Conv2d.Geometry g, Precision precision) {}

  private static final Map<Key, ConvPrimitives> CACHE =
      new LinkedHashMap<>(CACHE_CAPACITY * 2, 0.75f, true);
  private static final AtomicLong STAMPS = new AtomicLong();
  private static long cachedFloats;

  private final Conv2d.Geometry g;
  private final engine eng;
  private final stream strm;
  /** The input as the primitives read it: float32 or bfloat16, nhwc. */
  private final memory.desc srcCompute;
  /** The output gradient as the backward primitives read it: float32 or bfloat16, nhwc. */
  private final memory.desc diffDstCompute;
  /** Float32 nhwc input (and input gradient). */
  private final memory.desc srcDesc;
  /** Float32 nhwc output (and output gradient). */
  private final memory.desc dstDesc;
  /** The kernel in the compute type, layout left to oneDNN. */
  private final memory.desc weightsAny;
  /** The kernel gradient: float32, layout left to oneDNN. */
  private final memory.desc diffWeightsAny;
  private final memory.desc biasDesc;
  private final long[] strides;
  private final long[] padL;
  private final long[] padR;
  private final FloatPointer src;
  private final FloatPointer weights;
  private final FloatPointer dst;
  /** {@link #dst} as a buffer, for copies into it at an offset from several threads. */
  private final java.nio.FloatBuffer dstBuffer;
  private final FloatPointer bias;
  private final memory srcMem;
  private final memory weightsMem;
  private final memory dstMem;
  private final memory biasMem;
  /** The input in the compute type: {@link #srcMem} itself in float32. */
  private final memory srcT;
  /** The output gradient in the compute type: {@link #dstMem} itself in float32. */
  private final memory diffDstT;
  /** float32 to bfloat16 conversions of the input and the output gradient; null in float32. */
  private final reorder toSrcT;
  private final reorder toDiffDstT;
  /** The forward pass without bias or ReLU, whose descriptor hints the backward passes. */
  private final convolution_forward.primitive_desc forwardDesc;
  /** Forward passes by epilogue: index 1 with bias, 2 with ReLU, 3 with both. */
  private final Step[] forward = new Step[4];
  private Step backwardData;
  /** The kernel gradient, without (index 0) and with (1) the bias gradient. */
  private final Step[] backwardWeights = new Step[2];
  /** The stamp of the forward pass whose input {@link #srcT} holds, or 0. */
  private long srcStamp;
  private boolean closed;

  private ConvPrimitives(Conv2d.Geometry g, Precision precision, engine eng, long[] padR) {
    this.g = g;
    this.eng = eng;
    this.padR = padR;
    try {
      strm = own(new stream(eng));
      long[] srcDims = {g.batch(), g.inC(), g.inH(), g.inW()};
      long[] weightsDims = {g.outC(), g.inC(), g.kernelH(), g.kernelW()};
      long[] dstDims = {g.batch(), g.outC(), g.outH(), g.outW()};
      memory.data_type f32 = memory.data_type.f32;
      // bfloat16 operands are explicit bf16 memory (oneDNN's AMX convolutions on float32 memory
      // with a bf16 fpmath_mode ran 5-25x slower than on bf16 memory, docs/performance.md)
      boolean bf16 = precision == Precision.BFLOAT16;
      memory.data_type t = bf16 ? memory.data_type.bf16 : f32;
      srcDesc = own(new memory.desc(srcDims, f32, memory.format_tag.nhwc));
      dstDesc = own(new memory.desc(dstDims, f32, memory.format_tag.nhwc));
      srcCompute = bf16 ? own(new memory.desc(srcDims, t, memory.format_tag.nhwc)) : srcDesc;
      diffDstCompute = bf16 ? own(new memory.desc(dstDims, t, memory.format_tag.nhwc)) : dstDesc;
      biasDesc = own(new memory.desc(new long[] {g.outC()}, f32, memory.format_tag.a));
      memory.desc weightsUser = own(new memory.desc(weightsDims, f32, memory.format_tag.hwio));
      weightsAny = own(new memory.desc(weightsDims, t, memory.format_tag.any));
      diffWeightsAny =
          bf16 ? own(new memory.desc(weightsDims, f32, memory.format_tag.any)) : weightsAny;
      strides = new long[] {g.strideH(), g.strideW()};
      padL = new long[] {g.padTop(), g.padLeft()};
      forwardDesc = forwardDesc(false, false);
      src = own(new FloatPointer(g.inputSize()));
      weights = own(new FloatPointer(g.kernelSize()));
      dst = own(new FloatPointer(g.outputSize()));
      dstBuffer = dst.asBuffer();
      bias = own(new FloatPointer(g.outC()));
      srcMem = own(new memory(srcDesc, eng, src));
      weightsMem = own(new memory(weightsUser, eng, weights));
      dstMem = own(new memory(dstDesc, eng, dst));
      biasMem = own(new memory(biasDesc, eng, bias));
      srcT = bf16 ? own(new memory(srcCompute, eng)) : srcMem;
      diffDstT = bf16 ? own(new memory(diffDstCompute, eng)) : dstMem;
      toSrcT = bf16 ? own(new reorder(srcMem, srcT)) : null;
      toDiffDstT = bf16 ? own(new reorder(dstMem, diffDstT)) : null;
      forward[0] = forwardStep(forwardDesc, false);
    } catch (RuntimeException e) {
      release();
      throw e;
    }
  }

  /** The attributes of every primitive: deterministic, then {@code ops}. */
  private primitive_attr attr(post_ops ops) {
    primitive_attr attr = own(new primitive_attr());
    attr.set_deterministic(true);
    if (ops != null) {
      attr.set_post_ops(ops);
    }
    return attr;
  }

  private convolution_forward.primitive_desc forwardDesc(boolean withBias, boolean relu) {
    post_ops ops = null;
    if (relu) {
      ops = own(new post_ops());
      ops.append_eltwise(dnnl.algorithm.eltwise_relu, 0f, 0f);
    }
    primitive_attr a = attr(ops);
    return own(withBias
        ? new convolution_forward.primitive_desc(eng, dnnl.prop_kind.forward_training,
            dnnl.algorithm.convolution_direct, srcCompute, weightsAny, biasDesc, dstDesc, strides,
            padL, padR, a, false)
        : new convolution_forward.primitive_desc(eng, dnnl.prop_kind.forward_training,
            dnnl.algorithm.convolution_direct, srcCompute, weightsAny, dstDesc, strides, padL,
            padR, a, false));
  }

  private Step forwardStep(convolution_forward.primitive_desc pd, boolean withBias) {
    Step s = new Step(own(new convolution_forward(pd)));
    s.in(dnnl.DNNL_ARG_SRC, srcT, own(pd.src_desc()));
    s.in(dnnl.DNNL_ARG_WEIGHTS, weightsMem, own(pd.weights_desc()));
    if (withBias) {
      s.in(dnnl.DNNL_ARG_BIAS, biasMem, own(pd.bias_desc()));
    }
    s.out(dnnl.DNNL_ARG_DST, dstMem, own(pd.dst_desc()));
    return s;
  }

  /** Values per chunk of {@link #stageMasked}, small enough to stay in the first-level cache. */
  private static final int CHUNK = 2048;

  private static final ThreadLocal<float[]> CHUNKS = ThreadLocal.withInitial(() -> new float[CHUNK]);

  /**
   * Writes {@code gradOutput} masked by the ReLU ({@code 0} where {@code reluOutput} is not
   * positive) to the output-gradient staging memory, chunk by chunk across the kernel threads.
   */
  private void stageMasked(float[] gradOutput, float[] reluOutput) {
    int n = g.outputSize();
    int chunks = (n + CHUNK - 1) / CHUNK;
    Parallel.forRange(chunks, CHUNK, (c0, c1) -> {
      float[] buf = CHUNKS.get();
      for (int c = c0; c < c1; c++) {
        int from = c * CHUNK;
        int len = Math.min(CHUNK, n - from);
        for (int i = 0; i < len; i++) {
          buf[i] = BiasRelu.passIfPositive(reluOutput[from + i], gradOutput[from + i]);
        }
        dstBuffer.put(from, buf, 0, len);
      }
    });
  }

  /** Copies {@code input} into the staging memory and converts it to the compute type. */
  private void stageInput(float[] input) {
    src.put(input, 0, g.inputSize());
    if (toSrcT != null) {
      toSrcT.execute(strm, srcMem, srcT);
    }
  }

  /**
   * Runs the forward pass through the cached primitives of {@code g}, adding {@code bias} (one
   * value per output channel, or null for none) and applying a ReLU when {@code relu}; returns
   * the stamp of the staged input (see {@link #backward}), or 0, computing nothing, where oneDNN
   * cannot express the geometry.
   */
  static long forward(Conv2d.Geometry g, Precision precision, float[] input, float[] kernel,
      float[] bias, boolean relu, float[] output) {
    while (true) {
      ConvPrimitives p = lookup(new Key(g, precision));
      if (p == null) {
        return 0;
      }
      long stamp = p.runForward(input, kernel, bias, relu, output);
      if (stamp != 0) {
        return stamp;
      }
    }
  }

  /**
   * The kernel gradient (into {@code gradKernel}, unless null), the bias gradient (into {@code
   * gradBias}, unless null; from the kernel-gradient primitive) and the input gradient (into {@code
   * gradInput}, unless null) for the output gradient {@code gradOutput}, which is staged once for
   * all of them, masked by the ReLU of the forward pass when {@code reluOutput} (that pass's
   * output) is given. {@code stamp} is what the forward pass on {@code input} returned, or 0: when
   * the input staged by that pass is still in place it is used without copying, so {@code input}
   * must not have changed since. Returns false, computing nothing, where oneDNN cannot express the
   * geometry.
   */
  static boolean backward(Conv2d.Geometry g, Precision precision, float[] gradOutput,
      float[] reluOutput, float[] kernel, float[] input, long stamp, float[] gradInput,
      float[] gradKernel, float[] gradBias) {
    while (true) {
      ConvPrimitives p = lookup(new Key(g, precision));
      if (p == null) {
        return false;
      }
      if (p.runBackward(gradOutput, reluOutput, kernel, input, stamp, gradInput, gradKernel,
          gradBias)) {
        return true;
      }
    }
  }

  /** Number of geometries whose primitives are currently cached (supported or not). */
  static int cached() {
    synchronized (CACHE) {
      return CACHE.size();
    }
  }

  /** Floats of native staging memory the cached instances hold together. */
  static long cachedFloats() {
    synchronized (CACHE) {
      return cachedFloats;
    }
  }

  /** Floats of staging memory (or their size in bfloat16 copies) an instance for a key holds. */
  private static long stagingFloats(Key key) {
    Conv2d.Geometry g = key.g();
    long floats = (long) g.inputSize() + g.outputSize() + g.kernelSize() + g.outC();
    return key.precision() == Precision.BFLOAT16
        ? floats + (g.inputSize() + (long) g.outputSize()) / 2 : floats;
  }

  /** The cached instance for {@code key}, created on first use; null where unsupported. */
  private static ConvPrimitives lookup(Key key) {
    synchronized (CACHE) {
      if (CACHE.containsKey(key)) {
        return CACHE.get(key);
      }
      ConvPrimitives p = create(key);
      CACHE.put(key, p);
      if (p != null) {
        cachedFloats += stagingFloats(key);
      }
      Iterator<Map.Entry<Key, ConvPrimitives>> eldest = CACHE.entrySet().iterator();
      while (CACHE.size() > 1
          && (CACHE.size() > CACHE_CAPACITY || cachedFloats > CACHE_MAX_FLOATS)) {
        Map.Entry<Key, ConvPrimitives> victim = eldest.next();
        eldest.remove();
        if (victim.getValue() != null) {
          cachedFloats -= stagingFloats(victim.getKey());
          victim.getValue().close();
        }
      }
      return p;
    }
  }

  private static ConvPrimitives create(Key key) {
    Conv2d.Geometry g = key.g();
    if (g.batch() == 0) {
      return null;
    }
    long padBottom = rightPadding(g.inH(), g.kernelH(), g.strideH(), g.padTop(), g.outH());
    long padRight = rightPadding(g.inW(), g.kernelW(), g.strideW(), g.padLeft(), g.outW());
    if (padBottom < 0 || padRight < 0) {
      return null;
    }
    try {
      return new ConvPrimitives(g, key.precision(), Native.engine(),
          new long[] {padBottom, padRight});
    } catch (RuntimeException e) {
      // oneDNN reports a geometry it has no implementation for by an exception
      return null;
    }
  }

  /**
   * The padding after the input that gives exactly {@code out} windows, or -1 if none does. The
   * geometry's implied padding (which may be negative when the last cells are never reached) is
   * raised to zero when that leaves the window count unchanged.
   */
  static long rightPadding(int in, int kernel, int stride, int padBefore, int out) {
    long exact = (long) (out - 1) * stride + kernel - in - padBefore;
    long pad = Math.max(0, exact);
    return (in + padBefore + pad - kernel) / stride + 1 == out ? pad : -1;
  }

  private synchronized long runForward(float[] input, float[] kernel, float[] b, boolean relu,
      float[] output) {
    if (closed) {
      return 0;
    }
    int variant = (b != null ? 1 : 0) | (relu ? 2 : 0);
    if (forward[variant] == null) {
      forward[variant] = forwardStep(forwardDesc(b != null, relu), b != null);
    }
    stageInput(input);
    weights.put(kernel, 0, g.kernelSize());
    if (b != null) {
      bias.put(b, 0, g.outC());
    }
    forward[variant].run();
    dst.get(output, 0, g.outputSize());
    srcStamp = STAMPS.incrementAndGet();
    return srcStamp;
  }

  private synchronized boolean runBackward(float[] gradOutput, float[] reluOutput,
      float[] kernel, float[] input, long stamp, float[] gradInput, float[] gradKernel,
      float[] gradBias) {
    if (closed) {
      return false;
    }
    if (reluOutput == null) {
      dst.put(gradOutput, 0, g.outputSize());
    } else {
      stageMasked(gradOutput, reluOutput);
    }
    if (toDiffDstT != null) {
      toDiffDstT.execute(strm, dstMem, diffDstT);
    }
    if (gradKernel != null || gradBias != null) {
      int variant = gradBias != null ? 1 : 0;
      if (backwardWeights[variant] == null) {
        convolution_backward_weights.primitive_desc pd = own(gradBias != null
            ? new convolution_backward_weights.primitive_desc(eng,
                dnnl.algorithm.convolution_direct, srcCompute, diffWeightsAny, biasDesc,
                diffDstCompute, strides, padL, padR, forwardDesc, attr(null), false)
            : new convolution_backward_weights.primitive_desc(eng,
                dnnl.algorithm.convolution_direct, srcCompute, diffWeightsAny, diffDstCompute,
                strides, padL, padR, forwardDesc, attr(null), false));
        Step s = new Step(own(new convolution_backward_weights(pd)));
        s.in(dnnl.DNNL_ARG_SRC, srcT, own(pd.src_desc()));
        s.in(dnnl.DNNL_ARG_DIFF_DST, diffDstT, own(pd.diff_dst_desc()));
        s.out(dnnl.DNNL_ARG_DIFF_WEIGHTS, weightsMem, own(pd.diff_weights_desc()));
        if (gradBias != null) {
          s.out(dnnl.DNNL_ARG_DIFF_BIAS, biasMem, own(pd.diff_bias_desc()));
        }
        backwardWeights[variant] = s;
      }
      if (stamp == 0 || stamp != srcStamp) {
        if (input == null) {
          throw new IllegalArgumentException("conv2d: the bias gradient needs the input here");
        }
        stageInput(input);
        srcStamp = 0;
      }
      backwardWeights[variant].run();
      if (gradKernel != null) {
        weights.get(gradKernel, 0, g.kernelSize());
      }
      if (gradBias != null) {
        bias.get(gradBias, 0, g.outC());
      }
    }
    if (gradInput != null) {
      if (backwardData == null) {
        convolution_backward_data.primitive_desc pd = own(
            new convolution_backward_data.primitive_desc(eng, dnnl.algorithm.convolution_direct,
                srcDesc, weightsAny, diffDstCompute, strides, padL, padR, forwardDesc,
                attr(null), false));
        Step s = new Step(own(new convolution_backward_data(pd)));
        s.in(dnnl.DNNL_ARG_DIFF_DST, diffDstT, own(pd.diff_dst_desc()));
        s.in(dnnl.DNNL_ARG_WEIGHTS, weightsMem, own(pd.weights_desc()));
        s.out(dnnl.DNNL_ARG_DIFF_SRC, srcMem, own(pd.diff_src_desc()));
        backwardData = s;
      }
      weights.put(kernel, 0, g.kernelSize());
      backwardData.run();
      if (srcT == srcMem) {
        // float32: the input gradient overwrote the staged input
        srcStamp = 0;
      }
      src.get(gradInput, 0, g.inputSize());
    }
    return true;
  }

  /** Frees the native memory; later calls on this instance report that it is closed. */
  private synchronized void close() {
    closed = true;
    release();
  }


  /** One primitive with the reorders into its layouts before it and out of them after it. */
  private final class Step {
    private final primitive prim;
    private final IntMemoryMap args = own(new IntMemoryMap());
    private final List<memory[]> before = new ArrayList<>();
    private final List<reorder> beforeOps = new ArrayList<>();
    private final List<memory[]> after = new ArrayList<>();
    private final List<reorder> afterOps = new ArrayList<>();

    Step(primitive prim) {
      this.prim = prim;
    }

    /** Argument {@code arg} read from {@code user}, reordered first if oneDNN wants another layout. */
    void in(int arg, memory user, memory.desc wanted) {
      memory.desc have = own(user.get_desc());
      if (have.equals(wanted)) {
        args.put(arg, user);
        return;
      }
      memory internal = own(new memory(wanted, eng));
      beforeOps.add(own(new reorder(user, internal)));
      before.add(new memory[] {user, internal});
      args.put(arg, internal);
    }

    /** Argument {@code arg} written to {@code user}, reordered after if oneDNN wants another layout. */
    void out(int arg, memory user, memory.desc wanted) {
      memory.desc have = own(user.get_desc());
      if (have.equals(wanted)) {
        args.put(arg, user);
        return;
      }
      memory internal = own(new memory(wanted, eng));
      afterOps.add(own(new reorder(internal, user)));
      after.add(new memory[] {internal, user});
      args.put(arg, internal);
    }

    void run() {
      for (int i = 0; i < beforeOps.size(); i++) {
        beforeOps.get(i).execute(strm, before.get(i)[0], before.get(i)[1]);
      }
      prim.execute(strm, args);
      for (int i = 0; i < afterOps.size(); i++) {
        afterOps.get(i).execute(strm, after.get(i)[0], after.get(i)[1]);
      }
      strm._wait();
    }
  }
}

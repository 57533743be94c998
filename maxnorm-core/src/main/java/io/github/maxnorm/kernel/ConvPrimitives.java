package io.github.maxnorm.kernel;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.convolution_backward_data;
import org.bytedeco.dnnl.convolution_backward_weights;
import org.bytedeco.dnnl.convolution_forward;
import org.bytedeco.dnnl.engine;
import org.bytedeco.dnnl.global.dnnl;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.primitive;
import org.bytedeco.dnnl.primitive_attr;
import org.bytedeco.dnnl.reorder;
import org.bytedeco.dnnl.stream;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;

/**
 * oneDNN's own convolution primitives for one {@link Conv2d.Geometry}, created once and executed
 * any number of times, with a bounded, thread-safe cache of them keyed by geometry.
 *
 * <p>The activations stay in the library's channels-last layout ({@code nhwc}), which oneDNN's
 * brgemm-based convolutions read and write directly; only the kernel's layout is left to oneDNN, and
 * a reorder primitive converts the Keras {@code hwio} kernel into it (and a kernel gradient back).
 * Operands are copied between the caller's arrays and native staging memory owned by the instance.
 * The primitives are created with oneDNN's deterministic attribute, so a given geometry gives
 * bit-identical results from run to run for a given oneDNN thread count.
 *
 * <p>An instance serializes its own calls; the cache closes (frees the native memory of) the least
 * recently used instances when it holds more than {@link #CACHE_CAPACITY} geometries or more than
 * {@link #CACHE_MAX_FLOATS} floats of staging memory. A geometry oneDNN cannot
 * express is remembered as unsupported, and callers fall back to the matrix-product path.
 */
final class ConvPrimitives {
  /** Most geometries whose primitives are kept at once. */
  static final int CACHE_CAPACITY = 16;

  /**
   * Most floats of native staging memory the cached instances hold together; the most recently
   * used instance is kept even if it alone holds more.
   */
  static final long CACHE_MAX_FLOATS = 64L << 20;

  private static final Map<Conv2d.Geometry, ConvPrimitives> CACHE =
      new LinkedHashMap<>(CACHE_CAPACITY * 2, 0.75f, true);
  private static engine sharedEngine;
  private static long cachedFloats;

  private final List<Pointer> owned = new ArrayList<>();
  private final Conv2d.Geometry g;
  private final engine eng;
  private final stream strm;
  private final primitive_attr attr;
  private final convolution_forward.primitive_desc forwardDesc;
  private final memory.desc srcDesc;
  private final memory.desc weightsAny;
  private final memory.desc dstDesc;
  private final long[] strides;
  private final long[] padL;
  private final long[] padR;
  private final FloatPointer src;
  private final FloatPointer weights;
  private final FloatPointer dst;
  private final memory srcMem;
  private final memory weightsMem;
  private final memory dstMem;
  private final Step forward;
  private Step backwardData;
  private Step backwardWeights;
  private boolean closed;

  private ConvPrimitives(Conv2d.Geometry g, engine eng, long[] padR) {
    this.g = g;
    this.eng = eng;
    this.padR = padR;
    try {
      strm = own(new stream(eng));
      long[] srcDims = {g.batch(), g.inC(), g.inH(), g.inW()};
      long[] weightsDims = {g.outC(), g.inC(), g.kernelH(), g.kernelW()};
      long[] dstDims = {g.batch(), g.outC(), g.outH(), g.outW()};
      memory.data_type f32 = memory.data_type.f32;
      srcDesc = own(new memory.desc(srcDims, f32, memory.format_tag.nhwc));
      dstDesc = own(new memory.desc(dstDims, f32, memory.format_tag.nhwc));
      memory.desc weightsUser = own(new memory.desc(weightsDims, f32, memory.format_tag.hwio));
      weightsAny = own(new memory.desc(weightsDims, f32, memory.format_tag.any));
      strides = new long[] {g.strideH(), g.strideW()};
      padL = new long[] {g.padTop(), g.padLeft()};
      attr = own(new primitive_attr());
      attr.set_deterministic(true);
      forwardDesc = own(new convolution_forward.primitive_desc(eng,
          dnnl.prop_kind.forward_training, dnnl.algorithm.convolution_direct, srcDesc, weightsAny,
          dstDesc, strides, padL, padR, attr, false));
      src = own(new FloatPointer(g.inputSize()));
      weights = own(new FloatPointer(g.kernelSize()));
      dst = own(new FloatPointer(g.outputSize()));
      srcMem = own(new memory(srcDesc, eng, src));
      weightsMem = own(new memory(weightsUser, eng, weights));
      dstMem = own(new memory(dstDesc, eng, dst));
      forward = new Step(own(new convolution_forward(forwardDesc)));
      forward.in(dnnl.DNNL_ARG_SRC, srcMem, own(forwardDesc.src_desc()));
      forward.in(dnnl.DNNL_ARG_WEIGHTS, weightsMem, own(forwardDesc.weights_desc()));
      forward.out(dnnl.DNNL_ARG_DST, dstMem, own(forwardDesc.dst_desc()));
    } catch (RuntimeException e) {
      release();
      throw e;
    }
  }

  /**
   * Runs the forward pass through the cached primitives of {@code g}; returns false, computing
   * nothing, where oneDNN cannot express the geometry.
   */
  static boolean forward(Conv2d.Geometry g, float[] input, float[] kernel, float[] output) {
    while (true) {
      ConvPrimitives p = lookup(g);
      if (p == null) {
        return false;
      }
      if (p.runForward(input, kernel, output)) {
        return true;
      }
    }
  }

  /** The input gradient, as {@link #forward}. */
  static boolean backwardData(
      Conv2d.Geometry g, float[] gradOutput, float[] kernel, float[] gradInput) {
    while (true) {
      ConvPrimitives p = lookup(g);
      if (p == null) {
        return false;
      }
      if (p.runBackwardData(gradOutput, kernel, gradInput)) {
        return true;
      }
    }
  }

  /** The kernel gradient, as {@link #forward}. */
  static boolean backwardWeights(
      Conv2d.Geometry g, float[] input, float[] gradOutput, float[] gradKernel) {
    while (true) {
      ConvPrimitives p = lookup(g);
      if (p == null) {
        return false;
      }
      if (p.runBackwardWeights(input, gradOutput, gradKernel)) {
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

  /** Floats of staging memory an instance for {@code g} holds. */
  private static long stagingFloats(Conv2d.Geometry g) {
    return (long) g.inputSize() + g.outputSize() + g.kernelSize();
  }

  /** The cached instance for {@code g}, created on first use; null where unsupported. */
  private static ConvPrimitives lookup(Conv2d.Geometry g) {
    synchronized (CACHE) {
      if (CACHE.containsKey(g)) {
        return CACHE.get(g);
      }
      ConvPrimitives p = create(g);
      CACHE.put(g, p);
      if (p != null) {
        cachedFloats += stagingFloats(g);
      }
      Iterator<Map.Entry<Conv2d.Geometry, ConvPrimitives>> eldest = CACHE.entrySet().iterator();
      while (CACHE.size() > 1
          && (CACHE.size() > CACHE_CAPACITY || cachedFloats > CACHE_MAX_FLOATS)) {
        Map.Entry<Conv2d.Geometry, ConvPrimitives> victim = eldest.next();
        eldest.remove();
        if (victim.getValue() != null) {
          cachedFloats -= stagingFloats(victim.getKey());
          victim.getValue().close();
        }
      }
      return p;
    }
  }

  private static ConvPrimitives create(Conv2d.Geometry g) {
    if (g.batch() == 0) {
      return null;
    }
    long padBottom = rightPadding(g.inH(), g.kernelH(), g.strideH(), g.padTop(), g.outH());
    long padRight = rightPadding(g.inW(), g.kernelW(), g.strideW(), g.padLeft(), g.outW());
    if (padBottom < 0 || padRight < 0) {
      return null;
    }
    Native.ensureLoaded();
    if (sharedEngine == null) {
      sharedEngine = new engine(engine.kind.cpu, 0);
    }
    try {
      return new ConvPrimitives(g, sharedEngine, new long[] {padBottom, padRight});
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

  private synchronized boolean runForward(float[] input, float[] kernel, float[] output) {
    if (closed) {
      return false;
    }
    src.put(input, 0, g.inputSize());
    weights.put(kernel, 0, g.kernelSize());
    forward.run();
    dst.get(output, 0, g.outputSize());
    return true;
  }

  private synchronized boolean runBackwardData(
      float[] gradOutput, float[] kernel, float[] gradInput) {
    if (closed) {
      return false;
    }
    if (backwardData == null) {
      convolution_backward_data.primitive_desc pd = own(
          new convolution_backward_data.primitive_desc(eng, dnnl.algorithm.convolution_direct,
              srcDesc, weightsAny, dstDesc, strides, padL, padR, forwardDesc, attr, false));
      Step s = new Step(own(new convolution_backward_data(pd)));
      s.in(dnnl.DNNL_ARG_DIFF_DST, dstMem, own(pd.diff_dst_desc()));
      s.in(dnnl.DNNL_ARG_WEIGHTS, weightsMem, own(pd.weights_desc()));
      s.out(dnnl.DNNL_ARG_DIFF_SRC, srcMem, own(pd.diff_src_desc()));
      backwardData = s;
    }
    dst.put(gradOutput, 0, g.outputSize());
    weights.put(kernel, 0, g.kernelSize());
    backwardData.run();
    src.get(gradInput, 0, g.inputSize());
    return true;
  }

  private synchronized boolean runBackwardWeights(
      float[] input, float[] gradOutput, float[] gradKernel) {
    if (closed) {
      return false;
    }
    if (backwardWeights == null) {
      convolution_backward_weights.primitive_desc pd = own(
          new convolution_backward_weights.primitive_desc(eng, dnnl.algorithm.convolution_direct,
              srcDesc, weightsAny, dstDesc, strides, padL, padR, forwardDesc, attr, false));
      Step s = new Step(own(new convolution_backward_weights(pd)));
      s.in(dnnl.DNNL_ARG_SRC, srcMem, own(pd.src_desc()));
      s.in(dnnl.DNNL_ARG_DIFF_DST, dstMem, own(pd.diff_dst_desc()));
      s.out(dnnl.DNNL_ARG_DIFF_WEIGHTS, weightsMem, own(pd.diff_weights_desc()));
      backwardWeights = s;
    }
    src.put(input, 0, g.inputSize());
    dst.put(gradOutput, 0, g.outputSize());
    backwardWeights.run();
    weights.get(gradKernel, 0, g.kernelSize());
    return true;
  }

  /** Frees the native memory; later calls on this instance report that it is closed. */
  private synchronized void close() {
    closed = true;
    release();
  }

  private void release() {
    for (int i = owned.size() - 1; i >= 0; i--) {
      owned.get(i).close();
    }
    owned.clear();
  }

  private <T extends Pointer> T own(T p) {
    owned.add(p);
    return p;
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

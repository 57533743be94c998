package io.github.maxnorm.bench;

import io.github.maxnorm.kernel.Conv2d;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.convolution_backward_data;
import org.bytedeco.dnnl.convolution_backward_weights;
import org.bytedeco.dnnl.convolution_forward;
import org.bytedeco.dnnl.engine;
import org.bytedeco.dnnl.global.dnnl;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.primitive_attr;
import org.bytedeco.dnnl.reorder;
import org.bytedeco.dnnl.stream;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;

/**
 * Benchmark prototype: one convolution geometry through oneDNN's convolution primitives with the
 * memory formats left to oneDNN ({@code any}, in practice its channel-blocked layouts), plus reorder
 * primitives between those layouts and the library's channels-last activations ({@code nhwc}) and
 * Keras kernel ({@code hwio}). Everything is created once and executed per call; operands are
 * copied from and to {@code float[]} through native staging buffers, as a {@code float[]} kernel
 * has to.
 */
final class BlockedConv implements AutoCloseable {
  private final List<Pointer> owned = new ArrayList<>();
  private final engine eng;
  private final stream strm;
  private final Conv2d.Geometry g;
  private final FloatPointer src;
  private final FloatPointer wei;
  private final FloatPointer dst;
  private final Step forward;
  private final Step backwardData;
  private final Step backwardWeights;
  /** Implementation names oneDNN chose: forward, backward-data, backward-weights. */
  final String implementations;

  BlockedConv(Conv2d.Geometry g) {
    this(g, false);
  }

  /** With {@code plainActivations}, only the kernel's format is left to oneDNN. */
  BlockedConv(Conv2d.Geometry g, boolean plainActivations) {
    Loader.load(dnnl.class);
    this.g = g;
    eng = own(new engine(engine.kind.cpu, 0));
    strm = own(new stream(eng));
    long[] srcDims = {g.batch(), g.inC(), g.inH(), g.inW()};
    long[] weiDims = {g.outC(), g.inC(), g.kernelH(), g.kernelW()};
    long[] dstDims = {g.batch(), g.outC(), g.outH(), g.outW()};
    memory.data_type f32 = memory.data_type.f32;
    memory.desc srcUser = own(new memory.desc(srcDims, f32, memory.format_tag.nhwc));
    memory.desc weiUser = own(new memory.desc(weiDims, f32, memory.format_tag.hwio));
    memory.desc dstUser = own(new memory.desc(dstDims, f32, memory.format_tag.nhwc));
    memory.format_tag act = plainActivations ? memory.format_tag.nhwc : memory.format_tag.any;
    memory.desc srcAny = own(new memory.desc(srcDims, f32, act));
    memory.desc weiAny = own(new memory.desc(weiDims, f32, memory.format_tag.any));
    memory.desc dstAny = own(new memory.desc(dstDims, f32, act));
    long[] strides = {g.strideH(), g.strideW()};
    long[] padL = {g.padTop(), g.padLeft()};
    long[] padR = {
      Math.max(0, (g.outH() - 1) * g.strideH() + g.kernelH() - g.inH() - g.padTop()),
      Math.max(0, (g.outW() - 1) * g.strideW() + g.kernelW() - g.inW() - g.padLeft())
    };
    primitive_attr attr = own(new primitive_attr());
    attr.set_deterministic(true);
    convolution_forward.primitive_desc fpd = own(new convolution_forward.primitive_desc(eng,
        dnnl.prop_kind.forward_training, dnnl.algorithm.convolution_direct, srcAny, weiAny,
        dstAny, strides, padL, padR, attr, false));
    convolution_backward_data.primitive_desc dpd = own(
        new convolution_backward_data.primitive_desc(eng, dnnl.algorithm.convolution_direct,
            srcAny, weiAny, dstAny, strides, padL, padR, fpd, attr, false));
    convolution_backward_weights.primitive_desc wpd = own(
        new convolution_backward_weights.primitive_desc(eng, dnnl.algorithm.convolution_direct,
            srcAny, weiAny, dstAny, strides, padL, padR, fpd, attr, false));
    implementations = fpd.impl_info_str().getString() + " / " + dpd.impl_info_str().getString()
        + " / " + wpd.impl_info_str().getString();

    src = own(new FloatPointer(g.inputSize()));
    wei = own(new FloatPointer(g.kernelSize()));
    dst = own(new FloatPointer(g.outputSize()));
    memory srcMem = own(new memory(srcUser, eng, src));
    memory weiMem = own(new memory(weiUser, eng, wei));
    memory dstMem = own(new memory(dstUser, eng, dst));

    forward = new Step(own(new convolution_forward(fpd)));
    forward.in(dnnl.DNNL_ARG_SRC, srcMem, fpd.src_desc());
    forward.in(dnnl.DNNL_ARG_WEIGHTS, weiMem, fpd.weights_desc());
    forward.out(dnnl.DNNL_ARG_DST, dstMem, fpd.dst_desc());

    backwardData = new Step(own(new convolution_backward_data(dpd)));
    backwardData.in(dnnl.DNNL_ARG_DIFF_DST, dstMem, dpd.diff_dst_desc());
    backwardData.in(dnnl.DNNL_ARG_WEIGHTS, weiMem, dpd.weights_desc());
    backwardData.out(dnnl.DNNL_ARG_DIFF_SRC, srcMem, dpd.diff_src_desc());

    backwardWeights = new Step(own(new convolution_backward_weights(wpd)));
    backwardWeights.in(dnnl.DNNL_ARG_SRC, srcMem, wpd.src_desc());
    backwardWeights.in(dnnl.DNNL_ARG_DIFF_DST, dstMem, wpd.diff_dst_desc());
    backwardWeights.out(dnnl.DNNL_ARG_DIFF_WEIGHTS, weiMem, wpd.diff_weights_desc());
  }

  /** One primitive with the reorders into its formats before and out of them after. */
  private final class Step {
    final org.bytedeco.dnnl.primitive prim;
    final IntMemoryMap args = own(new IntMemoryMap());
    final List<Object[]> before = new ArrayList<>();
    final List<Object[]> after = new ArrayList<>();

    Step(org.bytedeco.dnnl.primitive prim) {
      this.prim = prim;
    }

    void in(int arg, memory user, memory.desc wanted) {
      own(wanted);
      if (user.get_desc().equals(wanted)) {
        args.put(arg, user);
        return;
      }
      memory internal = own(new memory(wanted, eng));
      before.add(new Object[] {own(new reorder(user, internal)), user, internal});
      args.put(arg, internal);
    }

    void out(int arg, memory user, memory.desc wanted) {
      own(wanted);
      if (user.get_desc().equals(wanted)) {
        args.put(arg, user);
        return;
      }
      memory internal = own(new memory(wanted, eng));
      after.add(new Object[] {own(new reorder(internal, user)), internal, user});
      args.put(arg, internal);
    }

    void run() {
      for (Object[] r : before) {
        ((reorder) r[0]).execute(strm, (memory) r[1], (memory) r[2]);
      }
      prim.execute(strm, args);
      for (Object[] r : after) {
        ((reorder) r[0]).execute(strm, (memory) r[1], (memory) r[2]);
      }
      strm._wait();
    }
  }

  synchronized void forward(float[] input, float[] kernel, float[] output) {
    src.put(input, 0, g.inputSize());
    wei.put(kernel, 0, g.kernelSize());
    forward.run();
    dst.get(output, 0, g.outputSize());
  }

  synchronized void backwardData(float[] gradOutput, float[] kernel, float[] gradInput) {
    dst.put(gradOutput, 0, g.outputSize());
    wei.put(kernel, 0, g.kernelSize());
    backwardData.run();
    src.get(gradInput, 0, g.inputSize());
  }

  synchronized void backwardWeights(float[] input, float[] gradOutput, float[] gradKernel) {
    src.put(input, 0, g.inputSize());
    dst.put(gradOutput, 0, g.outputSize());
    backwardWeights.run();
    wei.get(gradKernel, 0, g.kernelSize());
  }

  private <T extends Pointer> T own(T p) {
    owned.add(p);
    return p;
  }

  @Override
  public synchronized void close() {
    for (int i = owned.size() - 1; i >= 0; i--) {
      owned.get(i).close();
    }
    owned.clear();
  }
}

package io.github.maxnorm.bench;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.concurrent.TimeUnit;
import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.convolution_backward_data;
import org.bytedeco.dnnl.convolution_backward_weights;
import org.bytedeco.dnnl.convolution_forward;
import org.bytedeco.dnnl.engine;
import org.bytedeco.dnnl.global.dnnl;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.stream;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Loader;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The shapes of {@link ConvBenchmark} through oneDNN's own convolution primitives, with plain
 * channels-last layouts (activations {@code nhwc}, kernel {@code hwio}), operands copied from and
 * to heap arrays as a {@code float[]} kernel would have to.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class DnnlConvBenchmark {
  @Param({"32", "128"})
  public int batch;

  @Param({"3", "32"})
  public int inChannels;

  private static final int SIZE = 32;
  private static final int FILTERS = 32;

  private engine eng;
  private stream strm;
  private convolution_forward fwd;
  private convolution_backward_data bwdData;
  private convolution_backward_weights bwdWeights;
  private IntMemoryMap fwdArgs;
  private IntMemoryMap bwdDataArgs;
  private IntMemoryMap bwdWeightsArgs;
  private FloatBuffer src;
  private FloatBuffer wei;
  private FloatBuffer dst;
  private FloatBuffer diffDst;
  private FloatBuffer diffSrc;
  private FloatBuffer diffWei;
  private float[] input;
  private float[] kernel;
  private float[] output;
  private float[] gradOutput;
  private float[] gradInput;
  private float[] gradKernel;

  @Setup
  public void setup() {
    Loader.load(dnnl.class);
    eng = new engine(engine.kind.cpu, 0);
    strm = new stream(eng);
    long[] srcDims = {batch, inChannels, SIZE, SIZE};
    long[] weiDims = {FILTERS, inChannels, 3, 3};
    long[] dstDims = {batch, FILTERS, SIZE, SIZE};
    memory.desc srcMd = new memory.desc(srcDims, memory.data_type.f32, memory.format_tag.nhwc);
    memory.desc weiMd = new memory.desc(weiDims, memory.data_type.f32, memory.format_tag.hwio);
    memory.desc dstMd = new memory.desc(dstDims, memory.data_type.f32, memory.format_tag.nhwc);
    long[] strides = {1, 1};
    long[] pad = {1, 1};
    convolution_forward.primitive_desc fpd = new convolution_forward.primitive_desc(eng,
        dnnl.prop_kind.forward_training, dnnl.algorithm.convolution_direct, srcMd, weiMd, dstMd,
        strides, pad, pad);
    convolution_backward_data.primitive_desc dpd = new convolution_backward_data.primitive_desc(
        eng, dnnl.algorithm.convolution_direct, srcMd, weiMd, dstMd, strides, pad, pad, fpd);
    convolution_backward_weights.primitive_desc wpd =
        new convolution_backward_weights.primitive_desc(eng, dnnl.algorithm.convolution_direct,
            srcMd, weiMd, dstMd, strides, pad, pad, fpd);
    fwd = new convolution_forward(fpd);
    bwdData = new convolution_backward_data(dpd);
    bwdWeights = new convolution_backward_weights(wpd);
    int nSrc = batch * inChannels * SIZE * SIZE;
    int nWei = FILTERS * inChannels * 9;
    int nDst = batch * FILTERS * SIZE * SIZE;
    src = direct(nSrc);
    wei = direct(nWei);
    dst = direct(nDst);
    diffDst = direct(nDst);
    diffSrc = direct(nSrc);
    diffWei = direct(nWei);
    memory mSrc = new memory(srcMd, eng, new FloatPointer(src));
    memory mWei = new memory(weiMd, eng, new FloatPointer(wei));
    memory mDst = new memory(dstMd, eng, new FloatPointer(dst));
    memory mDiffDst = new memory(dstMd, eng, new FloatPointer(diffDst));
    memory mDiffSrc = new memory(srcMd, eng, new FloatPointer(diffSrc));
    memory mDiffWei = new memory(weiMd, eng, new FloatPointer(diffWei));
    fwdArgs = new IntMemoryMap();
    fwdArgs.put(dnnl.DNNL_ARG_SRC, mSrc);
    fwdArgs.put(dnnl.DNNL_ARG_WEIGHTS, mWei);
    fwdArgs.put(dnnl.DNNL_ARG_DST, mDst);
    bwdDataArgs = new IntMemoryMap();
    bwdDataArgs.put(dnnl.DNNL_ARG_DIFF_DST, mDiffDst);
    bwdDataArgs.put(dnnl.DNNL_ARG_WEIGHTS, mWei);
    bwdDataArgs.put(dnnl.DNNL_ARG_DIFF_SRC, mDiffSrc);
    bwdWeightsArgs = new IntMemoryMap();
    bwdWeightsArgs.put(dnnl.DNNL_ARG_SRC, mSrc);
    bwdWeightsArgs.put(dnnl.DNNL_ARG_DIFF_DST, mDiffDst);
    bwdWeightsArgs.put(dnnl.DNNL_ARG_DIFF_WEIGHTS, mDiffWei);
    input = Shapes.random(nSrc, 1);
    kernel = Shapes.random(nWei, 2);
    output = new float[nDst];
    gradOutput = Shapes.random(nDst, 3);
    gradInput = new float[nSrc];
    gradKernel = new float[nWei];
  }

  private static FloatBuffer direct(int n) {
    return ByteBuffer.allocateDirect(n * Float.BYTES).order(ByteOrder.nativeOrder())
        .asFloatBuffer();
  }

  @Benchmark
  public float[] forward() {
    src.put(0, input);
    wei.put(0, kernel);
    fwd.execute(strm, fwdArgs);
    strm._wait();
    dst.get(0, output);
    return output;
  }

  @Benchmark
  public void forwardBackward(Blackhole bh) {
    forward();
    diffDst.put(0, gradOutput);
    bwdData.execute(strm, bwdDataArgs);
    bwdWeights.execute(strm, bwdWeightsArgs);
    strm._wait();
    diffSrc.get(0, gradInput);
    diffWei.get(0, gradKernel);
    bh.consume(output);
    bh.consume(gradInput);
    bh.consume(gradKernel);
  }
}

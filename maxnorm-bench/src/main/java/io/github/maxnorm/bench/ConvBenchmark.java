package io.github.maxnorm.bench;

import io.github.maxnorm.kernel.Conv2d;
import java.util.concurrent.TimeUnit;
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
 * The two 3x3 "same" convolutions at the start of the Keras CIFAR-10 example, {@code 32x32x3 -> 32}
 * and {@code 32x32x32 -> 32}, through {@link Conv2d}. The forward pass is {@code 2 * N * outH *
 * outW * kh * kw * in * out} floating-point operations; the backward pass (data and weights) twice
 * that.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ConvBenchmark {
  @Param({"32", "128"})
  public int batch;

  /** Input channels of the layer: 3 (first layer) or 32 (second layer). */
  @Param({"3", "32"})
  public int inChannels;

  private Conv2d.Geometry g;
  private float[] input;
  private float[] kernel;
  private float[] output;
  private float[] gradOutput;
  private float[] gradInput;
  private float[] gradKernel;

  @Setup
  public void setup() {
    g = new Conv2d.Geometry(batch, 32, 32, inChannels, 3, 3, 32, 1, 1, 1, 1, 32, 32);
    input = Shapes.random(g.inputSize(), 1);
    kernel = Shapes.random(g.kernelSize(), 2);
    output = new float[g.outputSize()];
    gradOutput = Shapes.random(g.outputSize(), 3);
    gradInput = new float[g.inputSize()];
    gradKernel = new float[g.kernelSize()];
  }

  @Benchmark
  public float[] forward() {
    Conv2d.forward(g, input, kernel, output);
    return output;
  }

  /** Forward, then the gradients with respect to both the input and the kernel. */
  @Benchmark
  public void forwardBackward(Blackhole bh) {
    Conv2d.forward(g, input, kernel, output);
    Conv2d.backwardData(g, gradOutput, kernel, gradInput);
    Conv2d.backwardWeights(g, input, gradOutput, gradKernel);
    bh.consume(output);
    bh.consume(gradInput);
    bh.consume(gradKernel);
  }
}

package io.github.maxnorm.kernel;

import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * Two-dimensional convolution (cross-correlation, as in Keras) on channels-last activations, by
 * oneDNN's convolution primitives or by lowering to matrix products ("im2col" followed by {@link
 * Gemm#sgemm}), whichever was measured faster for the pass and shape.
 *
 * <p>Which path runs: a 1x1 window with unit stride and no padding is a single matrix product. Any
 * other window runs the forward pass and both gradients through oneDNN's convolution primitives,
 * which also apply the bias and the ReLU (the ReLU's mask and the bias gradient in the backward
 * pass). Until issue 15 a first layer's gradients (fewer than 16 input channels) took the lowered
 * form, measured no slower there; once the bias and ReLU moved into the primitive path it lost by
 * 5 ms of an 87 ms {@code cnn128} step (docs/performance.md). The primitives are created once per
 * geometry and precision and kept in a bounded cache; a geometry oneDNN cannot express falls back
 * to the lowered form. Both paths give the same values up to float summation order, and each gives
 * bit-identical results from run to run for a given thread count.
 *
 * <p>Layouts, row-major: input {@code [batch, inH, inW, inC]}, kernel {@code [kernelH, kernelW,
 * inC, outC]}, output {@code [batch, outH, outW, outC]}. In the lowered form, for one image the
 * column matrix has one row per output pixel and {@code kernelH * kernelW * inC} columns, in the
 * kernel's own order, so that columns times kernel ({@code [kernelH * kernelW * inC, outC]}) is the
 * output directly. Images are processed in groups so that the column matrix stays of moderate size;
 * it is written straight into the matrix product's per-thread staging buffer (and the column
 * gradients are read straight from it), so it is never copied.
 *
 * <p>Every method overwrites its result array. Padding cells read as zero.
 */
public final class Conv2d {
  /** Target number of floats in one column buffer; a group holds at least one image. */
  private static final int COLUMN_BUDGET = 1 << 20;

  private Conv2d() {}

  /**
   * All sizes of one convolution. The padding after the input is implied by the output size: any
   * cell a window reaches beyond the input reads as zero.
   *
   * @param batch number of images
   * @param inH input height
   * @param inW input width
   * @param inC input channels
   * @param kernelH window height
   * @param kernelW window width
   * @param outC output channels (filters)
   * @param strideH vertical step between windows
   * @param strideW horizontal step between windows
   * @param padTop padding rows before the first input row
   * @param padLeft padding columns before the first input column
   * @param outH output height
   * @param outW output width
   */
  public record Geometry(
      int batch,
      int inH,
      int inW,
      int inC,
      int kernelH,
      int kernelW,
      int outC,
      int strideH,
      int strideW,
      int padTop,
      int padLeft,
      int outH,
      int outW) {

    public Geometry {
      if (batch < 0 || inH < 1 || inW < 1 || inC < 1 || kernelH < 1 || kernelW < 1 || outC < 1
          || strideH < 1 || strideW < 1 || padTop < 0 || padLeft < 0 || outH < 1 || outW < 1) {
        throw new IllegalArgumentException("conv2d: invalid geometry " + describe(batch, inH, inW,
            inC, kernelH, kernelW, outC, strideH, strideW, padTop, padLeft, outH, outW));
      }
      long in = (long) batch * inH * inW * inC;
      long out = (long) batch * outH * outW * outC;
      long cols = (long) outH * outW * kernelH * kernelW * inC;
      if (in > Integer.MAX_VALUE || out > Integer.MAX_VALUE || cols > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("conv2d: geometry too large " + describe(batch, inH,
            inW, inC, kernelH, kernelW, outC, strideH, strideW, padTop, padLeft, outH, outW));
      }
    }

    /** Floats in the input. */
    public int inputSize() {
      return batch * inH * inW * inC;
    }

    /** Floats in the kernel. */
    public int kernelSize() {
      return kernelH * kernelW * inC * outC;
    }

    /** Floats in the output. */
    public int outputSize() {
      return batch * outH * outW * outC;
    }

    /** Length of one column-matrix row: {@code kernelH * kernelW * inC}. */
    int patch() {
      return kernelH * kernelW * inC;
    }

    /** Whether the column matrix is the input itself (1x1 window, unit stride, no padding). */
    boolean pointwise() {
      return kernelH == 1 && kernelW == 1 && strideH == 1 && strideW == 1 && padTop == 0
          && padLeft == 0 && outH == inH && outW == inW;
    }

    /** Images per group so that a column buffer holds about {@link #COLUMN_BUDGET} floats. */
    int group() {
      int perImage = outH * outW * patch();
      return Math.max(1, Math.min(Math.max(batch, 1), COLUMN_BUDGET / perImage));
    }

    private static String describe(int... v) {
      return Arrays.toString(v)
          + " (batch, inH, inW, inC, kernelH, kernelW, outC, strideH, strideW, padTop, padLeft,"
          + " outH, outW)";
    }
  }

  /** {@code output = conv(input, kernel)}, in float32. */
  public static void forward(Geometry g, float[] input, float[] kernel, float[] output) {
    forward(g, Precision.FLOAT32, input, kernel, null, false, output);
  }

  /**
   * {@code output = relu?(conv(input, kernel) + bias)} in the given precision: the bias (one value
   * per output channel) is added unless null, and {@code max(x, 0)} applied when {@code relu}.
   * Returns a stamp for {@link #backward} that lets the kernel gradient reuse the input as this
   * pass staged it in native memory, or 0 where it cannot.
   */
  public static long forward(Geometry g, Precision precision, float[] input, float[] kernel,
      float[] bias, boolean relu, float[] output) {
    check("input", input, g.inputSize());
    check("kernel", kernel, g.kernelSize());
    check("output", output, g.outputSize());
    if (bias != null) {
      check("bias", bias, g.outC);
    }
    precision.requireSupported();
    if (!g.pointwise()) {
      long stamp = ConvPrimitives.forward(g, precision, input, kernel, bias, relu, output);
      if (stamp != 0) {
        return stamp;
      }
    }
    forwardLowered(g, precision, input, kernel, output);
    if (bias != null || relu) {
      BiasRelu.apply(output, 0, output.length / g.outC, g.outC, g.outC, bias, relu);
    }
    return 0;
  }

  /** {@link #forward} through im2col and matrix products, whatever the shape. */
  static void forwardLowered(Geometry g, float[] input, float[] kernel, float[] output) {
    forwardLowered(g, Precision.FLOAT32, input, kernel, output);
  }

  private static void forwardLowered(Geometry g, Precision p, float[] input, float[] kernel,
      float[] output) {
    int pixels = g.outH * g.outW;
    int patch = g.patch();
    if (g.pointwise()) {
      Gemm.gemm(p, false, false, g.batch * pixels, g.outC, patch, 1f, input, 0, patch,
          kernel, 0, g.outC, 0f, output, 0, g.outC);
      return;
    }
    int group = g.group();
    for (int n0 = 0; n0 < g.batch; n0 += group) {
      int n1 = Math.min(g.batch, n0 + group);
      int rows = (n1 - n0) * pixels;
      // the column matrix is written straight into the product's staging buffer
      FloatBuffer cols = Gemm.stagingA(rows * patch);
      im2col(g, input, n0, n1, cols);
      Gemm.sgemmStagedA(p, false, false, rows, g.outC, patch, 1f, patch,
          kernel, 0, g.outC, 0f, output, n0 * pixels * g.outC, g.outC);
    }
  }

  /** {@code gradInput} = the gradient with respect to the input, given that of the output. */
  public static void backwardData(
      Geometry g, float[] gradOutput, float[] kernel, float[] gradInput) {
    backward(g, Precision.FLOAT32, gradOutput, kernel, null, 0, gradInput, null);
  }

  /**
   * The gradients with respect to the input (into {@code gradInput}, unless null) and the kernel
   * (into {@code gradKernel}, unless null), given that of the output, in the given precision.
   * {@code stamp} is what {@link #forward} returned for {@code input} (or 0); with it the kernel
   * gradient may read the input as that pass staged it, so {@code input} must not have changed
   * since. {@code input} may be null when no kernel gradient is asked for.
   */
  public static void backward(Geometry g, Precision precision, float[] gradOutput,
      float[] kernel, float[] input, long stamp, float[] gradInput, float[] gradKernel) {
    backward(g, precision, gradOutput, null, false, kernel, input, stamp, gradInput, gradKernel,
        null, null);
  }

  /**
   * The backward pass of {@link #forward} with its bias and ReLU: from the gradient of the output
   * {@code gradOutput} and the output itself ({@code output}, needed with {@code relu}), the
   * gradients with respect to the input, the kernel and the bias (into {@code gradInput}, {@code
   * gradKernel}, {@code gradBias}; each skipped when null). Where the gradients go through oneDNN,
   * the ReLU's mask is applied while the output gradient is staged and the bias gradient comes
   * from oneDNN's kernel-gradient primitive (summed over the gradient as that primitive reads it,
   * bfloat16 in that precision); elsewhere {@link BiasRelu#backward} computes both in Java,
   * writing the masked gradient to {@code scratch} (the output's size; needed with {@code relu}).
   */
  public static void backward(Geometry g, Precision precision, float[] gradOutput, float[] output,
      boolean relu, float[] kernel, float[] input, long stamp, float[] gradInput,
      float[] gradKernel, float[] gradBias, float[] scratch) {
    check("gradOutput", gradOutput, g.outputSize());
    check("kernel", kernel, g.kernelSize());
    if (relu) {
      check("output", output, g.outputSize());
      check("scratch", scratch, g.outputSize());
    }
    if (gradInput != null) {
      check("gradInput", gradInput, g.inputSize());
    }
    if (gradKernel != null) {
      check("input", input, g.inputSize());
      check("gradKernel", gradKernel, g.kernelSize());
    }
    if (gradBias != null) {
      check("gradBias", gradBias, g.outC);
    }
    if (gradInput == null && gradKernel == null && gradBias == null) {
      return;
    }
    precision.requireSupported();
    if (!g.pointwise()
        && ConvPrimitives.backward(g, precision, gradOutput, relu ? output : null, kernel, input,
            stamp, gradInput, gradKernel, gradBias)) {
      return;
    }
    float[] gz = relu ? scratch : gradOutput;
    BiasRelu.backward(output, gradOutput, g.outC, relu, gz, gradBias);
    if (gradKernel != null) {
      backwardWeightsLowered(g, precision, input, gz, gradKernel);
    }
    if (gradInput != null) {
      backwardDataLowered(g, precision, gz, kernel, gradInput);
    }
  }

  /** {@link #backwardData} through matrix products and col2im, whatever the shape. */
  static void backwardDataLowered(
      Geometry g, float[] gradOutput, float[] kernel, float[] gradInput) {
    backwardDataLowered(g, Precision.FLOAT32, gradOutput, kernel, gradInput);
  }

  private static void backwardDataLowered(
      Geometry g, Precision p, float[] gradOutput, float[] kernel, float[] gradInput) {
    int pixels = g.outH * g.outW;
    int patch = g.patch();
    if (g.pointwise()) {
      Gemm.gemm(p, false, true, g.batch * pixels, patch, g.outC, 1f, gradOutput, 0, g.outC,
          kernel, 0, g.outC, 0f, gradInput, 0, patch);
      return;
    }
    Arrays.fill(gradInput, 0, g.inputSize(), 0f);
    int group = g.group();
    for (int n0 = 0; n0 < g.batch; n0 += group) {
      int n1 = Math.min(g.batch, n0 + group);
      int rows = (n1 - n0) * pixels;
      // d(cols) = d(out) * kernel^T, read back from the product's staging buffer
      FloatBuffer cols = Gemm.sgemmToStagedC(p, false, true, rows, patch, g.outC, 1f, gradOutput,
          n0 * pixels * g.outC, g.outC, kernel, 0, g.outC);
      col2im(g, cols, n0, n1, gradInput);
    }
  }

  /** {@code gradKernel} = the gradient with respect to the kernel, given that of the output. */
  public static void backwardWeights(
      Geometry g, float[] input, float[] gradOutput, float[] gradKernel) {
    check("kernel", gradKernel, g.kernelSize());
    backward(g, Precision.FLOAT32, gradOutput, gradKernel, input, 0, null, gradKernel);
  }

  /** {@link #backwardWeights} through im2col and matrix products, whatever the shape. */
  static void backwardWeightsLowered(
      Geometry g, float[] input, float[] gradOutput, float[] gradKernel) {
    backwardWeightsLowered(g, Precision.FLOAT32, input, gradOutput, gradKernel);
  }

  private static void backwardWeightsLowered(
      Geometry g, Precision p, float[] input, float[] gradOutput, float[] gradKernel) {
    int pixels = g.outH * g.outW;
    int patch = g.patch();
    if (g.batch == 0) {
      Arrays.fill(gradKernel, 0, g.kernelSize(), 0f);
      return;
    }
    if (g.pointwise()) {
      Gemm.gemm(p, true, false, patch, g.outC, g.batch * pixels, 1f, input, 0, patch,
          gradOutput, 0, g.outC, 0f, gradKernel, 0, g.outC);
      return;
    }
    int group = g.group();
    for (int n0 = 0; n0 < g.batch; n0 += group) {
      int n1 = Math.min(g.batch, n0 + group);
      int rows = (n1 - n0) * pixels;
      FloatBuffer cols = Gemm.stagingA(rows * patch);
      im2col(g, input, n0, n1, cols);
      // d(kernel) += cols^T * d(out)
      Gemm.sgemmStagedA(p, true, false, patch, g.outC, rows, 1f, patch,
          gradOutput, n0 * pixels * g.outC, g.outC, n0 == 0 ? 0f : 1f, gradKernel, 0, g.outC);
    }
  }

  /** Writes the column rows of images {@code [n0, n1)} to {@code cols} from index 0. */
  private static void im2col(Geometry g, float[] input, int n0, int n1, FloatBuffer cols) {
    int pixels = g.outH * g.outW;
    int patch = g.patch();
    int rows = (n1 - n0) * pixels;
    Parallel.forRange(rows, patch, (from, to) -> {
      int c = g.inC;
      int kw = g.kernelW;
      float[] zeros = new float[kw * c];
      for (int r = from; r < to; r++) {
        int n = n0 + r / pixels;
        int p = r % pixels;
        int y0 = (p / g.outW) * g.strideH - g.padTop;
        int x0 = (p % g.outW) * g.strideW - g.padLeft;
        int kxLo = Math.max(0, -x0);
        int kxHi = Math.min(kw, g.inW - x0);
        int dst = r * patch;
        for (int ky = 0; ky < g.kernelH; ky++, dst += kw * c) {
          int y = y0 + ky;
          if (y < 0 || y >= g.inH || kxLo >= kxHi) {
            cols.put(dst, zeros, 0, kw * c);
            continue;
          }
          if (kxLo > 0) {
            cols.put(dst, zeros, 0, kxLo * c);
          }
          int src = ((n * g.inH + y) * g.inW + x0 + kxLo) * c;
          cols.put(dst + kxLo * c, input, src, (kxHi - kxLo) * c);
          if (kxHi < kw) {
            cols.put(dst + kxHi * c, zeros, 0, (kw - kxHi) * c);
          }
        }
      }
    });
  }

  /** Adds the column rows of images {@code [n0, n1)} back onto {@code gradInput}. */
  private static void col2im(Geometry g, FloatBuffer cols, int n0, int n1, float[] gradInput) {
    int pixels = g.outH * g.outW;
    int patch = g.patch();
    Parallel.forRange(n1 - n0, pixels * patch, (from, to) -> {
      int c = g.inC;
      int kw = g.kernelW;
      float[] run = new float[kw * c];
      for (int i = from; i < to; i++) {
        int n = n0 + i;
        for (int p = 0; p < pixels; p++) {
          int y0 = (p / g.outW) * g.strideH - g.padTop;
          int x0 = (p % g.outW) * g.strideW - g.padLeft;
          int kxLo = Math.max(0, -x0);
          int kxHi = Math.min(kw, g.inW - x0);
          if (kxLo >= kxHi) {
            continue;
          }
          int len = (kxHi - kxLo) * c;
          int src = (i * pixels + p) * patch + kxLo * c;
          for (int ky = 0; ky < g.kernelH; ky++, src += kw * c) {
            int y = y0 + ky;
            if (y < 0 || y >= g.inH) {
              continue;
            }
            int dst = ((n * g.inH + y) * g.inW + x0 + kxLo) * c;
            cols.get(src, run, 0, len);
            for (int j = 0; j < len; j++) {
              gradInput[dst + j] += run[j];
            }
          }
        }
      }
    });
  }

  private static void check(String name, float[] x, int size) {
    if (x == null || x.length != size) {
      throw new IllegalArgumentException("conv2d: " + name + " needs " + size
          + " floats, received " + (x == null ? "null" : String.valueOf(x.length)));
    }
  }
}

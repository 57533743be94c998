package io.github.maxnorm.kernel;

import java.util.Arrays;

/**
 * Two-dimensional convolution with dilation and channel groups, on the layouts of {@link Conv2d}:
 * input {@code [batch, inH, inW, inC]}, kernel {@code [kernelH, kernelW, inC / groups, outC]},
 * output {@code [batch, outH, outW, outC]}. Output channel {@code o} belongs to group {@code o /
 * (outC / groups)} and reads that group's {@code inC / groups} input channels; window cell {@code
 * (ky, kx)} of output pixel {@code (oy, ox)} reads input pixel {@code (oy * strideH - padTop + ky *
 * dilationH, ox * strideW - padLeft + kx * dilationW)}, zero outside the input.
 *
 * <p>A geometry without dilation or groups runs through {@link Conv2d} (oneDNN or im2col); any
 * other runs here in plain loops: images split across threads for the output and the input
 * gradient, window cells split across threads for the kernel gradient, so every result element
 * sees its additions in a fixed order whatever the thread count. Every method overwrites its
 * result array.
 */
public final class GeneralConv {
  private GeneralConv() {}

  /**
   * All sizes of one convolution.
   *
   * @param base the sizes without dilation and groups (its {@code inC} is the whole input's)
   * @param dilationH vertical step between window cells
   * @param dilationW horizontal step between window cells
   * @param groups number of channel groups; divides {@code inC} and {@code outC}
   */
  public record Geometry(Conv2d.Geometry base, int dilationH, int dilationW, int groups) {
    public Geometry {
      if (base == null || dilationH < 1 || dilationW < 1 || groups < 1
          || base.inC() % groups != 0 || base.outC() % groups != 0) {
        throw new IllegalArgumentException(
            "conv2d: invalid geometry " + base + " with dilation (" + dilationH + ", "
                + dilationW + ") and " + groups + " groups (groups must divide the input and"
                + " output channels)");
      }
    }

    /** Whether this is a plain convolution, run by {@link Conv2d}. */
    public boolean plain() {
      return dilationH == 1 && dilationW == 1 && groups == 1;
    }

    public int inputSize() {
      return base.inputSize();
    }

    public int outputSize() {
      return base.outputSize();
    }

    /** Floats in the kernel, {@code kernelH * kernelW * (inC / groups) * outC}. */
    public int kernelSize() {
      return base.kernelH() * base.kernelW() * (base.inC() / groups) * base.outC();
    }

    /** The input coordinate of window cell {@code k} of output position {@code o} on one axis. */
    int inY(int oy, int ky) {
      return oy * base.strideH() - base.padTop() + ky * dilationH;
    }

    int inX(int ox, int kx) {
      return ox * base.strideW() - base.padLeft() + kx * dilationW;
    }
  }

  /** The work at one input channel of one window cell of one output pixel. */
  @FunctionalInterface
  private interface Tap {
    /**
     * @param in offset of the input value
     * @param out offset of the first output channel of the input channel's group
     * @param k offset of the kernel values from that input channel to those output channels
     */
    void run(int in, int out, int k);
  }

  /**
   * Runs {@code tap} for every output pixel of image {@code n}, every window cell in {@code
   * [cell0, cell1)} (row-major) that falls inside the input, and every input channel: pixels in
   * row-major order, then cells, then groups and channels.
   */
  private static void walk(Geometry g, int n, int cell0, int cell1, Tap tap) {
    Conv2d.Geometry b = g.base();
    int ci = b.inC() / g.groups();
    int co = b.outC() / g.groups();
    int kernelCell = ci * b.outC();
    for (int oy = 0; oy < b.outH(); oy++) {
      for (int ox = 0; ox < b.outW(); ox++) {
        int out = ((n * b.outH() + oy) * b.outW() + ox) * b.outC();
        for (int cell = cell0; cell < cell1; cell++) {
          int iy = g.inY(oy, cell / b.kernelW());
          int ix = g.inX(ox, cell % b.kernelW());
          if (iy < 0 || iy >= b.inH() || ix < 0 || ix >= b.inW()) {
            continue;
          }
          int in = ((n * b.inH() + iy) * b.inW() + ix) * b.inC();
          for (int gr = 0; gr < g.groups(); gr++) {
            for (int c = 0; c < ci; c++) {
              tap.run(in + gr * ci + c, out + gr * co, cell * kernelCell + c * b.outC() + gr * co);
            }
          }
        }
      }
    }
  }

  /** Runs {@code tap} over every image, all window cells, images split across threads. */
  private static void overImages(Geometry g, Tap tap) {
    Conv2d.Geometry b = g.base();
    long work = (long) b.outH() * b.outW() * b.kernelH() * b.kernelW() * b.inC() / g.groups()
        * b.outC();
    Parallel.forRange(b.batch(), (int) Math.min(work, Integer.MAX_VALUE), (n0, n1) -> {
      for (int n = n0; n < n1; n++) {
        walk(g, n, 0, b.kernelH() * b.kernelW(), tap);
      }
    });
  }

  /** {@code output = conv(input, kernel)}. */
  public static void forward(Geometry g, float[] input, float[] kernel, float[] output) {
    if (g.plain()) {
      Conv2d.forward(g.base(), input, kernel, output);
      return;
    }
    check(g, input, kernel, output);
    int co = g.base().outC() / g.groups();
    Arrays.fill(output, 0, g.outputSize(), 0f);
    overImages(g, (in, out, k) -> {
      float x = input[in];
      for (int j = 0; j < co; j++) {
        output[out + j] += x * kernel[k + j];
      }
    });
  }

  /** {@code gradInput} = the gradient with respect to the input, given that of the output. */
  public static void backwardData(
      Geometry g, float[] gradOutput, float[] kernel, float[] gradInput) {
    if (g.plain()) {
      Conv2d.backwardData(g.base(), gradOutput, kernel, gradInput);
      return;
    }
    check(g, gradInput, kernel, gradOutput);
    int co = g.base().outC() / g.groups();
    Arrays.fill(gradInput, 0, g.inputSize(), 0f);
    overImages(g, (in, out, k) -> {
      float s = 0f;
      for (int j = 0; j < co; j++) {
        s += gradOutput[out + j] * kernel[k + j];
      }
      gradInput[in] += s;
    });
  }

  /** {@code gradKernel} = the gradient with respect to the kernel, given that of the output. */
  public static void backwardWeights(
      Geometry g, float[] input, float[] gradOutput, float[] gradKernel) {
    if (g.plain()) {
      Conv2d.backwardWeights(g.base(), input, gradOutput, gradKernel);
      return;
    }
    check(g, input, gradKernel, gradOutput);
    Conv2d.Geometry b = g.base();
    int co = b.outC() / g.groups();
    Arrays.fill(gradKernel, 0, g.kernelSize(), 0f);
    int cells = b.kernelH() * b.kernelW();
    long work = (long) b.batch() * b.outH() * b.outW() * b.inC() / g.groups() * b.outC();
    Parallel.forRange(cells, (int) Math.min(work, Integer.MAX_VALUE), (c0, c1) -> {
      for (int n = 0; n < b.batch(); n++) {
        walk(g, n, c0, c1, (in, out, k) -> {
          float x = input[in];
          for (int j = 0; j < co; j++) {
            gradKernel[k + j] += x * gradOutput[out + j];
          }
        });
      }
    });
  }

  private static void check(Geometry g, float[] input, float[] kernel, float[] output) {
    if (input.length < g.inputSize() || kernel.length < g.kernelSize()
        || output.length < g.outputSize()) {
      throw new IllegalArgumentException(
          "conv2d: arrays of " + input.length + ", " + kernel.length + " and " + output.length
              + " floats are too small for " + g);
    }
  }
}

package io.github.maxnorm.kernel;

import java.util.Arrays;

/**
 * Two-dimensional max pooling on channels-last activations {@code [batch, height, width,
 * channels]}.
 *
 * <p>Each output cell is the maximum of the input cells its window covers; padding cells never win
 * (they are simply skipped), so every window must cover at least one input cell. The forward pass
 * records, per output cell, the flat index of the winning input cell (the first one on ties; a NaN
 * wins over numbers), which the backward pass uses to route gradients.
 */
public final class Pool2d {
  private Pool2d() {}

  /**
   * All sizes of one pooling.
   *
   * @param batch number of images
   * @param inH input height
   * @param inW input width
   * @param channels channels (unchanged by pooling)
   * @param poolH window height
   * @param poolW window width
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
      int channels,
      int poolH,
      int poolW,
      int strideH,
      int strideW,
      int padTop,
      int padLeft,
      int outH,
      int outW) {

    public Geometry {
      int[] v = {batch, inH, inW, channels, poolH, poolW, strideH, strideW, padTop, padLeft,
          outH, outW};
      if (batch < 0 || inH < 1 || inW < 1 || channels < 1 || poolH < 1 || poolW < 1
          || strideH < 1 || strideW < 1 || padTop < 0 || padLeft < 0 || outH < 1 || outW < 1) {
        throw new IllegalArgumentException("maxPool2d: invalid geometry " + describe(v));
      }
      if (padTop >= poolH || padLeft >= poolW
          || (long) (outH - 1) * strideH - padTop >= inH
          || (long) (outW - 1) * strideW - padLeft >= inW) {
        throw new IllegalArgumentException(
            "maxPool2d: some window covers only padding in geometry " + describe(v));
      }
      if ((long) batch * inH * inW * channels > Integer.MAX_VALUE
          || (long) batch * outH * outW * channels > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("maxPool2d: geometry too large " + describe(v));
      }
    }

    /** Floats in the input. */
    public int inputSize() {
      return batch * inH * inW * channels;
    }

    /** Floats (and arg-max indices) in the output. */
    public int outputSize() {
      return batch * outH * outW * channels;
    }

    private static String describe(int[] v) {
      return Arrays.toString(v)
          + " (batch, inH, inW, channels, poolH, poolW, strideH, strideW, padTop, padLeft, outH,"
          + " outW)";
    }
  }

  /** Writes the window maxima to {@code output} and the winners' input indices to {@code argMax}. */
  public static void forward(Geometry g, float[] input, float[] output, int[] argMax) {
    check("input", input == null ? -1 : input.length, g.inputSize());
    check("output", output == null ? -1 : output.length, g.outputSize());
    check("argMax", argMax == null ? -1 : argMax.length, g.outputSize());
    int c = g.channels;
    Parallel.forRange(g.batch * g.outH, g.outW * g.poolH * g.poolW * c, (from, to) -> {
      for (int row = from; row < to; row++) {
        int n = row / g.outH;
        int oy = row % g.outH;
        int yStart = oy * g.strideH - g.padTop;
        int yLo = Math.max(0, yStart);
        int yHi = Math.min(g.inH, yStart + g.poolH);
        for (int ox = 0; ox < g.outW; ox++) {
          int xStart = ox * g.strideW - g.padLeft;
          int xLo = Math.max(0, xStart);
          int xHi = Math.min(g.inW, xStart + g.poolW);
          int o = (row * g.outW + ox) * c;
          int first = ((n * g.inH + yLo) * g.inW + xLo) * c;
          System.arraycopy(input, first, output, o, c);
          for (int ch = 0; ch < c; ch++) {
            argMax[o + ch] = first + ch;
          }
          for (int y = yLo; y < yHi; y++) {
            for (int x = (y == yLo ? xLo + 1 : xLo); x < xHi; x++) {
              int base = ((n * g.inH + y) * g.inW + x) * c;
              for (int ch = 0; ch < c; ch++) {
                float v = input[base + ch];
                if (v > output[o + ch] || (v != v && output[o + ch] == output[o + ch])) {
                  output[o + ch] = v;
                  argMax[o + ch] = base + ch;
                }
              }
            }
          }
        }
      }
    });
  }

  /** Routes each output gradient to its window's winner; overwrites {@code gradInput}. */
  public static void backward(Geometry g, float[] gradOutput, int[] argMax, float[] gradInput) {
    check("gradOutput", gradOutput == null ? -1 : gradOutput.length, g.outputSize());
    check("argMax", argMax == null ? -1 : argMax.length, g.outputSize());
    check("gradInput", gradInput == null ? -1 : gradInput.length, g.inputSize());
    Arrays.fill(gradInput, 0f);
    int perImageOut = g.outH * g.outW * g.channels;
    int perImageIn = g.inH * g.inW * g.channels;
    Parallel.forRange(g.batch, perImageOut, (from, to) -> {
      for (int i = from * perImageOut; i < to * perImageOut; i++) {
        int target = argMax[i];
        if (target < from * perImageIn || target >= to * perImageIn) {
          throw new IllegalArgumentException(
              "maxPool2d: arg-max index " + target + " at output " + i + " is outside its image");
        }
        gradInput[target] += gradOutput[i];
      }
    });
  }

  /**
   * Writes the window means to {@code output}. Padding cells do not count: a window at the border
   * averages only the input cells it covers, as TensorFlow's and Keras's {@code 'same'} average
   * pooling does.
   */
  public static void averageForward(Geometry g, float[] input, float[] output) {
    check("input", input == null ? -1 : input.length, g.inputSize());
    check("output", output == null ? -1 : output.length, g.outputSize());
    int c = g.channels;
    Parallel.forRange(g.batch * g.outH, g.outW * g.poolH * g.poolW * c, (from, to) -> {
      for (int row = from; row < to; row++) {
        for (int ox = 0; ox < g.outW; ox++) {
          int o = (row * g.outW + ox) * c;
          java.util.Arrays.fill(output, o, o + c, 0f);
          int count = window(g, row, ox, (base) -> {
            for (int ch = 0; ch < c; ch++) {
              output[o + ch] += input[base + ch];
            }
          });
          float inv = 1f / count;
          for (int ch = 0; ch < c; ch++) {
            output[o + ch] *= inv;
          }
        }
      }
    });
  }

  /** Spreads each output gradient evenly over its window's input cells; overwrites gradInput. */
  public static void averageBackward(Geometry g, float[] gradOutput, float[] gradInput) {
    check("gradOutput", gradOutput == null ? -1 : gradOutput.length, g.outputSize());
    check("gradInput", gradInput == null ? -1 : gradInput.length, g.inputSize());
    Arrays.fill(gradInput, 0f);
    int c = g.channels;
    Parallel.forRange(g.batch, g.outH * g.outW * g.poolH * g.poolW * c, (from, to) -> {
      for (int row = from * g.outH; row < to * g.outH; row++) {
        for (int ox = 0; ox < g.outW; ox++) {
          int o = (row * g.outW + ox) * c;
          int count = window(g, row, ox, base -> { });
          float inv = 1f / count;
          window(g, row, ox, base -> {
            for (int ch = 0; ch < c; ch++) {
              gradInput[base + ch] += gradOutput[o + ch] * inv;
            }
          });
        }
      }
    });
  }

  /**
   * Runs {@code cell} with the offset of every input cell of the window of output row {@code row}
   * ({@code n * outH + oy}) and column {@code ox}, in row-major order; returns how many there are.
   */
  private static int window(Geometry g, int row, int ox, java.util.function.IntConsumer cell) {
    int n = row / g.outH;
    int yStart = (row % g.outH) * g.strideH - g.padTop;
    int xStart = ox * g.strideW - g.padLeft;
    int yHi = Math.min(g.inH, yStart + g.poolH);
    int xHi = Math.min(g.inW, xStart + g.poolW);
    int count = 0;
    for (int y = Math.max(0, yStart); y < yHi; y++) {
      for (int x = Math.max(0, xStart); x < xHi; x++) {
        cell.accept(((n * g.inH + y) * g.inW + x) * g.channels);
        count++;
      }
    }
    return count;
  }

  private static void check(String name, int length, int size) {
    if (length != size) {
      throw new IllegalArgumentException("maxPool2d: " + name + " needs " + size
          + " elements, received " + (length < 0 ? "null" : String.valueOf(length)));
    }
  }
}

package io.github.maxnorm.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Convolutions large enough for the lowered path to process them in several image groups (column
 * matrix written into, and column gradients read from, the product's staging buffer) agree with a
 * direct loop, through the lowered path and through the public entry points (oneDNN's primitives
 * at this shape).
 */
class ConvGroupsTest {

  private static float[] random(SplittableRandom r, int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) (r.nextDouble() * 2 - 1);
    }
    return a;
  }

  @Test
  void severalGroupsMatchADirectLoop() {
    // 32 x 32 x 32 input, 3 x 3 window, same padding: 294,912 column floats per image, so the
    // 1 M-float budget holds 3 images and a batch of 7 takes three groups
    int n = 7;
    int h = 32;
    int w = 32;
    int c = 32;
    int f = 4;
    Conv2d.Geometry g = new Conv2d.Geometry(n, h, w, c, 3, 3, f, 1, 1, 1, 1, h, w);
    SplittableRandom r = new SplittableRandom(91);
    float[] in = random(r, g.inputSize());
    float[] k = random(r, g.kernelSize());
    float[] gOut = random(r, g.outputSize());

    float[] out = new float[g.outputSize()];
    float[] gIn = new float[g.inputSize()];
    float[] gK = new float[g.kernelSize()];
    Conv2d.forward(g, in, k, out);
    Conv2d.backwardData(g, gOut, k, gIn);
    Conv2d.backwardWeights(g, in, gOut, gK);
    float[] lowOut = new float[g.outputSize()];
    float[] lowGIn = new float[g.inputSize()];
    float[] lowGK = new float[g.kernelSize()];
    Conv2d.forwardLowered(g, in, k, lowOut);
    Conv2d.backwardDataLowered(g, gOut, k, lowGIn);
    Conv2d.backwardWeightsLowered(g, in, gOut, lowGK);

    double[] wantOut = new double[g.outputSize()];
    double[] wantGIn = new double[g.inputSize()];
    double[] wantGK = new double[g.kernelSize()];
    for (int b = 0; b < n; b++) {
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          for (int ky = 0; ky < 3; ky++) {
            for (int kx = 0; kx < 3; kx++) {
              int iy = y + ky - 1;
              int ix = x + kx - 1;
              if (iy < 0 || iy >= h || ix < 0 || ix >= w) {
                continue;
              }
              for (int ci = 0; ci < c; ci++) {
                int ii = ((b * h + iy) * w + ix) * c + ci;
                for (int fo = 0; fo < f; fo++) {
                  int ki = ((ky * 3 + kx) * c + ci) * f + fo;
                  int oi = ((b * h + y) * w + x) * f + fo;
                  wantOut[oi] += (double) in[ii] * k[ki];
                  wantGIn[ii] += (double) gOut[oi] * k[ki];
                  wantGK[ki] += (double) in[ii] * gOut[oi];
                }
              }
            }
          }
        }
      }
    }
    for (int i = 0; i < out.length; i++) {
      assertEquals(wantOut[i], out[i], 1e-3, "output " + i);
      assertEquals(wantOut[i], lowOut[i], 1e-3, "lowered output " + i);
    }
    for (int i = 0; i < gIn.length; i++) {
      assertEquals(wantGIn[i], gIn[i], 1e-3, "input gradient " + i);
      assertEquals(wantGIn[i], lowGIn[i], 1e-3, "lowered input gradient " + i);
    }
    for (int i = 0; i < gK.length; i++) {
      assertEquals(wantGK[i], gK[i], 1e-2, "kernel gradient " + i);
      assertEquals(wantGK[i], lowGK[i], 1e-2, "lowered kernel gradient " + i);
    }
  }
}

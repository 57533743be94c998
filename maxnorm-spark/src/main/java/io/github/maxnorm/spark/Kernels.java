package io.github.maxnorm.spark;

import io.github.maxnorm.model.Model;
import io.github.maxnorm.nn.Parameter;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Facts about a model's weights that the sweep reports. */
public final class Kernels {
  private Kernels() {}

  /**
   * The largest L2 norm of one unit's incoming weights over every kernel (a unit is an index of a
   * kernel's last axis: a Dense column, a Conv2D filter); NaN when a kernel holds a non-finite
   * value.
   */
  public static double maxUnitNorm(Model m) {
    double max = 0;
    for (Parameter p : m.parameters()) {
      if (!p.name().equals("kernel") || p.shape().rank() < 2) {
        continue;
      }
      int units = p.shape().dim(-1);
      double[] sq = new double[units];
      float[] w = p.variable().data();
      for (int i = 0; i < w.length; i++) {
        sq[i % units] += (double) w[i] * w[i];
      }
      for (double s : sq) {
        double n = Math.sqrt(s);
        if (!Double.isFinite(n)) {
          return Double.NaN;
        }
        max = Math.max(max, n);
      }
    }
    return max;
  }

  /** The SHA-256, in hex, of every parameter's path and the bits of its values, in order. */
  public static String digest(Model m) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (Parameter p : m.parameters()) {
        md.update(p.path().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        float[] w = p.variable().data();
        ByteBuffer b = ByteBuffer.allocate(4 * w.length);
        for (float v : w) {
          b.putInt(Float.floatToRawIntBits(v));
        }
        md.update(b.array());
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}

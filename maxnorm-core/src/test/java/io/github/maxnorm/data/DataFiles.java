package io.github.maxnorm.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

/** Builders of small data files for tests. */
final class DataFiles {

  private DataFiles() {}

  /** An IDX file of unsigned bytes with the given dims and payload. */
  static byte[] idx(int[] dims, byte[] payload) {
    ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + payload.length);
    b.put((byte) 0).put((byte) 0).put((byte) 8).put((byte) dims.length);
    for (int d : dims) {
      b.putInt(d);
    }
    b.put(payload);
    return b.array();
  }

  static byte[] randomBytes(SplittableRandom rng, int n, int bound) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) rng.nextInt(bound);
    }
    return b;
  }

  static byte[] gzip(byte[] raw) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
        gz.write(raw);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A CIFAR-10 batch of {@code n} records with the given labels and random pixels. */
  static byte[] cifar(int[] labels, SplittableRandom rng) {
    byte[] out = new byte[labels.length * Cifar.RECORD];
    for (int r = 0; r < labels.length; r++) {
      out[r * Cifar.RECORD] = (byte) labels[r];
      for (int j = 1; j < Cifar.RECORD; j++) {
        out[r * Cifar.RECORD + j] = (byte) rng.nextInt(256);
      }
    }
    return out;
  }
}

package io.github.maxnorm.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reader of CIFAR-10 binary batches: records of one label byte (0-9) followed by 3072 pixel bytes
 * in three 32x32 planes (red, green, blue). Samples are stored channels-last ({@code [32, 32, 3]}).
 */
final class Cifar {

  static final int SIDE = 32;
  static final int CHANNELS = 3;
  static final int PIXELS = SIDE * SIDE * CHANNELS;
  static final int RECORD = 1 + PIXELS;
  static final int CLASSES = 10;

  private Cifar() {}

  /** Reads and concatenates the given batch files, in order. */
  static Dataset read(List<Path> files) throws IOException {
    List<byte[]> contents = new ArrayList<>();
    List<String> sources = new ArrayList<>();
    long total = 0;
    for (Path f : files) {
      String source = f.toString();
      if (!Files.isRegularFile(f)) {
        throw new InvalidDataException(source + ": file not found");
      }
      long size = Files.size(f);
      checkLength(source, size);
      total += size / RECORD;
      if (total * PIXELS > Idx.MAX_PAYLOAD_BYTES) {
        throw new InvalidDataException(
            source + ": the batches hold " + total + " images, more than the limit of "
                + Idx.MAX_PAYLOAD_BYTES + " bytes of pixel data");
      }
      contents.add(Files.readAllBytes(f));
      sources.add(source);
    }
    return parse(contents, sources);
  }

  /** Parses the content of one batch file. */
  static Dataset parse(byte[] content, String source) throws InvalidDataException {
    return parse(List.of(content), List.of(source));
  }

  private static Dataset parse(List<byte[]> contents, List<String> sources)
      throws InvalidDataException {
    int n = 0;
    for (int f = 0; f < contents.size(); f++) {
      checkLength(sources.get(f), contents.get(f).length);
      n += contents.get(f).length / RECORD;
    }
    byte[] pixels = new byte[n * PIXELS];
    int[] labels = new int[n];
    int sample = 0;
    int plane = SIDE * SIDE;
    for (int f = 0; f < contents.size(); f++) {
      byte[] c = contents.get(f);
      for (int r = 0; r < c.length / RECORD; r++, sample++) {
        int off = r * RECORD;
        int label = c[off] & 0xFF;
        if (label >= CLASSES) {
          throw new InvalidDataException(
              sources.get(f) + ": record " + r + " (byte offset " + off + ") has label " + label
                  + "; CIFAR-10 labels are 0-9");
        }
        labels[sample] = label;
        int dst = sample * PIXELS;
        for (int p = 0; p < plane; p++) {
          for (int ch = 0; ch < CHANNELS; ch++) {
            pixels[dst + p * CHANNELS + ch] = c[off + 1 + ch * plane + p];
          }
        }
      }
    }
    return Dataset.wrapBytes(new int[] {SIDE, SIDE, CHANNELS}, pixels, labels, CLASSES);
  }

  private static void checkLength(String source, long length) throws InvalidDataException {
    if (length == 0 || length % RECORD != 0) {
      throw new InvalidDataException(
          source + ": holds " + length + " bytes, not a positive multiple of " + RECORD
              + " (1 label byte + " + PIXELS + " pixel bytes per image)"
              + (length > RECORD ? "; " + length % RECORD + " bytes left over after "
                  + length / RECORD + " records" : ""));
    }
    if (length / RECORD * PIXELS > Idx.MAX_PAYLOAD_BYTES) {
      throw new InvalidDataException(
          source + ": holds " + length / RECORD + " images, more than the limit of "
              + Idx.MAX_PAYLOAD_BYTES + " bytes of pixel data");
    }
  }
}

package io.github.maxnorm.data;

import io.github.maxnorm.tensor.Tensor;

/**
 * One image as unsigned bytes, channels last.
 *
 * @param height rows
 * @param width columns
 * @param channels 1 (grayscale) or 3 (red, green, blue)
 * @param pixels {@code height * width * channels} bytes, row after row; copied in and out
 */
public record Image(int height, int width, int channels, byte[] pixels) {

  public Image {
    if (height < 1 || width < 1) {
      throw new IllegalArgumentException(
          "Image: height and width must be >= 1, received " + height + "x" + width);
    }
    if (channels != 1 && channels != 3) {
      throw new IllegalArgumentException("Image: channels must be 1 or 3, received " + channels);
    }
    if (pixels == null || (long) height * width * channels != pixels.length) {
      throw new IllegalArgumentException(
          "Image: " + height + "x" + width + "x" + channels + " needs "
              + (long) height * width * channels + " bytes, received "
              + (pixels == null ? "null" : pixels.length));
    }
    pixels = pixels.clone();
  }

  /** The pixels (a copy). */
  @Override
  public byte[] pixels() {
    return pixels.clone();
  }

  /** The sample shape {@code [height, width, channels]}. */
  public int[] sampleShape() {
    return new int[] {height, width, channels};
  }

  /**
   * A batch of one: shape {@code [1, height, width, channels]}, values {@code pixel / 255f}, the
   * scaling {@link Dataset} applies to byte samples.
   */
  public Tensor toTensor() {
    float[] x = new float[pixels.length];
    for (int i = 0; i < x.length; i++) {
      x[i] = (pixels[i] & 0xFF) / 255f;
    }
    return Tensor.of(x, 1, height, width, channels);
  }
}

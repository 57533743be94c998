package io.github.maxnorm.data;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Reads single images (PNG, JPEG, or any other format {@code javax.imageio} can decode) as samples
 * for prediction: converted to grayscale or RGB and resized by area averaging.
 */
public final class Images {

  private Images() {}

  /**
   * Reads {@code file} and resizes it to {@code height x width} by area averaging (each output
   * pixel is the mean of the source area it covers).
   *
   * @param channels 1 for grayscale (luma {@code 0.299 R + 0.587 G + 0.114 B}) or 3 for RGB
   * @throws InvalidDataException if the file is missing or not an image the JDK can decode
   */
  public static Image read(Path file, int height, int width, int channels) throws IOException {
    if (height < 1 || width < 1) {
      throw new IllegalArgumentException(
          "Images.read: height and width must be >= 1, received " + height + "x" + width);
    }
    if (channels != 1 && channels != 3) {
      throw new IllegalArgumentException(
          "Images.read: channels must be 1 or 3, received " + channels);
    }
    if (!Files.isRegularFile(file)) {
      throw new InvalidDataException(file + ": file not found");
    }
    BufferedImage img = decode(file);
    float[] src = toChannels(img, channels);
    byte[] out = resizeArea(src, img.getHeight(), img.getWidth(), channels, height, width);
    return new Image(height, width, channels, out);
  }

  /** The largest number of source pixels decoded (64 Mi). */
  static final long MAX_PIXELS = 1L << 26;

  private static BufferedImage decode(Path file) throws IOException {
    try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
      Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
      if (readers == null || !readers.hasNext()) {
        throw new InvalidDataException(
            file + ": not an image format this JVM can read (PNG, JPEG, GIF, BMP)");
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        long w = reader.getWidth(0);
        long h = reader.getHeight(0);
        if (w < 1 || h < 1 || w * h > MAX_PIXELS) {
          throw new InvalidDataException(
              file + ": image of " + w + "x" + h + " pixels is empty or larger than the limit of "
                  + MAX_PIXELS + " pixels");
        }
        return reader.read(0);
      } catch (InvalidDataException e) {
        throw e;
      } catch (IOException | RuntimeException e) {
        throw new InvalidDataException(file + ": cannot decode image (" + e + ")", e);
      } finally {
        reader.dispose();
      }
    }
  }

  /** The image as floats in [0, 255], {@code h x w x channels}. */
  private static float[] toChannels(BufferedImage img, int channels) {
    int h = img.getHeight();
    int w = img.getWidth();
    float[] out = new float[h * w * channels];
    Raster raster = img.getRaster();
    boolean gray = !(img.getColorModel() instanceof IndexColorModel)
        && img.getColorModel().getNumColorComponents() == 1;
    int bits = img.getColorModel().getComponentSize(0);
    float max = (float) ((1L << bits) - 1);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int o = (y * w + x) * channels;
        float r;
        float g;
        float b;
        if (gray) {
          // Raw samples: getRGB would apply a colour-space conversion to gray images.
          r = g = b = raster.getSample(x, y, 0) * 255f / max;
        } else {
          int rgb = img.getRGB(x, y);
          r = (rgb >> 16) & 0xFF;
          g = (rgb >> 8) & 0xFF;
          b = rgb & 0xFF;
        }
        if (channels == 1) {
          out[o] = 0.299f * r + 0.587f * g + 0.114f * b;
        } else {
          out[o] = r;
          out[o + 1] = g;
          out[o + 2] = b;
        }
      }
    }
    return out;
  }

  /** Area-average resize of an {@code h x w x c} float image to {@code oh x ow}, rounded to bytes. */
  static byte[] resizeArea(float[] src, int h, int w, int c, int oh, int ow) {
    byte[] out = new byte[oh * ow * c];
    double sy = (double) h / oh;
    double sx = (double) w / ow;
    double[] acc = new double[c];
    for (int oy = 0; oy < oh; oy++) {
      double y0 = oy * sy;
      double y1 = y0 + sy;
      for (int ox = 0; ox < ow; ox++) {
        double x0 = ox * sx;
        double x1 = x0 + sx;
        java.util.Arrays.fill(acc, 0);
        double area = 0;
        for (int y = (int) y0; y < Math.min(h, Math.ceil(y1)); y++) {
          double wy = Math.min(y + 1, y1) - Math.max(y, y0);
          if (wy <= 0) {
            continue;
          }
          for (int x = (int) x0; x < Math.min(w, Math.ceil(x1)); x++) {
            double wx = Math.min(x + 1, x1) - Math.max(x, x0);
            if (wx <= 0) {
              continue;
            }
            double wgt = wx * wy;
            area += wgt;
            int s = (y * w + x) * c;
            for (int ch = 0; ch < c; ch++) {
              acc[ch] += wgt * src[s + ch];
            }
          }
        }
        int o = (oy * ow + ox) * c;
        for (int ch = 0; ch < c; ch++) {
          long v = Math.round(acc[ch] / area);
          out[o + ch] = (byte) Math.max(0, Math.min(255, v));
        }
      }
    }
    return out;
  }
}

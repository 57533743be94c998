package io.github.maxnorm.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.maxnorm.tensor.Shape;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImagesTest {

  @TempDir Path dir;

  @Test
  void grayPngIsReadWithoutColourConversionAndAreaAveraged() throws IOException {
    BufferedImage img = new BufferedImage(4, 2, BufferedImage.TYPE_BYTE_GRAY);
    int[] v = {0, 100, 200, 255, 10, 20, 30, 40};
    for (int i = 0; i < 8; i++) {
      img.getRaster().setSample(i % 4, i / 4, 0, v[i]);
    }
    Path p = dir.resolve("g.png");
    ImageIO.write(img, "png", p.toFile());
    Image same = Images.read(p, 2, 4, 1);
    byte[] px = same.pixels();
    for (int i = 0; i < 8; i++) {
      assertEquals(v[i], px[i] & 0xFF);
    }
    Image half = Images.read(p, 1, 2, 1);
    // Each output pixel is the mean of a 2x2 block.
    assertEquals(Math.round((0 + 100 + 10 + 20) / 4.0), half.pixels()[0] & 0xFF);
    assertEquals(Math.round((200 + 255 + 30 + 40) / 4.0), half.pixels()[1] & 0xFF);
    assertEquals(Shape.of(1, 1, 2, 1), half.toTensor().shape());
  }

  @Test
  void rgbPngToRgbAndLuma() throws IOException {
    BufferedImage img = new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB);
    img.setRGB(0, 0, 0xFF0000);
    img.setRGB(1, 0, 0x00FF00);
    img.setRGB(0, 1, 0x0000FF);
    img.setRGB(1, 1, 0xFFFFFF);
    Path p = dir.resolve("c.png");
    ImageIO.write(img, "png", p.toFile());
    Image rgb = Images.read(p, 2, 2, 3);
    byte[] px = rgb.pixels();
    assertArrayEquals(new int[] {255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255},
        toInts(px));
    Image gray = Images.read(p, 2, 2, 1);
    assertArrayEquals(new int[] {76, 150, 29, 255}, toInts(gray.pixels()));
    // Upscaling 2x2 -> 4x4 repeats each pixel in a 2x2 block.
    Image up = Images.read(p, 4, 4, 1);
    assertEquals(76, up.pixels()[0] & 0xFF);
    assertEquals(76, up.pixels()[5] & 0xFF);
    assertEquals(255, up.pixels()[15] & 0xFF);
    float[] t = up.toTensor().toArray();
    assertEquals(76 / 255f, t[0], 0f);
  }

  @Test
  void jpegIsRead() throws IOException {
    BufferedImage img = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 16; y++) {
      for (int x = 0; x < 16; x++) {
        img.setRGB(x, y, 0x808080);
      }
    }
    Path p = dir.resolve("c.jpg");
    ImageIO.write(img, "jpeg", p.toFile());
    Image g = Images.read(p, 28, 28, 1);
    for (byte b : g.pixels()) {
      assertEquals(128, b & 0xFF, 3);
    }
  }

  @Test
  void garbageAndMissingFilesAreInvalidData() throws IOException {
    Path p = dir.resolve("x.png");
    Files.write(p, new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
    InvalidDataException e = assertThrows(InvalidDataException.class,
        () -> Images.read(p, 28, 28, 1));
    assertTrue(e.getMessage().startsWith(p.toString()), e.getMessage());
    Path q = dir.resolve("y.txt");
    Files.writeString(q, "hello");
    assertThrows(InvalidDataException.class, () -> Images.read(q, 28, 28, 1));
    assertThrows(InvalidDataException.class, () -> Images.read(dir.resolve("z.png"), 2, 2, 1));
    assertThrows(IllegalArgumentException.class, () -> Images.read(q, 0, 2, 1));
    assertThrows(IllegalArgumentException.class, () -> Images.read(q, 2, 2, 2));
  }

  private static int[] toInts(byte[] b) {
    int[] r = new int[b.length];
    for (int i = 0; i < b.length; i++) {
      r[i] = b[i] & 0xFF;
    }
    return r;
  }
}

package io.github.maxnorm.interop.keras;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Arrays;

/** Test resources and small helpers. */
final class Resources {
  private Resources() {}

  /** The path of the test resource {@code keras/<relative>}. */
  static Path keras(String relative) {
    try {
      return Path.of(Resources.class.getResource("/keras/" + relative).toURI());
    } catch (URISyntaxException | NullPointerException e) {
      throw new IllegalStateException("missing test resource keras/" + relative, e);
    }
  }

  /** {@code np.arange(n)} as floats. */
  static float[] arange(int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = i;
    }
    return a;
  }

  static String shape(KerasWeight w) {
    return Arrays.toString(w.shape());
  }
}

package io.github.maxnorm.kernel;

import org.bytedeco.dnnl.global.dnnl;
import org.bytedeco.javacpp.Loader;

/**
 * Loads oneDNN once. Every other class of this package reaches the native library through here, so
 * that a failure to load is reported in one place, naming the artifacts that were expected.
 */
final class Native {
  private static final String PLATFORM = Loader.getPlatform();
  private static volatile boolean loaded;

  private Native() {}

  static void ensureLoaded() {
    if (loaded) {
      return;
    }
    synchronized (Native.class) {
      if (loaded) {
        return;
      }
      try {
        Loader.load(dnnl.class);
      } catch (Throwable e) {
        throw new IllegalStateException(
            "could not load oneDNN for platform "
                + PLATFORM
                + ": expected org.bytedeco:dnnl:3.11-1.5.13:"
                + PLATFORM
                + " and org.bytedeco:opencl:3.0-1.5.13:"
                + PLATFORM
                + " on the class path ("
                + e
                + ")",
            e);
      }
      loaded = true;
    }
  }
}

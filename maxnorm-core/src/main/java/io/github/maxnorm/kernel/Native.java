package io.github.maxnorm.kernel;

import java.nio.FloatBuffer;
import org.bytedeco.dnnl.engine;
import org.bytedeco.dnnl.global.dnnl;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Loader;

/**
 * Loads oneDNN once. Every other class of this package reaches the native library through here, so
 * that a failure to load is reported in one place, naming the artifacts that were expected.
 */
final class Native {
  private static final String PLATFORM = Loader.getPlatform();
  private static volatile boolean loaded;
  private static engine cpu;

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

  /** The CPU engine every primitive of this package runs on, created on first use. */
  static synchronized engine engine() {
    ensureLoaded();
    if (cpu == null) {
      cpu = new engine(engine.kind.cpu, 0);
    }
    return cpu;
  }

  /**
   * Native floats seen two ways: as a pointer for oneDNN's primitives and as a buffer for copies
   * from and to Java arrays. Freed when unreachable (JavaCPP's deallocator).
   */
  record Floats(FloatPointer pointer, FloatBuffer buffer) {
    static Floats allocate(int n) {
      ensureLoaded();
      FloatPointer p = new FloatPointer(Math.max(n, 1));
      return new Floats(p, p.asBuffer());
    }

    int capacity() {
      return buffer.capacity();
    }
  }
}

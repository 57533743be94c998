package io.github.maxnorm.kernel;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.Pointer;

/**
 * The oneDNN objects (primitives, descriptors, memory, streams) one cached instance of this
 * package created, closed together in reverse order of creation when the instance is evicted or
 * its construction fails.
 */
abstract class NativeResources {
  private final List<Pointer> owned = new ArrayList<>();

  /** Registers {@code p} to be closed with this instance; returns it. */
  final <T extends Pointer> T own(T p) {
    owned.add(p);
    return p;
  }

  /** Closes every registered object, the last created first. */
  final void release() {
    for (int i = owned.size() - 1; i >= 0; i--) {
      owned.get(i).close();
    }
    owned.clear();
  }
}

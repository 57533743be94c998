package io.github.maxnorm.tensor;

/**
 * Whether operations record the graph for reverse-mode differentiation on the current thread.
 * Recording is on by default; {@link #off()} turns it off for a scope:
 *
 * <pre>{@code
 * try (GradMode.Scope ignored = GradMode.off()) {
 *   Tensor y = model.predict(x); // records nothing
 * }
 * }</pre>
 */
public final class GradMode {
  private static final ThreadLocal<boolean[]> ENABLED = ThreadLocal.withInitial(() -> new boolean[] {true});

  private GradMode() {}

  /** Whether the current thread records operations. */
  public static boolean isEnabled() {
    return ENABLED.get()[0];
  }

  /** Turns recording off until the returned scope is closed, then restores the previous mode. */
  public static Scope off() {
    boolean[] flag = ENABLED.get();
    boolean previous = flag[0];
    flag[0] = false;
    return () -> flag[0] = previous;
  }

  /** A scope that restores the previous mode when closed. */
  @FunctionalInterface
  public interface Scope extends AutoCloseable {
    @Override
    void close();
  }
}

package io.github.maxnorm.kernel;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * For tests that change {@link Parallel}'s thread count or grain: records both before each test and
 * puts them back after it ({@code @ExtendWith(RestoreParallelSettings.class)}).
 */
public final class RestoreParallelSettings implements BeforeEachCallback, AfterEachCallback {
  private static final ExtensionContext.Namespace NS =
      ExtensionContext.Namespace.create(RestoreParallelSettings.class);

  @Override
  public void beforeEach(ExtensionContext context) {
    context.getStore(NS).put("saved", new int[] {Parallel.threads(), Parallel.grain()});
  }

  @Override
  public void afterEach(ExtensionContext context) {
    int[] saved = context.getStore(NS).get("saved", int[].class);
    Parallel.setThreads(saved[0]);
    Parallel.setGrain(saved[1]);
  }
}

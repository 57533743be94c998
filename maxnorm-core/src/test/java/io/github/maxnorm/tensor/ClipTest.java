package io.github.maxnorm.tensor;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClipTest {
  @Test
  void clipForwardAndGradient() {
    // values away from the bounds so central differences do not straddle a kink
    Tensor x = Tensor.of(new float[] {-0.9f, -0.3f, 0.1f, 0.45f, 0.8f, 0.2f}, 2, 3);
    GradCheck.check(
        in -> in.get(0).clip(-0.5f, 0.5f),
        r -> Arrays.stream(r.get(0)).map(v -> Math.min(Math.max(v, -0.5), 0.5)).toArray(),
        List.of(x),
        1e-4);
  }

  @Test
  void clipKeepsNaNAndRejectsBadBounds() {
    assertTrue(Float.isNaN(Tensor.of(new float[] {Float.NaN}, 1).clip(0f, 1f).get(0)));
    assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(1).clip(1f, 0f));
  }
}

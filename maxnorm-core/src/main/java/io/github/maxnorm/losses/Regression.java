package io.github.maxnorm.losses;

import io.github.maxnorm.nn.Config;
import io.github.maxnorm.tensor.Tensor;
import java.util.Map;

/**
 * The regression losses, averaged over all outputs (Keras's mean over the last axis, then over
 * the batch): mean squared error, mean absolute error, and Huber's loss {@code 0.5 e^2} for
 * {@code |e| <= delta}, {@code delta (|e| - 0.5 delta)} beyond. Targets have the output's shape
 * (class labels are turned into one-hot rows).
 *
 * @param kind {@code MeanSquaredError}, {@code MeanAbsoluteError} or {@code Huber}
 * @param delta Huber's threshold (ignored by the others)
 */
public record Regression(String kind, double delta) implements Loss {
  public Regression {
    if (!kind.equals("MeanSquaredError") && !kind.equals("MeanAbsoluteError")
        && !kind.equals("Huber")) {
      throw new IllegalArgumentException("Regression: unknown loss " + kind);
    }
    if (!(delta > 0)) {
      throw new IllegalArgumentException(kind + ": delta must be > 0, received " + delta);
    }
  }

  @Override
  public Tensor compute(Tensor output, Tensor targets) {
    Tensor e = output.sub(Targets.dense(kind, output, targets));
    return switch (kind) {
      case "MeanSquaredError" -> e.square().mean();
      case "MeanAbsoluteError" -> e.abs().mean();
      default -> {
        Tensor a = e.abs();
        Tensor q = a.minimum(Tensor.scalar((float) delta));
        yield q.square().mul(Tensor.scalar(0.5f))
            .add(a.sub(q).mul(Tensor.scalar((float) delta))).mean();
      }
    };
  }

  @Override
  public Config config() {
    return kind.equals("Huber") ? new Config(kind, Map.of("delta", delta)) : new Config(kind, Map.of());
  }
}

package io.github.maxnorm.losses;

import io.github.maxnorm.nn.Config;
import io.github.maxnorm.tensor.Tensor;
import java.util.Map;

/**
 * Binary cross-entropy, averaged over all outputs. With one output column a class label (0 or 1)
 * is the target; with several, the one-hot row; float targets of the output's shape are used as
 * they are. From logits it uses the stable form {@code max(x, 0) - x y + log(1 + exp(-|x|))}; from
 * probabilities the output is clipped to {@code [1e-7, 1 - 1e-7]}.
 */
public record BinaryCrossentropy(boolean fromLogits) implements Loss {
  @Override
  public Tensor compute(Tensor output, Tensor targets) {
    Tensor y = Targets.dense("BinaryCrossentropy", output, targets);
    Tensor per;
    if (fromLogits) {
      Tensor absx = output.relu().add(output.neg().relu());
      per = output.relu().sub(output.mul(y)).add(absx.neg().exp().add(Tensor.scalar(1f)).log());
    } else {
      Tensor p = output.clip(CategoricalCrossentropy.EPSILON, 1f - CategoricalCrossentropy.EPSILON);
      Tensor one = Tensor.scalar(1f);
      per = y.mul(p.log()).add(one.sub(y).mul(one.sub(p).log())).neg();
    }
    return per.mean();
  }

  @Override
  public Config config() {
    return new Config("BinaryCrossentropy", Map.of("from_logits", fromLogits));
  }
}

package io.github.maxnorm.spark;

import io.github.maxnorm.model.History;
import io.github.maxnorm.model.Model;
import java.util.List;

/**
 * What {@link DataParallelTrainer#fit} did.
 *
 * @param model the trained model (the one passed in, updated in place)
 * @param history one row per completed epoch: the mean loss and metrics over the epoch's steps and
 *     replicas, and {@code lr}
 * @param rounds every round of this call, in order
 * @param diverged whether a round's loss was not finite (training stopped after it)
 * @param replicas the number of replicas (non-empty partitions)
 * @param stepsPerEpoch global steps per epoch
 */
public record TrainingResult(
    Model model, History history, List<RoundLog> rounds, boolean diverged, int replicas,
    long stepsPerEpoch) {

  public TrainingResult {
    rounds = List.copyOf(rounds);
  }
}

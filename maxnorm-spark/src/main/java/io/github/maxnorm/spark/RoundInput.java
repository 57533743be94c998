package io.github.maxnorm.spark;

import java.io.Serializable;

/**
 * What the driver broadcasts each round: the averaged state of the previous round and the counters
 * every replica starts from.
 *
 * @param round the 0-based round
 * @param state the weights and optimizer slots ({@link StateLayout}); not copied (it is large and
 *     read-only once broadcast)
 * @param iterations the global step the round starts at (the optimizer's iteration count)
 * @param steps the local steps each replica takes
 * @param learningRate the optimizer's learning rate before decay
 * @param momentum the optimizer's momentum
 */
record RoundInput(
    int round, float[] state, long iterations, int steps, double learningRate, double momentum)
    implements Serializable {

  RoundInput {
    if (round < 0 || iterations < 0 || steps < 1 || state == null) {
      throw new IllegalArgumentException(
          "RoundInput: round " + round + ", iterations " + iterations + ", steps " + steps);
    }
  }
}

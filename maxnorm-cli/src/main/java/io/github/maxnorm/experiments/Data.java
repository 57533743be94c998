package io.github.maxnorm.experiments;

import io.github.maxnorm.data.Dataset;
import io.github.maxnorm.data.Datasets;
import io.github.maxnorm.data.TrainTest;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The data an experiment runs on: Fashion-MNIST, or a slice of the bundled MNIST sample. */
final class Data {
  private Data() {}

  /**
   * Fashion-MNIST (60,000 + 10,000) for a full run; for a quick run the first {@code quickTrain}
   * training and {@code quickTest} test samples of the bundled MNIST sample. A full run with a
   * training size keeps the first that many Fashion-MNIST training samples and the whole test set.
   */
  static TrainTest load(Settings s, int quickTrain, int quickTest) {
    try {
      if (!s.quick()) {
        TrainTest f = Datasets.fashionMnist();
        return s.trainSize() > 0 ? new TrainTest(first(f.train(), s.trainSize()), f.test()) : f;
      }
      TrainTest t = Datasets.mnistSample();
      return new TrainTest(first(t.train(), quickTrain), first(t.test(), quickTest));
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read " + (s.quick() ? "the bundled MNIST sample" : "Fashion-MNIST from "
              + Datasets.FASHION_MNIST_DIR + " (apt-get install dataset-fashion-mnist)"), e);
    }
  }

  /** The first {@code n} samples (all of them when there are fewer). */
  static Dataset first(Dataset d, int n) {
    int k = Math.min(n, d.size());
    int[] idx = new int[k];
    for (int i = 0; i < k; i++) {
      idx[i] = i;
    }
    return d.subset(idx);
  }

  /** Samples {@code [from, to)}. */
  static Dataset range(Dataset d, int from, int to) {
    int[] idx = new int[to - from];
    for (int i = 0; i < idx.length; i++) {
      idx[i] = from + i;
    }
    return d.subset(idx);
  }
}

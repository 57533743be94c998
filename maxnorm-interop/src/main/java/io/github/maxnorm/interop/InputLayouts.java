package io.github.maxnorm.interop;

import io.github.maxnorm.data.Dataset;
import io.github.maxnorm.tensor.Shape;

/**
 * Feeds a data set to a model whose input is laid out otherwise: images ({@code [H, W, C]}, as
 * maxnorm's data sets hold them) to a channels-first model ({@code [C, H, W]}, Keras 1's {@code
 * th} ordering), transposed; and samples to a model whose input holds as many values in another
 * shape ({@code (784,)} or {@code (28, 28)} for 28x28x1 digits), reshaped. Each adaptation says
 * what it did, so a run can tell its user.
 */
public final class InputLayouts {
  private InputLayouts() {}

  /**
   * A data set and what was done to it.
   *
   * @param data the samples in the model's layout
   * @param note one line saying what was done, or null when nothing was
   */
  public record Adapted(Dataset data, String note) {}

  /**
   * {@code data} in the layout of a model taking samples of shape {@code want}.
   *
   * @throws IllegalArgumentException when the sizes differ, or the data set has no labels to carry
   */
  public static Adapted adapt(Dataset data, Shape want) {
    Shape have = data.sampleShape();
    if (have.equals(want)) {
      return new Adapted(data, null);
    }
    if (have.size() != want.size()) {
      throw new IllegalArgumentException("the model takes samples of shape " + want
          + ", the data set has " + have);
    }
    if (!data.hasLabels()) {
      throw new IllegalArgumentException("the model takes samples of shape " + want
          + ", the data set has " + have + " (only labelled data sets are adapted)");
    }
    float[] x = data.all().x().toArray();
    int[] h = have.dims();
    int[] w = want.dims();
    boolean channelsFirst = h.length == 3 && w.length == 3 && w[0] == h[2] && w[1] == h[0]
        && w[2] == h[1];
    String note;
    if (channelsFirst) {
      x = toChannelsFirst(x, data.size(), h[0], h[1], h[2]);
      note = "the model is channels-first: transposed the samples from " + have + " to " + want;
    } else {
      note = "the model takes " + want.size() + " values per sample as " + want
          + ": reshaped the samples from " + have;
    }
    return new Adapted(Dataset.ofFloats(w, x, data.labels(), data.numClasses()), note);
  }

  /** {@code [n, h, w, c]} values as {@code [n, c, h, w]}. */
  static float[] toChannelsFirst(float[] x, int n, int height, int width, int channels) {
    float[] r = new float[x.length];
    int plane = height * width;
    for (int s = 0; s < n; s++) {
      int base = s * plane * channels;
      for (int p = 0; p < plane; p++) {
        for (int c = 0; c < channels; c++) {
          r[base + c * plane + p] = x[base + p * channels + c];
        }
      }
    }
    return r;
  }

}

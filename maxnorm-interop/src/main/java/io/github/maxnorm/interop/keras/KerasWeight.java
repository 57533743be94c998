package io.github.maxnorm.interop.keras;

import java.util.Arrays;
import java.util.Objects;

/**
 * One weight array of a Keras layer as a file stores it: its name as written in the file, its shape,
 * its values in row-major order, and the element type the file declared.
 *
 * <p>Values are held as float32. A file that stores another floating type (float16, float64) or an
 * integer type keeps that name in {@link #dtype()}; the values are converted to float32 on reading
 * (float64 rounds to nearest). Writers always store float32.
 *
 * @param name the weight's name in the file (e.g. {@code dense_1/kernel:0}, {@code dense_1_W},
 *     {@code kernel}); see {@link #shortName(String)}
 * @param shape the dimensions; {@code []} is a scalar
 * @param values the values, row-major; their count equals the product of {@code shape}
 * @param dtype the element type the file declared, in numpy spelling ({@code float32}, {@code
 *     float64}, {@code float16}, {@code int32}, ...)
 */
public record KerasWeight(String name, int[] shape, float[] values, String dtype) {

  /** Validates and copies the arrays in. */
  public KerasWeight {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(shape, "shape");
    Objects.requireNonNull(values, "values");
    Objects.requireNonNull(dtype, "dtype");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("KerasWeight: name must not be empty");
    }
    long count = 1;
    for (int d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException(
            "KerasWeight " + name + ": negative dimension in shape " + Arrays.toString(shape));
      }
      count *= d;
      if (count > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(
            "KerasWeight " + name + ": shape " + Arrays.toString(shape) + " holds too many values");
      }
    }
    if (count != values.length) {
      throw new IllegalArgumentException(
          "KerasWeight " + name + ": shape " + Arrays.toString(shape) + " holds " + count
              + " values, received " + values.length);
    }
    shape = shape.clone();
    values = values.clone();
  }

  /** A float32 weight. */
  public static KerasWeight of(String name, int[] shape, float[] values) {
    return new KerasWeight(name, shape, values, "float32");
  }

  @Override
  public int[] shape() {
    return shape.clone();
  }

  @Override
  public float[] values() {
    return values.clone();
  }

  /** The number of values (the product of the shape). */
  public int size() {
    return values.length;
  }

  /** The rank (number of dimensions). */
  public int rank() {
    return shape.length;
  }

  /** This weight under another name, values unchanged. */
  public KerasWeight withName(String newName) {
    return new KerasWeight(newName, shape, values, dtype);
  }

  /**
   * The bare variable name inside a file name: the part after the last {@code /} without a
   * {@code :N} suffix ({@code dense_1/kernel:0} gives {@code kernel}). Keras 1 names such as {@code
   * dense_1_W:0} keep their layer prefix ({@code dense_1_W}); {@link KerasWeightNormalizer} maps
   * those by position.
   */
  public static String shortName(String fileName) {
    String n = fileName;
    int colon = n.lastIndexOf(':');
    if (colon > 0 && colon < n.length() - 1 && n.substring(colon + 1).chars().allMatch(Character::isDigit)) {
      n = n.substring(0, colon);
    }
    int slash = n.lastIndexOf('/');
    return slash >= 0 && slash < n.length() - 1 ? n.substring(slash + 1) : n;
  }

  /** Equal when name, shape, dtype and every value's bits are equal. */
  @Override
  public boolean equals(Object o) {
    return o instanceof KerasWeight w
        && name.equals(w.name)
        && dtype.equals(w.dtype)
        && Arrays.equals(shape, w.shape)
        && Arrays.equals(values, w.values);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, dtype, Arrays.hashCode(shape), Arrays.hashCode(values));
  }

  @Override
  public String toString() {
    return name + " " + dtype + Arrays.toString(shape);
  }
}

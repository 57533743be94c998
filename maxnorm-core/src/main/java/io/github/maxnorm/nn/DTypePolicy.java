package io.github.maxnorm.nn;

import io.github.maxnorm.kernel.Precision;
import java.util.Locale;

/**
 * Keras's dtype policy of a layer: the type its variables are stored in and the type its
 * computations run in. Variables are always float32 here; the policies differ in the products.
 *
 * <ul>
 *   <li>{@code float32}: everything in float32.
 *   <li>{@code mixed_bfloat16}: the matrix products and convolutions of the layer (forward and
 *       backward) take bfloat16 operands, rounded from the float32 values, and accumulate in
 *       float32 into float32 results. Variables, optimizer state, the bias, activations, softmax,
 *       the loss and the constraint projection stay float32, so a max-norm bound holds exactly on
 *       the float32 master weights. Unlike Keras, which keeps a mixed layer's outputs in bfloat16,
 *       the outputs here stay float32 (only the products' operands are rounded). Layers without
 *       products compute as under {@code float32}. Needs a CPU with AVX-512 BF16 or AMX ({@link
 *       Precision#supported()}); elsewhere the first forward pass fails saying so.
 * </ul>
 *
 * <p>A layer's policy is its {@code dtype} config key, as Keras writes it: the name, or Keras's
 * serialized policy object ({@code {"class_name": "Policy" | "DTypePolicy", "config": {"name":
 * ...}}}). A layer without a policy of its own follows its model's default ({@code
 * Model.dtypePolicy}), which is float32 unless set; there is no process-wide policy.
 */
public enum DTypePolicy {
  FLOAT32("float32", Precision.FLOAT32),
  MIXED_BFLOAT16("mixed_bfloat16", Precision.BFLOAT16);

  private final String kerasName;
  private final Precision precision;

  DTypePolicy(String kerasName, Precision precision) {
    this.kerasName = kerasName;
    this.precision = precision;
  }

  /** Keras's name: {@code float32} or {@code mixed_bfloat16}. */
  public String kerasName() {
    return kerasName;
  }

  /** The precision of the layer's matrix products and convolutions. */
  public Precision precision() {
    return precision;
  }

  /** Keras's {@code compute_dtype}: {@code float32} or {@code bfloat16}. */
  public String computeDtype() {
    return precision == Precision.BFLOAT16 ? "bfloat16" : "float32";
  }

  /** Keras's {@code variable_dtype}: always {@code float32}. */
  public String variableDtype() {
    return "float32";
  }

  /**
   * The policy of a Keras name (case-insensitive).
   *
   * @throws IllegalArgumentException naming the value received and the names supported
   */
  public static DTypePolicy of(String name) {
    if (name != null) {
      for (DTypePolicy p : values()) {
        if (p.kerasName.equals(name.toLowerCase(Locale.ROOT))) {
          return p;
        }
      }
    }
    throw new IllegalArgumentException(
        "dtype must be float32 or mixed_bfloat16, received '" + name + "'");
  }

  @Override
  public String toString() {
    return kerasName;
  }
}

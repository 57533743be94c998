package io.github.maxnorm.tensor;

import io.github.maxnorm.kernel.Precision;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A float32, row-major, n-dimensional array that records the operations applied to it for
 * reverse-mode differentiation.
 *
 * <p>Tensors are immutable from the user's side: every operation returns a new tensor, and arrays
 * are copied in ({@link #of}) and out ({@link #toArray}). The one exception is the value of a
 * {@link Variable}, a live view of the variable's storage that an optimizer updates in place.
 *
 * <p>An operation records itself (for {@link Autograd}) when grad mode is on ({@link GradMode}) and
 * at least one operand requires a gradient.
 */
public final class Tensor {
  final float[] data;
  final Shape shape;
  final boolean requiresGrad;
  /** The operation that produced this tensor; null for leaves and after the graph is released. */
  Op creator;
  /** Set once a backward pass has consumed the graph behind this tensor. */
  boolean released;
  /** Set when the {@link Workspace} scope this tensor was computed in closed: storage reused. */
  boolean recycled;
  /** The variable whose storage this tensor views, or null. */
  final Variable variable;
  /** When this tensor is the softmax of another along its last axis, that other tensor. */
  Tensor softmaxLogits;

  Tensor(float[] data, Shape shape, boolean requiresGrad, Op creator, Variable variable) {
    if (data.length != shape.size()) {
      throw new IllegalArgumentException(
          "data of length " + data.length + " does not fit shape " + shape);
    }
    this.data = data;
    this.shape = shape;
    this.requiresGrad = requiresGrad;
    this.creator = creator;
    this.variable = variable;
  }

  /** A constant (no gradient) wrapping {@code data} without copying; for use inside this package. */
  static Tensor wrap(float[] data, Shape shape) {
    return new Tensor(data, shape, false, null, null);
  }

  /**
   * The result of an operation: records {@code op} when grad mode is on and an operand requires a
   * gradient.
   */
  static Tensor result(float[] data, Shape shape, Op op) {
    boolean recorded = false;
    if (GradMode.isEnabled()) {
      for (Tensor in : op.inputs()) {
        if (in.requiresGrad) {
          recorded = true;
          break;
        }
      }
    }
    Tensor t = recorded ? new Tensor(data, shape, true, op, null) : wrap(data, shape);
    Workspace.register(t);
    return t;
  }

  private void checkNotRecycled(String what) {
    if (recycled) {
      throw new IllegalStateException(
          what + ": this tensor of shape " + shape + " was computed in a Workspace scope that has"
              + " closed, and its storage has been reused; copy values out before the scope ends");
    }
  }

  // ----------------------------------------------------------------------------------- creation

  /** A tensor holding a copy of {@code data} with the given shape. */
  public static Tensor of(float[] data, int... shape) {
    Shape s = new Shape(shape);
    if (data == null) {
      throw new IllegalArgumentException("Tensor.of: data must not be null");
    }
    if (data.length != s.size()) {
      throw new IllegalArgumentException(
          "Tensor.of: " + data.length + " values do not fit shape " + s + " (" + s.size()
              + " elements)");
    }
    return wrap(data.clone(), s);
  }

  /** A tensor holding a copy of {@code data} with the given shape. */
  public static Tensor of(float[] data, Shape shape) {
    return of(data, shape.raw());
  }

  /** A rank-0 tensor. */
  public static Tensor scalar(float value) {
    return wrap(new float[] {value}, Shape.of());
  }

  public static Tensor zeros(int... shape) {
    Shape s = new Shape(shape);
    return wrap(new float[s.size()], s);
  }

  public static Tensor ones(int... shape) {
    return full(1f, shape);
  }

  public static Tensor full(float value, int... shape) {
    Shape s = new Shape(shape);
    float[] d = new float[s.size()];
    Arrays.fill(d, value);
    return wrap(d, s);
  }

  /** Normal samples with the given mean and standard deviation, from {@code rng}. */
  public static Tensor randomNormal(SplittableRandom rng, float mean, float stddev, int... shape) {
    Shape s = new Shape(shape);
    float[] d = new float[s.size()];
    for (int i = 0; i < d.length; i++) {
      d[i] = (float) (mean + stddev * Gaussian.next(rng));
    }
    return wrap(d, s);
  }

  /** Uniform samples in {@code [low, high)}, from {@code rng}. */
  public static Tensor randomUniform(SplittableRandom rng, float low, float high, int... shape) {
    Shape s = new Shape(shape);
    float[] d = new float[s.size()];
    for (int i = 0; i < d.length; i++) {
      d[i] = (float) (low + (high - low) * rng.nextDouble());
    }
    return wrap(d, s);
  }

  // ----------------------------------------------------------------------------------- access

  public Shape shape() {
    return shape;
  }

  public int rank() {
    return shape.rank();
  }

  public int size() {
    return data.length;
  }

  /** Whether gradients flow back through this tensor. */
  public boolean requiresGrad() {
    return requiresGrad;
  }

  /** A copy of the values, row-major. */
  public float[] toArray() {
    checkNotRecycled("toArray");
    return data.clone();
  }

  /** Copies the values into {@code dst} starting at {@code offset}. */
  public void copyTo(float[] dst, int offset) {
    checkNotRecycled("copyTo");
    System.arraycopy(data, 0, dst, offset, data.length);
  }

  /** The value at a flat row-major index. */
  public float get(int flatIndex) {
    checkNotRecycled("get");
    return data[flatIndex];
  }

  /** The single value of a one-element tensor. */
  public float item() {
    checkNotRecycled("item");
    if (data.length != 1) {
      throw new IllegalArgumentException(
          "item: tensor of shape " + shape + " has " + data.length + " elements, not 1");
    }
    return data[0];
  }

  /** A leaf copy of this tensor that requires a gradient (for functional use of {@link Autograd}). */
  public Tensor requiringGrad() {
    return new Tensor(data.clone(), shape, true, null, null);
  }

  /** This tensor's values as a constant, cut from the graph. */
  public Tensor detach() {
    return wrap(data, shape);
  }

  /**
   * When this tensor was computed as {@code logits.softmax(-1)}, those logits (whether or not the
   * operation was recorded for autograd); else null. A cross-entropy loss on probabilities uses it
   * to compute the loss from the logits, stably, as Keras does for a softmax output.
   */
  public Tensor softmaxLogits() {
    return softmaxLogits;
  }

  /** The recorded operation that produced this tensor, or null for a leaf. */
  public Op creator() {
    return creator;
  }

  // ----------------------------------------------------------------------------------- ops

  public Tensor add(Tensor other) {
    return Binary.apply(Broadcast.Kind.ADD, this, other);
  }

  public Tensor sub(Tensor other) {
    return Binary.apply(Broadcast.Kind.SUB, this, other);
  }

  public Tensor mul(Tensor other) {
    return Binary.apply(Broadcast.Kind.MUL, this, other);
  }

  public Tensor div(Tensor other) {
    return Binary.apply(Broadcast.Kind.DIV, this, other);
  }

  /** Elementwise maximum with broadcasting; NaN wins; on ties the gradient goes to this tensor. */
  public Tensor maximum(Tensor other) {
    return Binary.apply(Broadcast.Kind.MAX, this, other);
  }

  /** Elementwise minimum with broadcasting; NaN wins; on ties the gradient goes to this tensor. */
  public Tensor minimum(Tensor other) {
    return Binary.apply(Broadcast.Kind.MIN, this, other);
  }

  public Tensor neg() {
    return Unary.apply(this, Unary.Fn.NEG);
  }

  /** Elementwise {@code |x|}; the gradient at 0 is taken as 0. */
  public Tensor abs() {
    return Unary.apply(this, Unary.Fn.ABS);
  }

  /** Matrix product: 2-D {@code [m,k] x [k,n]}, or batched over leading axes. */
  public Tensor matmul(Tensor other) {
    return MatMul.apply(this, other);
  }

  /**
   * A dense layer's arithmetic in one op: {@code relu?(this . kernel + bias)} for this tensor
   * {@code [..., k]}, {@code kernel} {@code [k, n]} and {@code bias} {@code [n]} (null for none),
   * with the ReLU when {@code relu}. The products of the forward and backward passes run in {@code
   * precision}: float32, or bfloat16 operands with float32 accumulation; the bias, the ReLU and the
   * result are float32 either way.
   */
  public Tensor linear(Tensor kernel, Tensor bias, boolean relu, Precision precision) {
    return Linear.apply(this, kernel, bias, relu, precision);
  }

  public Tensor relu() {
    return Relu.apply(this);
  }

  /** Sum over the given axes (all axes when none are given); reduced axes are removed. */
  public Tensor sum(int... axes) {
    return Sum.apply(this, axes, false);
  }

  /** Sum over the given axes, keeping them with size 1. */
  public Tensor sumKeepDims(int... axes) {
    return Sum.apply(this, axes, true);
  }

  /** The same values with another shape; one dimension may be -1. */
  public Tensor reshape(int... newShape) {
    return Reshape.apply(this, newShape);
  }

  /** Elementwise {@code e^x}. */
  public Tensor exp() {
    return Unary.apply(this, Unary.Fn.EXP);
  }

  /** Elementwise natural logarithm; 0 gives -Infinity and negative values NaN. */
  public Tensor log() {
    return Unary.apply(this, Unary.Fn.LOG);
  }

  /** Elementwise square root; negative values give NaN. */
  public Tensor sqrt() {
    return Unary.apply(this, Unary.Fn.SQRT);
  }

  /** Elementwise {@code min(max(x, low), high)}; the gradient is 0 where a value was clipped. */
  public Tensor clip(float low, float high) {
    if (!(low <= high)) {
      throw new IllegalArgumentException(
          "clip: low must be <= high, received low " + low + " and high " + high);
    }
    return Unary.apply(this, Unary.Fn.CLIP, low, high, 0f);
  }

  /** Elementwise {@code x * x}. */
  public Tensor square() {
    return Unary.apply(this, Unary.Fn.SQUARE);
  }

  /** Elementwise logistic function {@code 1 / (1 + e^-x)}, without overflow for large |x|. */
  public Tensor sigmoid() {
    return Unary.apply(this, Unary.Fn.SIGMOID);
  }

  /** Elementwise hyperbolic tangent. */
  public Tensor tanh() {
    return Unary.apply(this, Unary.Fn.TANH);
  }

  /**
   * Keras's general ReLU: {@code x} above {@code threshold} (else 0), clipped to {@code [0,
   * maxValue]} when {@code maxValue} is not NaN, minus {@code negativeSlope * max(threshold - x,
   * 0)}. {@code relu(NaN, 0, 0)} is the plain ReLU, {@code relu(6, 0, 0)} ReLU6, {@code relu(NaN,
   * a, 0)} the leaky ReLU {@code x > 0 ? x : a x}.
   */
  public Tensor relu(float maxValue, float negativeSlope, float threshold) {
    if (Float.isNaN(maxValue) && negativeSlope == 0f && threshold == 0f) {
      return relu();
    }
    return Unary.apply(this, Unary.Fn.RELU, maxValue, negativeSlope, threshold);
  }

  /** {@code x > theta ? x : 0}. */
  public Tensor thresholdedRelu(float theta) {
    return Unary.apply(this, Unary.Fn.THRESHOLDED_RELU, theta, 0f, 0f);
  }

  /** {@code x > 0 ? x : alpha (e^x - 1)}. */
  public Tensor elu(float alpha) {
    return Unary.apply(this, Unary.Fn.ELU, alpha, 0f, 0f);
  }

  /** Scaled ELU with Klambauer et al.'s constants (alpha 1.67326..., scale 1.05070...). */
  public Tensor selu() {
    return Unary.apply(this, Unary.Fn.SELU);
  }

  /** {@code log(1 + e^x)}, without overflow. */
  public Tensor softplus() {
    return Unary.apply(this, Unary.Fn.SOFTPLUS);
  }

  /** {@code x / (1 + |x|)}. */
  public Tensor softsign() {
    return Unary.apply(this, Unary.Fn.SOFTSIGN);
  }

  /**
   * GELU, {@code x Phi(x)}: exact (through erf) or, with {@code approximate}, the tanh form {@code
   * 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))}.
   */
  public Tensor gelu(boolean approximate) {
    return Unary.apply(this, approximate ? Unary.Fn.GELU_TANH : Unary.Fn.GELU);
  }

  /** {@code x sigmoid(x)} (swish, SiLU). */
  public Tensor swish() {
    return Unary.apply(this, Unary.Fn.SWISH);
  }

  /** {@code x tanh(softplus(x))}. */
  public Tensor mish() {
    return Unary.apply(this, Unary.Fn.MISH);
  }

  /** {@code clip(slope x + offset, 0, 1)}. */
  public Tensor hardSigmoid(float slope, float offset) {
    return Unary.apply(this, Unary.Fn.HARD_SIGMOID, slope, offset, 0f);
  }

  /** {@code scale x + offset}, elementwise. */
  public Tensor affine(float scale, float offset) {
    return Unary.apply(this, Unary.Fn.AFFINE, scale, offset, 0f);
  }

  /** Mean over the given axes (all axes when none are given); reduced axes are removed. */
  public Tensor mean(int... axes) {
    return Mean.apply(this, axes, false);
  }

  /** Mean over the given axes (all axes when none are given), keeping them with size 1. */
  public Tensor meanKeepDims(int... axes) {
    return Mean.apply(this, axes, true);
  }

  /**
   * Maximum over the given axes (all axes when none are given); reduced axes are removed. The
   * gradient flows to the maximal element only, the first in row-major order on ties.
   */
  public Tensor max(int... axes) {
    return Max.apply(this, axes, false);
  }

  /** Maximum over the given axes (all axes when none are given), keeping them with size 1. */
  public Tensor maxKeepDims(int... axes) {
    return Max.apply(this, axes, true);
  }

  /** Softmax along {@code axis} (negative counts from the end), stable for large values. */
  public Tensor softmax(int axis) {
    return Softmax.apply(this, axis);
  }

  /** The logarithm of the softmax along {@code axis}, computed without forming the softmax. */
  public Tensor logSoftmax(int axis) {
    return LogSoftmax.apply(this, axis);
  }

  /** Swaps the last two axes; requires rank >= 2. */
  public Tensor transpose() {
    return Transpose.apply(this);
  }

  /** Reorders the axes: axis {@code i} of the result is axis {@code axes[i]} of this tensor. */
  public Tensor permute(int... axes) {
    return Permute.apply(this, axes);
  }

  /** Rows {@code [from, to)} along the first axis. */
  public Tensor slice(int from, int to) {
    return Slice.apply(this, 0, from, to);
  }

  /** Positions {@code [from, to)} along {@code axis} (negative counts from the end). */
  public Tensor slice(int axis, int from, int to) {
    return Slice.apply(this, axis, from, to);
  }

  /**
   * This tensor with {@code before} zeros in front of and {@code after} zeros behind its values
   * along {@code axis}.
   */
  public Tensor pad(int axis, int before, int after) {
    if (before < 0 || after < 0) {
      throw new IllegalArgumentException(
          "pad: padding must be >= 0, received " + before + " and " + after);
    }
    if (before == 0 && after == 0) {
      return this;
    }
    int ax = Softmax.axis("pad", shape, axis);
    java.util.List<Tensor> parts = new java.util.ArrayList<>(3);
    if (before > 0) {
      parts.add(zeros(shape.withDim(ax, before).raw()));
    }
    parts.add(this);
    if (after > 0) {
      parts.add(zeros(shape.withDim(ax, after).raw()));
    }
    return concat(parts, ax);
  }

  /** Joins {@code parts} along {@code axis}; their other axes must agree. */
  public static Tensor concat(List<Tensor> parts, int axis) {
    return Concat.apply(parts, axis);
  }

  /**
   * Inverted dropout: each element is kept with probability {@code 1 - rate} and scaled by {@code 1
   * / (1 - rate)}, or set to 0. The mask takes one draw from {@code rng} per element, row-major, so
   * it is determined by the generator's state. A rate of 0 returns this tensor.
   *
   * @param rate the probability of dropping an element, in {@code [0, 1)}
   */
  public Tensor dropout(float rate, SplittableRandom rng) {
    return Dropout.apply(this, rate, rng);
  }

  /**
   * Inverted dropout with the mask of {@code dropout(rate, new SplittableRandom(seed))}, bit for
   * bit, computed element by element from {@code (seed, index)}, so the work is split across the
   * kernel threads. A rate of 0 returns this tensor.
   *
   * @param rate the probability of dropping an element, in {@code [0, 1)}
   * @param seed the seed of the generator whose draws decide the mask
   */
  public Tensor dropout(float rate, long seed) {
    return Dropout.apply(this, rate, seed);
  }

  /**
   * The mean over the batch of {@code -log softmax(logits)[label]}, for logits {@code [N, C]} and
   * one label in {@code [0, C)} per row. Returns a scalar.
   */
  public Tensor softmaxCrossEntropy(int[] labels) {
    return SoftmaxCrossEntropy.apply(this, labels);
  }

  /**
   * The mean over the batch of {@code -sum_c targets[c] * log softmax(logits)[c]}, for logits and
   * target probabilities of the same shape {@code [N, C]}. Returns a scalar.
   */
  public Tensor softmaxCrossEntropy(Tensor targets) {
    return SoftmaxCrossEntropy.apply(this, targets);
  }

  /**
   * Two-dimensional convolution (cross-correlation, as in Keras) of channels-last input {@code [N,
   * H, W, C]} with {@code kernel} {@code [kernelH, kernelW, C, filters]}, giving {@code [N, outH,
   * outW, filters]}; no bias.
   */
  public Tensor conv2d(Tensor kernel, int strideH, int strideW, Padding padding) {
    return Conv2D.apply(this, kernel, strideH, strideW, padding);
  }

  /**
   * Two-dimensional max pooling of channels-last input {@code [N, H, W, C]}, giving {@code [N,
   * outH, outW, C]}; padding cells never win a window.
   */
  public Tensor maxPool2d(int poolH, int poolW, int strideH, int strideW, Padding padding) {
    return MaxPooling2D.apply(this, poolH, poolW, strideH, strideW, padding);
  }

  /**
   * Batch normalization in training mode over the last axis: each feature (last-axis position) is
   * normalized by the mean and biased variance of its values over all other axes, then scaled by
   * {@code gamma} and shifted by {@code beta} (both of the last axis's size). The batch mean and
   * variance are written to {@code batchMean} and {@code batchVar}.
   */
  public Tensor batchNorm(Tensor gamma, Tensor beta, double epsilon, float[] batchMean,
      float[] batchVar) {
    return BatchNorm.apply(this, gamma, beta, epsilon, batchMean, batchVar);
  }

  /**
   * Two-dimensional average pooling of channels-last input {@code [N, H, W, C]}, giving {@code [N,
   * outH, outW, C]}; padding cells do not count towards a window's mean.
   */
  public Tensor avgPool2d(int poolH, int poolW, int strideH, int strideW, Padding padding) {
    return AveragePooling2D.apply(this, poolH, poolW, strideH, strideW, padding);
  }

  /**
   * Two-dimensional convolution with dilation and channel groups: channels-last input {@code [N, H,
   * W, C]}, kernel {@code [kernelH, kernelW, C / groups, filters]} (output channel {@code o} reads
   * the input channels of group {@code o / (filters / groups)}), giving {@code [N, outH, outW,
   * filters]}; no bias. {@code 'same'} padding pads for the dilated window {@code (k - 1) *
   * dilation + 1}.
   */
  public Tensor conv2d(Tensor kernel, int[] strides, Padding padding, int[] dilation, int groups) {
    return Conv2D.apply(this, kernel, strides, padding, dilation, groups);
  }

  /**
   * {@link #conv2d(Tensor, int[], Padding, int[], int)} with the bias {@code [filters]} (null for
   * none) added and, when {@code relu}, {@code max(x, 0)} applied in the same op, the products of
   * the forward and backward passes in {@code precision} (float32, or bfloat16 operands with
   * float32 accumulation; dilated and grouped convolutions always compute in float32).
   */
  public Tensor conv2d(Tensor kernel, Tensor bias, int[] strides, Padding padding, int[] dilation,
      int groups, boolean relu, Precision precision) {
    return Conv2D.apply(this, kernel, bias, strides, padding, dilation, groups, relu, precision);
  }

  /**
   * Transposed two-dimensional convolution (Keras's Conv2DTranspose without output padding):
   * channels-last input {@code [N, H, W, C]}, kernel {@code [kernelH, kernelW, filters, C]},
   * giving {@code [N, H * stride, W * stride, filters]} with {@code 'same'} padding or {@code [N,
   * (H - 1) * stride + (kernelH - 1) * dilation + 1, ..., filters]} with {@code 'valid'}.
   */
  public Tensor conv2dTranspose(Tensor kernel, int[] strides, Padding padding, int[] dilation) {
    return ConvTranspose2D.apply(this, kernel, strides, padding, dilation);
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("Tensor").append(shape).append(' ');
    int n = Math.min(data.length, 8);
    b.append('[');
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        b.append(", ");
      }
      b.append(data[i]);
    }
    if (data.length > n) {
      b.append(", ...");
    }
    return b.append(']').toString();
  }

  List<Tensor> inputsOfCreator() {
    return creator == null ? List.of() : creator.inputs();
  }
}

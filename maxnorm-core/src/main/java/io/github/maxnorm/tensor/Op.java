package io.github.maxnorm.tensor;

import java.util.List;

/**
 * A recorded operation: the node of the autograd graph that produced a tensor. Each operation has
 * exactly one backward rule, here, and nowhere else.
 */
public sealed interface Op
    permits Unary, Binary, MatMul, Relu, Sum, Reshape, Mean, Max, Softmax, LogSoftmax,
        Transpose, Permute, Slice, Concat, Dropout, SoftmaxCrossEntropy, Conv2D, ConvTranspose2D,
        MaxPooling2D, AveragePooling2D, BatchNorm, Linear {

  /** A short name used in error messages and graph dumps, e.g. {@code "matmul"}. */
  String name();

  /** The operands, in order. */
  List<Tensor> inputs();

  /**
   * Given the gradient of the loss with respect to this operation's output, adds the gradient with
   * respect to each operand that needs one to {@code sink}.
   *
   * @param out the output this op produced
   * @param gradOut the gradient of the loss with respect to {@code out}, same shape; read only
   */
  void backward(Tensor out, float[] gradOut, GradSink sink);

  /** Receives gradients for the operands of one operation during the backward pass. */
  interface GradSink {
    /** Whether operand {@code index} needs a gradient at all; ops skip the work when it doesn't. */
    boolean needs(int index);

    /**
     * Adds {@code grad} (the operand's shape, row-major) to operand {@code index}'s gradient. The
     * sink takes ownership of the array: the op must not use it afterwards.
     */
    void accumulate(int index, float[] grad);

    /**
     * An array of {@code size} floats (operand {@code index}'s size) for an op that overwrites every
     * element with the operand's gradient and then hands it to {@link #accumulate}; its contents on
     * return are unspecified. The default is a new array; during a training step's backward pass it
     * may be the storage of a variable's gradient itself, which saves an array and a copy.
     */
    default float[] gradientBuffer(int index, int size) {
      return Workspace.uninitialized(size);
    }
  }
}

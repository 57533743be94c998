package io.github.maxnorm.tensor;

import io.github.maxnorm.kernel.BiasRelu;
import io.github.maxnorm.kernel.Gemm;
import io.github.maxnorm.kernel.Precision;
import io.github.maxnorm.kernel.StagedMatrix;
import java.util.List;

/**
 * A dense layer's arithmetic in one op: {@code relu?(x . kernel + bias)} for {@code x} of shape
 * {@code [..., k]} (the leading axes folded into rows), a kernel {@code [k, n]} and an optional
 * bias {@code [n]}. The product, the bias and the ReLU run in one oneDNN call, in float32 or with
 * bfloat16 operands ({@link Precision}); the backward pass takes the ReLU's mask and the bias
 * gradient in one pass over the output gradient, then runs both products in the same precision.
 *
 * <p>The kernel is staged in native memory once and serves the forward product and the backward
 * product {@code g . kernel^T}, so the backward pass uses the kernel as it was in the forward pass.
 */
final class Linear implements Op {
  /** Below this many kernel floats, staging the kernel once saves less than it costs. */
  private static final int STAGE_MIN_FLOATS = 1 << 14;

  private final Tensor x;
  private final Tensor kernel;
  private final Tensor bias;
  private final boolean relu;
  private final Precision precision;
  private final int m;
  private final int k;
  private final int n;
  private StagedMatrix staged;

  private Linear(Tensor x, Tensor kernel, Tensor bias, boolean relu, Precision precision, int m,
      int k, int n, StagedMatrix staged) {
    this.x = x;
    this.kernel = kernel;
    this.bias = bias;
    this.relu = relu;
    this.precision = precision;
    this.m = m;
    this.k = k;
    this.n = n;
    this.staged = staged;
  }

  static Tensor apply(Tensor x, Tensor kernel, Tensor bias, boolean relu, Precision precision) {
    if (precision == null) {
      throw new IllegalArgumentException("linear: precision must not be null");
    }
    Shape sx = x.shape;
    Shape sk = kernel.shape;
    if (sx.rank() < 1 || sk.rank() != 2 || sx.dim(-1) != sk.dim(0)) {
      throw new IllegalArgumentException(
          "linear: input " + sx + " and kernel " + sk + ": expected [..., k] and [k, n]");
    }
    int k = sk.dim(0);
    int n = sk.dim(1);
    if (bias != null && (bias.shape.rank() != 1 || bias.shape.dim(0) != n)) {
      throw new IllegalArgumentException(
          "linear: bias " + bias.shape + " does not match kernel " + sk + " (expected [" + n
              + "])");
    }
    int m = sx.sizeBetween(0, sx.rank() - 1);
    int[] outDims = sx.dims();
    outDims[outDims.length - 1] = n;
    float[] o = Workspace.uninitialized(m * n);
    float[] b = bias == null ? null : bias.data;
    Linear op = new Linear(x, kernel, bias, relu, precision, m, k, n, null);
    boolean reuse = x.requiresGrad && GradMode.isEnabled() && m > 0 && k * n >= STAGE_MIN_FLOATS;
    if (!reuse) {
      Gemm.linear(precision, m, n, k, x.data, 0, kernel.data, b, relu, o, 0);
      return Tensor.result(o, new Shape(outDims), op);
    }
    // the kernel staged once serves this product and the input gradient's
    StagedMatrix w = Gemm.stage(kernel.data, 0, k * n);
    try {
      Gemm.linear(precision, m, n, k, x.data, 0, w, b, relu, o, 0);
    } catch (RuntimeException e) {
      w.release();
      throw e;
    }
    op.staged = w;
    return Tensor.result(o, new Shape(outDims), op);
  }

  @Override
  public String name() {
    return "linear";
  }

  @Override
  public List<Tensor> inputs() {
    return bias == null ? List.of(x, kernel) : List.of(x, kernel, bias);
  }

  @Override
  public void backward(Tensor out, float[] g, GradSink sink) {
    StagedMatrix w = staged;
    staged = null;
    try {
      float[] biasGrad = bias != null && sink.needs(2) ? Workspace.uninitialized(n) : null;
      float[] gz = relu ? Workspace.uninitialized(g.length) : g;
      BiasRelu.backward(out.data, g, n, relu, gz, biasGrad);
      if (sink.needs(0)) {
        float[] gx = Workspace.uninitialized(x.data.length);
        if (w != null) {
          // dX = gz . W^T, W as staged in the forward pass
          Gemm.gemm(precision, false, true, m, k, n, 1f, gz, 0, n, w, n, 0f, gx, 0, k);
        } else {
          Gemm.gemm(precision, false, true, m, k, n, 1f, gz, 0, n, kernel.data, 0, n, 0f, gx, 0,
              k);
        }
        sink.accumulate(0, gx);
      }
      if (sink.needs(1)) {
        // dW = X^T . gz, every element written
        float[] gw = sink.gradientBuffer(1, kernel.data.length);
        Gemm.gemm(precision, true, false, k, n, m, 1f, x.data, 0, k, gz, 0, n, 0f, gw, 0, n);
        sink.accumulate(1, gw);
      }
      if (biasGrad != null) {
        sink.accumulate(2, biasGrad);
      }
    } finally {
      if (w != null) {
        w.release();
      }
    }
  }
}

package io.github.maxnorm.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.maxnorm.nn.Constraints;
import io.github.maxnorm.nn.Parameter;
import io.github.maxnorm.tensor.Tensor;
import io.github.maxnorm.tensor.Variable;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Golden steps: the optimizer's result against values worked out independently (in double, from
 * the update formulas), including one SGD-with-momentum step followed by max-norm projection.
 */
class OptimizerGoldenTest {

  private static Parameter param(float[] w, int rows, int cols, float[] grad, double maxNorm) {
    Variable v = new Variable("dense/kernel", Tensor.of(w, rows, cols));
    System.arraycopy(grad, 0, v.grad(), 0, grad.length);
    return new Parameter("dense", "kernel", v,
        maxNorm > 0 ? Constraints.maxNorm(maxNorm) : null, null, new int[] {0});
  }

  @Test
  void sgdMomentumTwoStepsThenMaxNormProjection() {
    // kernel (in=2, out=2): column 0 = unit 0, column 1 = unit 1
    float[] w = {1.0f, 0.5f, 2.0f, -0.5f};
    float[] g = {-1.0f, 0.2f, -2.0f, 0.4f};
    Parameter p = param(w, 2, 2, g, 3.0);
    Optimizer opt = new Optimizer(SGD.of(0.5).withMomentum(0.9));
    opt.step(List.of(p));
    // step 1: v = -lr*g = [0.5, -0.1, 1.0, -0.2]; w = [1.5, 0.4, 3.0, -0.7]
    // unit 0 = (1.5, 3.0): norm sqrt(11.25) = 3.3541 > 3 -> scale 3/3.3541
    // unit 1 = (0.4, -0.7): norm 0.806 <= 3 -> unchanged
    double n0 = Math.sqrt(1.5 * 1.5 + 3.0 * 3.0);
    double[] expected1 = {1.5 * 3 / n0, 0.4, 3.0 * 3 / n0, -0.7};
    assertClose(expected1, p.variable().data());
    // step 2 with the same gradient: v = 0.9*v - lr*g = [0.95, -0.19, 1.9, -0.38]
    opt.step(List.of(p));
    double[] w2 = {expected1[0] + 0.95, 0.4 - 0.19, expected1[2] + 1.9, -0.7 - 0.38};
    double m0 = Math.hypot(w2[0], w2[2]);
    double m1 = Math.hypot(w2[1], w2[3]);
    double[] expected2 = {
      m0 > 3 ? w2[0] * 3 / m0 : w2[0], m1 > 3 ? w2[1] * 3 / m1 : w2[1],
      m0 > 3 ? w2[2] * 3 / m0 : w2[2], m1 > 3 ? w2[3] * 3 / m1 : w2[3]
    };
    assertClose(expected2, p.variable().data());
    assertEquals(2, opt.iterations());
  }

  @Test
  void nesterovAndDecay() {
    Parameter p = param(new float[] {1f, 1f}, 1, 2, new float[] {0.5f, -1f}, 0);
    Optimizer opt = new Optimizer(SGD.of(0.1).withMomentum(0.5).withNesterov(true).withDecay(1.0));
    opt.step(List.of(p));
    // t=0: lr = 0.1; v = -0.1*g = [-0.05, 0.1]; w += 0.5*v - 0.1*g = [-0.025-0.05, 0.05+0.1]
    assertClose(new double[] {1 - 0.075, 1 + 0.15}, p.variable().data());
    opt.step(List.of(p));
    // t=1: lr = 0.1/(1+1) = 0.05; v = 0.5*v - 0.05*g = [-0.05, 0.1]; w += 0.5*v - 0.05*g
    assertClose(new double[] {1 - 0.075 - 0.025 - 0.025, 1 + 0.15 + 0.05 + 0.05},
        p.variable().data());
  }

  @Test
  void adamFirstStepMovesByLearningRate() {
    Parameter p = param(new float[] {1f, -2f}, 1, 2, new float[] {0.3f, -4f}, 0);
    Optimizer opt = new Optimizer(Adam.of(0.01));
    opt.step(List.of(p));
    // m = 0.1 g, v = 0.001 g^2, lr_t = 0.01*sqrt(0.001)/0.1 -> step = lr_t*m/(sqrt(v)+eps)
    double[] exp = new double[2];
    double[] w = {1, -2};
    double[] gg = {0.3, -4};
    for (int i = 0; i < 2; i++) {
      double m = 0.1 * gg[i];
      double v = 0.001 * gg[i] * gg[i];
      double lrT = 0.01 * Math.sqrt(1 - 0.999) / (1 - 0.9);
      exp[i] = w[i] - lrT * m / (Math.sqrt(v) + 1e-7);
    }
    assertClose(exp, p.variable().data());
  }

  @Test
  void rmspropStep() {
    Parameter p = param(new float[] {1f}, 1, 1, new float[] {2f}, 0);
    Optimizer opt = new Optimizer(RMSprop.of(0.001));
    opt.step(List.of(p));
    double v = 0.1 * 4;
    assertClose(new double[] {1 - 0.001 * 2 / (Math.sqrt(v) + 1e-7)}, p.variable().data());
  }

  @Test
  void globalClipnormScalesAllGradients() {
    Parameter p = param(new float[] {0f, 0f}, 1, 2, new float[] {3f, 4f}, 0);
    Optimizer opt = new Optimizer(SGD.of(1).withGlobalClipnorm(1));
    opt.step(List.of(p));
    assertClose(new double[] {-0.6, -0.8}, p.variable().data());
  }

  private static void assertClose(double[] expected, float[] actual) {
    assertEquals(expected.length, actual.length);
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], 1e-5 * (1 + Math.abs(expected[i])), "element " + i);
    }
  }
}

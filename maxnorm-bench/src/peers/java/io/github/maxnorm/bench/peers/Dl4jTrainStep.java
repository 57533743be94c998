package io.github.maxnorm.bench.peers;

import java.util.SplittableRandom;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.constraint.MaxNormConstraint;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Training-step timing for the Deeplearning4j peer. Arguments: {@code WORKLOAD WARMUP STEPS}.
 *
 * <p>Deeplearning4j's dropout argument is the retain probability, so a drop rate {@code r} is
 * written {@code 1 - r}; it applies to the input of the layer it is set on. Dense kernels are
 * stored (nIn, nOut), so the per-unit max-norm reduces over dimension 0; convolution kernels are
 * (out, in, kh, kw) and reduce over dimensions 1, 2, 3. Deeplearning4j has no plain-momentum SGD
 * updater; Nesterov momentum (same cost per step) stands in for it.
 */
public final class Dl4jTrainStep {

  private static final int THREADS = 2;
  private static final int POOL = 8;
  private static final long SEED = 42;
  private static final double MAX_NORM = 3;

  private Dl4jTrainStep() {}

  /** Runs the benchmark and prints the JSON result line. */
  public static void main(String[] argv) {
    if (argv.length > 0 && argv[0].equals("rate")) {
      // nd4j's own float32 matrix product, for bench/compare's check of the peer's setup
      INDArray a = Nd4j.rand(DataType.FLOAT, 1024, 1024);
      INDArray b = Nd4j.rand(DataType.FLOAT, 1024, 1024);
      StepStats.printRate("dl4j", () -> a.mmul(b).close(), 30);
      return;
    }
    StepStats.Args args = StepStats.Args.parse(argv);
    int batch = args.batch();
    long[] feat = args.featureShape();
    long[] inShape = new long[feat.length + 1];
    inShape[0] = batch;
    System.arraycopy(feat, 0, inShape, 1, feat.length);
    int perSample = 1;
    for (long d : feat) {
      perSample *= (int) d;
    }

    MultiLayerNetwork net = new MultiLayerNetwork(config(args.workload()));
    net.init();

    SplittableRandom rng = new SplittableRandom(SEED);
    INDArray[] xs = new INDArray[POOL];
    INDArray[] ys = new INDArray[POOL];
    for (int b = 0; b < POOL; b++) {
      float[] x = new float[batch * perSample];
      for (int i = 0; i < x.length; i++) {
        x[i] = (float) rng.nextDouble();
      }
      float[] y = new float[batch * 10];
      for (int i = 0; i < batch; i++) {
        y[i * 10 + rng.nextInt(10)] = 1f;
      }
      xs[b] = Nd4j.create(x, inShape, 'c');
      ys[b] = Nd4j.create(y, new long[] {batch, 10}, 'c');
    }

    for (int i = 0; i < args.warmup(); i++) {
      net.fit(xs[i % POOL], ys[i % POOL]);
    }
    double[] ms = new double[args.steps()];
    long faults0 = StepStats.readMinorFaults();
    for (int i = 0; i < ms.length; i++) {
      int k = (args.warmup() + i) % POOL;
      long t0 = System.nanoTime();
      net.fit(xs[k], ys[k]);
      ms[i] = (System.nanoTime() - t0) / 1e6;
    }
    long faults = StepStats.readMinorFaults() - faults0;
    StepStats stats = new StepStats("dl4j", "1.0.0-M2.1", args.workload(), batch, THREADS,
        args.warmup(), ms, faults, StepStats.readPeakRssKb());
    System.out.println(stats.toJson());
  }

  private static MultiLayerConfiguration config(String workload) {
    NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
        .seed(SEED)
        .dataType(DataType.FLOAT)
        .weightInit(WeightInit.XAVIER)
        .updater(new Nesterovs(0.01, 0.9))
        .list();
    MaxNormConstraint dense = new MaxNormConstraint(MAX_NORM, 0);
    if (workload.equals("mlp")) {
      return list
          .layer(new DenseLayer.Builder().nIn(784).nOut(1024).activation(Activation.RELU)
              .dropOut(0.8).constrainWeights(dense).build())
          .layer(new DenseLayer.Builder().nIn(1024).nOut(1024).activation(Activation.RELU)
              .dropOut(0.5).constrainWeights(dense).build())
          .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(1024).nOut(10)
              .activation(Activation.SOFTMAX).dropOut(0.5).constrainWeights(dense).build())
          .build();
    }
    MaxNormConstraint filters = new MaxNormConstraint(MAX_NORM, 1, 2, 3);
    return list
        .layer(new ConvolutionLayer.Builder(3, 3).nIn(3).nOut(32)
            .convolutionMode(ConvolutionMode.Same).activation(Activation.RELU)
            .constrainWeights(filters).build())
        .layer(new ConvolutionLayer.Builder(3, 3).nOut(32)
            .convolutionMode(ConvolutionMode.Same).activation(Activation.RELU)
            .dropOut(0.8).constrainWeights(filters).build())
        .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)
            .kernelSize(2, 2).stride(2, 2).build())
        .layer(new DenseLayer.Builder().nOut(512).activation(Activation.RELU)
            .constrainWeights(dense).build())
        .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10)
            .activation(Activation.SOFTMAX).dropOut(0.5).constrainWeights(dense).build())
        .setInputType(InputType.convolutional(32, 32, 3))
        .build();
  }
}

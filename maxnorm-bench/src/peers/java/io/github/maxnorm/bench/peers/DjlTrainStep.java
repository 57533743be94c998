package io.github.maxnorm.bench.peers;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Training-step timing for the DJL (PyTorch engine) peer. Arguments: {@code WORKLOAD WARMUP
 * STEPS}. Max-norm 3 is applied after each optimizer step by rescaling every kernel's per-unit
 * (per-filter) incoming weight vector, as DJL has no weight-constraint hook.
 */
public final class DjlTrainStep {

  private static final int THREADS = 2;
  private static final int POOL = 8;
  private static final long SEED = 42;
  private static final float MAX_NORM = 3f;

  private DjlTrainStep() {}

  /** Runs the benchmark and prints the JSON result line. */
  public static void main(String[] argv) {
    System.setProperty("ai.djl.offline", "true");
    System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(THREADS));
    if (argv.length > 0 && argv[0].equals("rate")) {
      // libtorch's own float32 matrix product, for bench/compare's check of the peer's setup
      Engine e = Engine.getEngine("PyTorch");
      try (NDManager m = NDManager.newBaseManager(e.getEngineName())) {
        NDArray a = m.randomUniform(-1f, 1f, new Shape(1024, 1024));
        NDArray b = m.randomUniform(-1f, 1f, new Shape(1024, 1024));
        StepStats.printRate("djl", () -> a.matMul(b).close(), 30);
      }
      return;
    }
    StepStats.Args args = StepStats.Args.parse(argv);
    Engine engine = Engine.getEngine("PyTorch");
    engine.setRandomSeed((int) SEED);
    int batch = args.batch();
    long[] feat = args.featureShape();
    long[] inShape = new long[feat.length + 1];
    inShape[0] = batch;
    System.arraycopy(feat, 0, inShape, 1, feat.length);
    int perSample = 1;
    for (long d : feat) {
      perSample *= (int) d;
    }

    try (NDManager manager = NDManager.newBaseManager(engine.getEngineName());
         Model model = Model.newInstance("peer", engine.getEngineName())) {
      model.setBlock(network(args.workload()));
      DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
          .optOptimizer(Optimizer.sgd()
              .setLearningRateTracker(Tracker.fixed(0.01f))
              .optMomentum(0.9f)
              .build());
      try (Trainer trainer = model.newTrainer(config)) {
        trainer.initialize(new Shape(inShape));
        List<NDArray> kernels = new ArrayList<>();
        for (Pair<String, Parameter> p : model.getBlock().getParameters()) {
          if (p.getValue().getType() == Parameter.Type.WEIGHT) {
            kernels.add(p.getValue().getArray());
          }
        }
        SplittableRandom rng = new SplittableRandom(SEED);
        NDArray[] xs = new NDArray[POOL];
        NDArray[] ys = new NDArray[POOL];
        for (int b = 0; b < POOL; b++) {
          float[] x = new float[batch * perSample];
          for (int i = 0; i < x.length; i++) {
            x[i] = (float) rng.nextDouble();
          }
          float[] y = new float[batch];
          for (int i = 0; i < y.length; i++) {
            y[i] = rng.nextInt(10);
          }
          xs[b] = manager.create(x, new Shape(inShape));
          ys[b] = manager.create(y, new Shape(batch));
        }

        for (int i = 0; i < args.warmup(); i++) {
          step(trainer, kernels, xs[i % POOL], ys[i % POOL], manager);
        }
        double[] ms = new double[args.steps()];
        long faults0 = StepStats.readMinorFaults();
        for (int i = 0; i < ms.length; i++) {
          int k = (args.warmup() + i) % POOL;
          long t0 = System.nanoTime();
          step(trainer, kernels, xs[k], ys[k], manager);
          ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        long faults = StepStats.readMinorFaults() - faults0;
        StepStats stats = new StepStats("djl", engine.getVersion() + "/djl-" + Engine.getDjlVersion(),
            args.workload(), batch, THREADS, args.warmup(), ms, faults, StepStats.readPeakRssKb());
        System.out.println(stats.toJson());
      }
    }
  }

  private static void step(Trainer trainer, List<NDArray> kernels, NDArray x, NDArray y,
                           NDManager base) {
    try (NDManager scope = base.newSubManager()) {
      x.tempAttach(scope);
      y.tempAttach(scope);
      try (GradientCollector gc = trainer.newGradientCollector()) {
        NDList pred = trainer.forward(new NDList(x));
        NDArray loss = trainer.getLoss().evaluate(new NDList(y), pred);
        gc.backward(loss);
      }
      trainer.step();
      for (NDArray w : kernels) {
        renorm(w, scope);
      }
    }
  }

  /** Scales each unit's incoming weight vector (dimension 0 indexes units) to norm at most 3. */
  private static void renorm(NDArray w, NDManager scope) {
    int[] axes = new int[w.getShape().dimension() - 1];
    for (int a = 0; a < axes.length; a++) {
      axes[a] = a + 1;
    }
    // temporaries are created in the operand's manager: borrow w into the step scope so they are
    // freed with it (w returns to its own manager when the scope closes)
    w.tempAttach(scope);
    NDArray norm = w.norm(axes, true);
    NDArray scale = norm.clip(0f, MAX_NORM).div(norm.add(1e-7f));
    w.muli(scale);
  }

  static SequentialBlock network(String workload) {
    SequentialBlock net = new SequentialBlock();
    if (workload.equals("mlp")) {
      net.add(Dropout.builder().optRate(0.2f).build())
          .add(Linear.builder().setUnits(1024).build())
          .add(Activation::relu)
          .add(Dropout.builder().optRate(0.5f).build())
          .add(Linear.builder().setUnits(1024).build())
          .add(Activation::relu)
          .add(Dropout.builder().optRate(0.5f).build())
          .add(Linear.builder().setUnits(10).build());
    } else {
      net.add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1))
              .setFilters(32).build())
          .add(Activation::relu)
          .add(Dropout.builder().optRate(0.2f).build())
          .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1))
              .setFilters(32).build())
          .add(Activation::relu)
          .add(Pool.maxPool2dBlock(new Shape(2, 2)))
          .add(Blocks.batchFlattenBlock())
          .add(Linear.builder().setUnits(512).build())
          .add(Activation::relu)
          .add(Dropout.builder().optRate(0.5f).build())
          .add(Linear.builder().setUnits(10).build());
    }
    return net;
  }
}

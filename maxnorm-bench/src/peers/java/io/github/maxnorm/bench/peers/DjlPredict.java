package io.github.maxnorm.bench.peers;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import java.util.SplittableRandom;

/**
 * Inference timing for the DJL (PyTorch engine) peer of {@code bench/predict}: the training
 * comparison's network ({@link DjlTrainStep#network}) in inference mode, {@code block.forward(...,
 * training = false)}, the logits copied out to a Java array. Arguments: {@code WORKLOAD BATCH WARMUP
 * CALLS}.
 */
public final class DjlPredict {
  private static final int THREADS = 2;
  private static final int POOL = 8;

  private DjlPredict() {}

  /** Runs the benchmark and prints the JSON result line. */
  public static void main(String[] argv) throws Exception {
    PredictArgs args = PredictArgs.parse(argv, 0);
    System.setProperty("ai.djl.offline", "true");
    System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(THREADS));
    Engine engine = Engine.getEngine("PyTorch");
    engine.setRandomSeed(42);
    try (NDManager manager = NDManager.newBaseManager(engine.getEngineName())) {
      SequentialBlock block = DjlTrainStep.network(args.workload());
      Shape in = new Shape(args.inputShape());
      block.initialize(manager, DataType.FLOAT32, in);
      ParameterStore store = new ParameterStore(manager, false);
      SplittableRandom rng = new SplittableRandom(42);
      NDArray[] xs = new NDArray[POOL];
      for (int b = 0; b < POOL; b++) {
        float[] x = new float[args.inputSize()];
        for (int i = 0; i < x.length; i++) {
          x[i] = (float) rng.nextDouble();
        }
        xs[b] = manager.create(x, in);
      }
      long faults0 = StepStats.readMinorFaults();
      double[] ms = args.time(i -> call(block, store, xs[i % POOL], manager));
      long faults = StepStats.readMinorFaults() - faults0;
      System.out.println(new StepStats("djl", engine.getVersion() + "/djl-"
          + Engine.getDjlVersion(), args.workload(), args.batch(), THREADS, args.warmup(), ms,
          faults, StepStats.readPeakRssKb()).toJson());
    }
  }

  private static double call(SequentialBlock block, ParameterStore store, NDArray x,
      NDManager base) {
    try (NDManager scope = base.newSubManager()) {
      x.tempAttach(scope);
      float[] logits = block.forward(store, new NDList(x), false).singletonOrThrow()
          .toFloatArray();
      double s = 0;
      for (float v : logits) {
        s += v;
      }
      return s;
    }
  }
}

package io.github.maxnorm.bench.peers;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Inference timing for the ONNX Runtime for Java peer of {@code bench/predict}: the training
 * comparison's network exported to ONNX by {@code bench/peers/export_onnx.py} (PyTorch's exporter,
 * channels-first CNN), run by an {@code OrtSession} with two intra-op threads and every graph
 * optimization, the logits copied out to a Java array. Arguments: {@code WORKLOAD BATCH WARMUP CALLS
 * MODEL.onnx}.
 */
public final class OrtPredict {
  private static final int THREADS = 2;
  private static final int POOL = 8;

  private OrtPredict() {}

  /** Runs the benchmark and prints the JSON result line. */
  public static void main(String[] argv) throws Exception {
    PredictArgs args = PredictArgs.parse(argv, 1);
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
      opts.setIntraOpNumThreads(THREADS);
      opts.setInterOpNumThreads(1);
      opts.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      try (OrtSession session = env.createSession(argv[4], opts)) {
        String input = session.getInputNames().iterator().next();
        SplittableRandom rng = new SplittableRandom(42);
        OnnxTensor[] xs = new OnnxTensor[POOL];
        for (int b = 0; b < POOL; b++) {
          float[] x = new float[args.inputSize()];
          for (int i = 0; i < x.length; i++) {
            x[i] = (float) rng.nextDouble();
          }
          xs[b] = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), args.inputShape());
        }
        long faults0 = StepStats.readMinorFaults();
        double[] ms = args.time(i -> call(session, input, xs[i % POOL]));
        long faults = StepStats.readMinorFaults() - faults0;
        System.out.println(new StepStats("onnxruntime", env.getVersion(), args.workload(),
            args.batch(), THREADS, args.warmup(), ms, faults, StepStats.readPeakRssKb()).toJson());
        for (OnnxTensor x : xs) {
          x.close();
        }
      }
    }
  }

  private static double call(OrtSession session, String input, OnnxTensor x)
      throws OrtException {
    try (OrtSession.Result r = session.run(Map.of(input, x))) {
      float[][] logits = (float[][]) r.get(0).getValue();
      double s = 0;
      for (float[] row : logits) {
        for (float v : row) {
          s += v;
        }
      }
      return s;
    }
  }
}

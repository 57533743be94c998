package io.github.maxnorm.model;

import io.github.maxnorm.data.Batch;
import io.github.maxnorm.data.Dataset;
import io.github.maxnorm.losses.CategoricalCrossentropy;
import io.github.maxnorm.losses.Loss;
import io.github.maxnorm.metrics.Metric;
import io.github.maxnorm.metrics.Metrics;
import io.github.maxnorm.nn.ConstraintActivity;
import io.github.maxnorm.nn.ForwardContext;
import io.github.maxnorm.nn.Layer;
import io.github.maxnorm.nn.Parameter;
import io.github.maxnorm.nn.layers.Activation;
import io.github.maxnorm.nn.layers.Dense;
import io.github.maxnorm.optim.Optimizer;
import io.github.maxnorm.optim.OptimizerConfig;
import io.github.maxnorm.tensor.Autograd;
import io.github.maxnorm.tensor.GradMode;
import io.github.maxnorm.tensor.Shape;
import io.github.maxnorm.tensor.Tensor;
import io.github.maxnorm.tensor.Variable;
import io.github.maxnorm.tensor.Workspace;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A linear stack of layers, trained Keras-style:
 *
 * <pre>{@code
 * Sequential model = new Sequential()
 *     .add(new Dropout(0.2).inputShape(784))
 *     .add(new Dense(512).activation("relu").kernelConstraint(Constraints.maxNorm(3)))
 *     .add(new Dropout(0.5))
 *     .add(new Dense(10).activation("softmax").kernelConstraint(Constraints.maxNorm(3)));
 * model.compile(SGD.of(0.1).withMomentum(0.95), Losses.categoricalCrossentropy(false), "accuracy");
 * History h = model.fit(train, FitOptions.defaults().epochs(10).batchSize(128).seed(1));
 * }</pre>
 *
 * <p>When the output layer ends in softmax and the loss is cross-entropy from probabilities, the
 * loss is computed from the logits by the fused, numerically stable softmax cross-entropy (as
 * Keras does for a softmax output); the value differs from the clipped formula only where a
 * probability falls below 1e-7.
 *
 * <p>Not thread-safe for training. {@link #predict} may be called from several threads at once on
 * a model that is not being trained: it records no graph and writes no shared state.
 */
public final class Sequential {
  private final List<Layer> layers = new ArrayList<>();
  /** The storage of each training step's intermediate results, reused by the next step. */
  private final Workspace workspace = new Workspace();
  private final List<Shape> layerOutputShapes = new ArrayList<>();
  private String name = "sequential";
  private Shape inputShape;
  private Shape outputShape;
  private Optimizer optimizer;
  private Loss loss;
  private List<Metric> metrics = List.of();
  private volatile boolean stopTraining;
  private volatile boolean training;
  private long seed;
  private int epochsCompleted;

  public Sequential() {}

  public Sequential(String name) {
    this.name = name;
  }

  public String name() {
    return name;
  }

  /** Appends a layer; unnamed layers get Keras-style names ({@code dense}, {@code dense_1}, ...). */
  public Sequential add(Layer layer) {
    if (layer == null) {
      throw new IllegalArgumentException("add: layer must not be null");
    }
    if (outputShape != null) {
      throw new IllegalStateException("add: the model is already built; add layers before building");
    }
    if (layers.contains(layer)) {
      throw new IllegalArgumentException("add: layer " + layer.name() + " was already added");
    }
    String base = layer.name();
    String n = base;
    int k = 0;
    while (nameTaken(n)) {
      k++;
      n = base + "_" + k;
    }
    if (!n.equals(base)) {
      layer.name(n);
    }
    layers.add(layer);
    return this;
  }

  private boolean nameTaken(String n) {
    for (Layer l : layers) {
      if (l.name().equals(n)) {
        return true;
      }
    }
    return false;
  }

  public List<Layer> layers() {
    return List.copyOf(layers);
  }

  public boolean built() {
    return outputShape != null;
  }

  /** Builds with the first layer's declared input shape. */
  public Sequential build(SplittableRandom rng) {
    if (layers.isEmpty()) {
      throw new IllegalStateException("build: the model has no layers");
    }
    int[] in = layers.get(0).declaredInputShape();
    if (in == null) {
      throw new IllegalStateException(
          "build: give the first layer an input shape (inputShape(...)) or call build(shape, rng)");
    }
    return build(Shape.of(in), rng);
  }

  /** Builds every layer for per-sample inputs of {@code shape} (no batch axis). */
  public Sequential build(Shape shape, SplittableRandom rng) {
    if (built()) {
      throw new IllegalStateException("build: the model is already built");
    }
    if (layers.isEmpty()) {
      throw new IllegalStateException("build: the model has no layers");
    }
    Shape s = shape;
    layerOutputShapes.clear();
    for (Layer l : layers) {
      s = l.build(s, rng);
      layerOutputShapes.add(s);
    }
    inputShape = shape;
    outputShape = s;
    return this;
  }

  /** The per-sample input shape, or null before build. */
  public Shape inputShape() {
    return inputShape;
  }

  /** The per-sample output shape, or null before build. */
  public Shape outputShape() {
    return outputShape;
  }

  /** The per-sample output shape of each layer, in order (empty before build). */
  public List<Shape> layerOutputShapes() {
    return List.copyOf(layerOutputShapes);
  }

  /** Every trainable parameter, layer by layer. */
  public List<Parameter> parameters() {
    List<Parameter> ps = new ArrayList<>();
    for (Layer l : layers) {
      ps.addAll(l.parameters());
    }
    return ps;
  }

  /** The total number of trainable values. */
  public long countParams() {
    long n = 0;
    for (Parameter p : parameters()) {
      n += p.shape().size();
    }
    return n;
  }

  /** Keras-like summary table; see {@link Summary}. */
  public String summary() {
    requireBuilt("summary");
    return Summary.of(this);
  }

  /** Sets the optimizer, the loss and the metrics (Keras names, e.g. {@code accuracy}). */
  public Sequential compile(OptimizerConfig optimizer, Loss loss, String... metrics) {
    if (optimizer == null || loss == null) {
      throw new IllegalArgumentException("compile: optimizer and loss are required");
    }
    List<Metric> ms = new ArrayList<>();
    for (String m : metrics) {
      ms.add(Metrics.byName(m));
    }
    this.optimizer = new Optimizer(optimizer);
    this.loss = loss;
    this.metrics = List.copyOf(ms);
    return this;
  }

  public boolean compiled() {
    return optimizer != null;
  }

  /** The optimizer (with its state), or null before compile. */
  public Optimizer optimizer() {
    return optimizer;
  }

  public Loss loss() {
    return loss;
  }

  public List<Metric> metrics() {
    return metrics;
  }

  /** The number of epochs completed by fit so far (the initial epoch for a resumed run). */
  public int epochsCompleted() {
    return epochsCompleted;
  }

  /** Restores the epoch counter (used when loading a saved model). */
  void epochsCompleted(int e) {
    epochsCompleted = e;
  }

  /** The seed of the last (or current) fit. */
  public long seed() {
    return seed;
  }

  /**
   * Sets the seed that {@link #trainOnBatch} draws dropout masks from (with the optimizer's
   * iteration count); {@link #fit} sets it from its options. A data-parallel trainer gives each
   * replica its own seed this way, so replicas drop different units.
   */
  public void seed(long s) {
    seed = s;
  }

  /** Asks a running fit to stop after the current step. */
  public void stopTraining() {
    stopTraining = true;
  }

  // ------------------------------------------------------------------------------- forward

  /** Applies all layers; with {@code logits} the output layer's softmax is left out. */
  Tensor forward(Tensor x, ForwardContext ctx, boolean logits) {
    checkInputBatch(x);
    Tensor h = x;
    int n = layers.size();
    for (int i = 0; i < n; i++) {
      Layer l = layers.get(i);
      boolean last = i == n - 1;
      if (last && logits) {
        if (l instanceof Dense d && d.activation().equals("softmax")) {
          h = d.preActivation(h);
          continue;
        }
        if (l instanceof Activation a && a.activation().equals("softmax")) {
          continue;
        }
      }
      h = l.forward(h, ctx);
    }
    return h;
  }

  private boolean outputIsSoftmax() {
    Layer l = layers.get(layers.size() - 1);
    return (l instanceof Dense d && d.activation().equals("softmax"))
        || (l instanceof Activation a && a.activation().equals("softmax"));
  }

  private void checkInputBatch(Tensor x) {
    int[] d = x.shape().dims();
    int[] want = inputShape.dims();
    boolean ok = d.length == want.length + 1;
    for (int i = 0; ok && i < want.length; i++) {
      ok = d[i + 1] == want[i];
    }
    if (!ok) {
      throw new IllegalArgumentException(
          name + " expects input of shape [batch, " + join(want) + "], received shape "
              + x.shape());
    }
  }

  private static String join(int[] d) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < d.length; i++) {
      b.append(i > 0 ? ", " : "").append(d[i]);
    }
    return b.toString();
  }

  /** The model's output for a batch, in inference mode (no dropout, no graph). */
  public Tensor predict(Tensor x) {
    requireBuilt("predict");
    try (GradMode.Scope ignored = GradMode.off()) {
      return forward(x, ForwardContext.INFERENCE, false);
    }
  }

  /** The outputs for every sample of a data set, batch by batch. */
  public Tensor predict(Dataset data, int batchSize) {
    requireBuilt("predict");
    checkBatchSize(batchSize);
    List<Tensor> parts = new ArrayList<>();
    for (int from = 0; from < data.size(); from += batchSize) {
      parts.add(predict(data.batch(range(from, Math.min(data.size(), from + batchSize))).x()));
    }
    if (parts.isEmpty()) {
      throw new IllegalArgumentException("predict: the data set is empty");
    }
    return parts.size() == 1 ? parts.get(0) : Tensor.concat(parts, 0);
  }

  // ------------------------------------------------------------------------------- evaluate

  /** The loss and metrics over a data set, in inference mode. */
  public Map<String, Double> evaluate(Dataset data, int batchSize) {
    requireCompiled("evaluate");
    checkBatchSize(batchSize);
    checkData("evaluate", data);
    double lossSum = 0;
    double[] metricSums = new double[metrics.size()];
    int n = data.size();
    boolean fuse = fusedLoss();
    List<Parameter> params = parameters();
    try (GradMode.Scope ignored = GradMode.off()) {
      for (int from = 0; from < n; from += batchSize) {
        Batch b = data.batch(range(from, Math.min(n, from + batchSize)));
        int[] y = b.y();
        // each batch's intermediate arrays are reused by the next batch
        try (Workspace.Scope batchScope = workspace.open()) {
          Tensor out = forward(b.x(), ForwardContext.INFERENCE, fuse);
          lossSum += withPenalties(batchLoss(out, y, fuse), params).item() * (double) y.length;
          for (int i = 0; i < metrics.size(); i++) {
            metricSums[i] += metrics.get(i).batchSum(out, y);
          }
        }
      }
    }
    Map<String, Double> r = new LinkedHashMap<>();
    r.put("loss", lossSum / n);
    for (int i = 0; i < metrics.size(); i++) {
      r.put(metrics.get(i).name(), metricSums[i] / n);
    }
    return r;
  }

  private boolean fusedLoss() {
    return loss instanceof CategoricalCrossentropy ce && !ce.fromLogits() && outputIsSoftmax();
  }

  /**
   * The loss plus every parameter's regularization penalty: the value Keras reports as "loss" in
   * both training and evaluation.
   */
  private static Tensor withPenalties(Tensor loss, List<Parameter> params) {
    Tensor total = loss;
    for (Parameter p : params) {
      if (p.regularizer() != null) {
        total = total.add(p.regularizer().penalty(p.variable().value()));
      }
    }
    return total;
  }

  private Tensor batchLoss(Tensor out, int[] y, boolean fused) {
    if (fused) {
      return out.softmaxCrossEntropy(y);
    }
    return loss.compute(out, y);
  }

  // ------------------------------------------------------------------------------- fit

  /**
   * Trains on {@code train}. Each step: forward with dropout, loss plus regularization penalties,
   * backward, optimizer update, constraint projection. Shuffling and dropout are pure functions of
   * {@code (seed, epoch, step)}, so a run resumed from a saved model at an epoch boundary gives the
   * same weights as an uninterrupted one.
   */
  public History fit(Dataset train, FitOptions opt) {
    requireCompiled("fit");
    checkData("fit", train);
    if (!built()) {
      int[] declared = layers.get(0).declaredInputShape();
      Shape in = declared != null ? Shape.of(declared) : train.sampleShape();
      build(in, new SplittableRandom(opt.seed()));
    }
    if (!train.sampleShape().equals(inputShape)) {
      throw new IllegalArgumentException(
          "fit: the model expects samples of shape " + inputShape + ", the data set has "
              + train.sampleShape());
    }
    Dataset fitData = train;
    Dataset val = opt.validationData();
    if (val == null && opt.validationSplit() > 0) {
      var split = train.split(opt.validationSplit());
      fitData = split.train();
      val = split.validation();
      checkData("fit (after the validation split)", fitData);
    }
    seed = opt.seed();
    stopTraining = false;
    training = true;
    History history = new History();
    List<Parameter> params = parameters();
    boolean fuse = fusedLoss();
    List<Callback> cbs = opt.callbacks();
    try {
      for (Callback c : cbs) {
        c.onTrainBegin(this);
      }
      int n = fitData.size();
      int steps = (n + opt.batchSize() - 1) / opt.batchSize();
      for (int epoch = opt.initialEpoch(); epoch < opt.epochs() && !stopTraining; epoch++) {
        for (Callback c : cbs) {
          c.onEpochBegin(this, epoch);
        }
        double lr = optimizer.effectiveLearningRate();
        int[] order = opt.shuffle() ? permutation(n, mix(seed, epoch)) : range(0, n);
        double lossSum = 0;
        double[] metricSums = new double[metrics.size()];
        int seen = 0;
        Map<String, long[]> clipCounts = new LinkedHashMap<>();
        Map<String, Double> maxNorms = new LinkedHashMap<>();
        for (int step = 0; step < steps && !stopTraining; step++) {
          int from = step * opt.batchSize();
          int to = Math.min(n, from + opt.batchSize());
          int[] idx = new int[to - from];
          System.arraycopy(order, from, idx, 0, idx.length);
          Batch b = fitData.batch(idx);
          int[] y = b.y();
          StepResult r = step(b.x(), y, params, fuse);
          float lossValue = r.loss();
          if (!Float.isFinite(lossValue)) {
            history.markDiverged(epoch, step);
          }
          Map<String, ConstraintActivity> act = r.activity();
          for (Map.Entry<String, ConstraintActivity> e : act.entrySet()) {
            ConstraintActivity a = e.getValue();
            long[] c = clipCounts.computeIfAbsent(e.getKey(), k -> new long[2]);
            c[0] += a.projected();
            c[1] += a.slices();
            double prev = maxNorms.getOrDefault(e.getKey(), 0.0);
            double now = a.maxNormBefore();
            maxNorms.put(e.getKey(), Double.isNaN(now) || Double.isNaN(prev) ? Double.NaN
                : Math.max(prev, now));
          }
          lossSum += (double) lossValue * y.length;
          for (int i = 0; i < metrics.size(); i++) {
            metricSums[i] += r.metricSums()[i];
          }
          seen += y.length;
          if (!cbs.isEmpty()) {
            Map<String, Double> logs = epochLogs(lossSum, metricSums, seen);
            for (Callback c : cbs) {
              c.onBatchEnd(this, epoch, step, logs);
            }
          }
        }
        Map<String, Double> logs = epochLogs(lossSum, metricSums, Math.max(seen, 1));
        if (val != null && !stopTraining) {
          Map<String, Double> v = evaluate(val, opt.batchSize());
          for (Map.Entry<String, Double> e : v.entrySet()) {
            logs.put("val_" + e.getKey(), e.getValue());
          }
        }
        logs.put("lr", lr);
        for (Map.Entry<String, long[]> e : clipCounts.entrySet()) {
          long[] c = e.getValue();
          logs.put(e.getKey() + ":clipped", c[1] == 0 ? 0.0 : c[0] / (double) c[1]);
          logs.put(e.getKey() + ":max_norm", maxNorms.get(e.getKey()));
        }
        history.add(epoch, logs);
        epochsCompleted = epoch + 1;
        if (opt.verbose() == 1) {
          System.out.println(formatEpoch(epoch, opt.epochs(), logs));
        }
        for (Callback c : cbs) {
          c.onEpochEnd(this, epoch, logs);
        }
      }
    } finally {
      training = false;
    }
    for (Callback c : cbs) {
      c.onTrainEnd(this, history);
    }
    return history;
  }

  /** What a training step reports: the loss, each metric's sum over the batch, constraint activity. */
  record StepResult(float loss, double[] metricSums, Map<String, ConstraintActivity> activity) {}

  /**
   * One training step on one batch, the step of {@link #fit}: forward in training mode (dropout
   * seeded by the model's seed and the optimizer's iteration count), loss plus regularization
   * penalties, backward, optimizer update, constraint projection; then the metrics on the batch's
   * outputs (before the update). The step's intermediate arrays come from the model's {@link
   * Workspace} and are reused by the next step, so nothing computed here outlives it but the
   * numbers returned.
   */
  StepResult step(Tensor x, int[] y, List<Parameter> params, boolean fuse) {
    long stepSeed = mix(seed ^ 0x5DEECE66DL, optimizer.iterations());
    try (Workspace.Scope ignored = workspace.open()) {
      Tensor out = forward(x, ForwardContext.training(stepSeed), fuse);
      Tensor total = withPenalties(batchLoss(out, y, fuse), params);
      float lossValue = total.item();
      List<Variable> vars = new ArrayList<>(params.size());
      for (Parameter p : params) {
        vars.add(p.variable());
      }
      // sets every parameter's gradient (zero for one the loss does not reach)
      Autograd.backwardReplacing(total, vars);
      Map<String, ConstraintActivity> act = optimizer.step(params);
      double[] sums = new double[metrics.size()];
      for (int i = 0; i < sums.length; i++) {
        sums[i] = metrics.get(i).batchSum(out.detach(), y);
      }
      return new StepResult(lossValue, sums, act);
    }
  }

  /**
   * Runs one training step on a single batch, exactly the step {@link #fit} takes for each batch
   * (forward with dropout, loss, backward, optimizer update, constraint projection), and returns
   * the batch's loss and metrics, as Keras's {@code train_on_batch}. The dropout masks depend on
   * the model's seed ({@link #seed()}) and the optimizer's iteration count. An unbuilt model is
   * built first, from the first layer's declared input shape or else from {@code x}'s shape, with
   * initial weights drawn from a generator seeded with {@link #seed()}.
   *
   * @param x inputs {@code [batch, ...inputShape]}
   * @param y one class label per sample
   * @return {@code loss} and each compiled metric, for this batch before the update
   * @throws IllegalStateException when the model is not compiled or is being fit
   * @throws IllegalArgumentException when {@code x} or {@code y} do not fit the model
   */
  public Map<String, Double> trainOnBatch(Tensor x, int[] y) {
    requireCompiled("trainOnBatch");
    if (training) {
      throw new IllegalStateException("trainOnBatch: fit is running on this model");
    }
    if (x == null || y == null) {
      throw new IllegalArgumentException("trainOnBatch: x and y must not be null");
    }
    if (x.rank() < 1 || x.shape().dim(0) != y.length) {
      throw new IllegalArgumentException(
          "trainOnBatch: x of shape " + x.shape() + " does not match " + y.length + " labels");
    }
    if (!built()) {
      int[] declared = layers.get(0).declaredInputShape();
      int[] d = x.shape().dims();
      Shape in = declared != null
          ? Shape.of(declared) : Shape.of(Arrays.copyOfRange(d, 1, d.length));
      build(in, new SplittableRandom(seed));
    }
    StepResult r = step(x, y, parameters(), fusedLoss());
    Map<String, Double> logs = new LinkedHashMap<>();
    logs.put("loss", (double) r.loss());
    for (int i = 0; i < metrics.size(); i++) {
      logs.put(metrics.get(i).name(), r.metricSums()[i] / y.length);
    }
    return logs;
  }

  /** Whether fit is running. */
  public boolean isTraining() {
    return training;
  }

  private Map<String, Double> epochLogs(double lossSum, double[] metricSums, int seen) {
    Map<String, Double> logs = new LinkedHashMap<>();
    logs.put("loss", lossSum / seen);
    for (int i = 0; i < metrics.size(); i++) {
      logs.put(metrics.get(i).name(), metricSums[i] / seen);
    }
    return logs;
  }

  static String formatEpoch(int epoch, int epochs, Map<String, Double> logs) {
    StringBuilder b = new StringBuilder("Epoch " + (epoch + 1) + "/" + epochs);
    for (Map.Entry<String, Double> e : logs.entrySet()) {
      b.append(" - ").append(e.getKey()).append(": ").append(String.format("%.4f", e.getValue()));
    }
    return b.toString();
  }

  /** A SplitMix64-style mix of two values: the seeds of epochs and steps. */
  static long mix(long a, long b) {
    long z = a + 0x9E3779B97F4A7C15L * (b + 1);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  static int[] permutation(int n, long seed) {
    int[] p = range(0, n);
    SplittableRandom r = new SplittableRandom(seed);
    for (int i = n - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }

  static int[] range(int from, int to) {
    int[] r = new int[to - from];
    for (int i = 0; i < r.length; i++) {
      r[i] = from + i;
    }
    return r;
  }

  private void requireBuilt(String what) {
    if (!built()) {
      throw new IllegalStateException(what + ": the model is not built; call build(...) first");
    }
  }

  private void requireCompiled(String what) {
    if (optimizer == null) {
      throw new IllegalStateException(what + ": the model is not compiled; call compile(...) first");
    }
    if (layers.isEmpty()) {
      throw new IllegalStateException(what + ": the model has no layers");
    }
  }

  private static void checkBatchSize(int b) {
    if (b < 1) {
      throw new IllegalArgumentException("batch_size must be >= 1, received " + b);
    }
  }

  private void checkData(String what, Dataset d) {
    if (d == null) {
      throw new IllegalArgumentException(what + ": the data set is null");
    }
    if (d.size() == 0) {
      throw new IllegalArgumentException(what + ": the data set is empty");
    }
    if (outputShape != null && outputShape.rank() == 1) {
      int classes = outputShape.dim(0);
      int limit = classes == 1 ? 2 : classes;
      if (d.numClasses() > limit) {
        throw new IllegalArgumentException(
            what + ": the data set has labels up to " + (d.numClasses() - 1) + " but the model has "
                + classes + " output" + (classes == 1 ? "" : "s"));
      }
    }
  }
}

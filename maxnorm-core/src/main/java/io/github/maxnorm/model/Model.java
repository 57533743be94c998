package io.github.maxnorm.model;

import io.github.maxnorm.data.Batch;
import io.github.maxnorm.data.Dataset;
import io.github.maxnorm.losses.Loss;
import io.github.maxnorm.metrics.Metric;
import io.github.maxnorm.metrics.Metrics;
import io.github.maxnorm.nn.ConstraintActivity;
import io.github.maxnorm.nn.DTypePolicy;
import io.github.maxnorm.nn.ForwardContext;
import io.github.maxnorm.nn.Layer;
import io.github.maxnorm.nn.Parameter;
import io.github.maxnorm.nn.SymbolicTensor;
import io.github.maxnorm.nn.layers.InputLayer;
import io.github.maxnorm.optim.Optimizer;
import io.github.maxnorm.optim.OptimizerConfig;
import io.github.maxnorm.tensor.Autograd;
import io.github.maxnorm.tensor.GradMode;
import io.github.maxnorm.tensor.Shape;
import io.github.maxnorm.tensor.Tensor;
import io.github.maxnorm.tensor.Variable;
import io.github.maxnorm.tensor.Workspace;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A model: a graph of layers from symbolic inputs to outputs, built with Keras's functional API,
 * and trained Keras-style. {@link Sequential} is the linear case.
 *
 * <pre>{@code
 * SymbolicTensor x = Input.of(28, 28, 1);
 * SymbolicTensor h = new Conv2D(16, 3).padding("same").activation("relu").apply(x);
 * SymbolicTensor y = new Dense(10).activation("softmax")
 *     .apply(new GlobalAveragePooling2D().apply(new Add().apply(h, new Conv2D(16, 1).apply(x))));
 * Model model = new Model("tiny", List.of(x), List.of(y));
 * model.compile(SGD.of(0.1).withMomentum(0.9), Losses.sparseCategoricalCrossentropy(false),
 *     "accuracy");
 * History h = model.fit(train, FitOptions.defaults().epochs(10).batchSize(128).seed(1));
 * }</pre>
 *
 * <p>The training loop is the same for every model. Each step: forward in training mode (dropout,
 * noise and batch statistics seeded by the model's seed and the optimizer's iteration count), the
 * loss plus every weight's regularization penalty and every layer's activity penalty, backward,
 * then the optimizer's update and constraint projection of the trainable weights. When the loss is
 * a cross-entropy on probabilities and the output is a softmax, the loss is computed from the
 * softmax's logits by the fused, stable formula, whichever layer computed the softmax (see {@link
 * io.github.maxnorm.losses.CategoricalCrossentropy}).
 *
 * <p>{@code fit}, {@code evaluate} and {@code trainOnBatch} take models with one input and one
 * output; {@code predict} takes any number of each. Not thread-safe for training. {@link
 * #predict} may be called from several threads at once on a model that is not being trained: it
 * records no graph and writes no shared state.
 */
public class Model {
  /** The most layers a model may have: bounds the work of loading a hostile config. */
  public static final int MAX_LAYERS = 100_000;

  private String name;
  private List<SymbolicTensor> inputs;
  private List<SymbolicTensor> outputs;
  /** The nodes of the graph that are not inputs, each after its inputs. */
  private List<SymbolicTensor> nodes = List.of();
  private List<Layer> layers = List.of();
  private boolean built;
  /** The storage of each training step's intermediate results, reused by the next step. */
  private final Workspace workspace = new Workspace();
  private Optimizer optimizer;
  private Loss loss;
  private List<Metric> metrics = List.of();
  private volatile boolean stopTraining;
  private volatile boolean training;
  private long seed;
  private int epochsCompleted;
  private DTypePolicy dtypePolicy = DTypePolicy.FLOAT32;

  /** A model from one input to one output. */
  public Model(SymbolicTensor input, SymbolicTensor output) {
    this("model", List.of(input), List.of(output));
  }

  /** A model from its inputs to its outputs. */
  public Model(List<SymbolicTensor> inputs, List<SymbolicTensor> outputs) {
    this("model", inputs, outputs);
  }

  /** A named model from its inputs to its outputs. */
  public Model(String name, List<SymbolicTensor> inputs, List<SymbolicTensor> outputs) {
    this(name);
    define(inputs, outputs);
  }

  /** A model whose graph a subclass defines later ({@link Sequential}). */
  protected Model(String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("Model: name must not be blank");
    }
    this.name = name;
  }

  public String name() {
    return name;
  }

  // ------------------------------------------------------------------------------- graph

  /**
   * Sets the graph: every node that the outputs depend on, found by walking back from them, must
   * lead back to the given inputs only. Unnamed layers get unique Keras-style names in graph order.
   */
  protected final void define(List<SymbolicTensor> ins, List<SymbolicTensor> outs) {
    if (ins == null || outs == null || ins.isEmpty() || outs.isEmpty()) {
      throw new IllegalArgumentException("Model: give at least one input and one output");
    }
    Set<SymbolicTensor> inputSet = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    for (SymbolicTensor t : ins) {
      if (t == null || !(t.layer() instanceof InputLayer)) {
        throw new IllegalArgumentException(
            "Model: inputs must be made by Input.of(...), received " + t);
      }
      if (!inputSet.add(t)) {
        throw new IllegalArgumentException("Model: input " + t + " is given twice");
      }
    }
    List<SymbolicTensor> order = topologicalOrder(outs, inputSet);
    List<Layer> ls = new ArrayList<>();
    Set<Layer> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    for (SymbolicTensor t : ins) {
      if (seen.add(t.layer())) {
        ls.add(t.layer());
      }
    }
    List<SymbolicTensor> ns = new ArrayList<>();
    for (SymbolicTensor t : order) {
      if (!inputSet.contains(t)) {
        ns.add(t);
        if (seen.add(t.layer())) {
          ls.add(t.layer());
        }
      }
    }
    if (ls.size() > MAX_LAYERS) {
      throw new IllegalArgumentException(
          "Model: " + ls.size() + " layers exceed the limit of " + MAX_LAYERS);
    }
    uniqueNames(ls);
    inputs = List.copyOf(ins);
    outputs = List.copyOf(outs);
    nodes = List.copyOf(ns);
    layers = List.copyOf(ls);
  }

  /** The nodes the outputs depend on, each after its inputs, by an iterative depth-first walk. */
  private static List<SymbolicTensor> topologicalOrder(
      List<SymbolicTensor> outs, Set<SymbolicTensor> inputSet) {
    List<SymbolicTensor> order = new ArrayList<>();
    Map<SymbolicTensor, Boolean> done = new IdentityHashMap<>();
    ArrayDeque<Object[]> stack = new ArrayDeque<>();
    for (SymbolicTensor out : outs) {
      if (out == null) {
        throw new IllegalArgumentException("Model: an output is null");
      }
      if (done.containsKey(out)) {
        continue;
      }
      stack.push(new Object[] {out, 0});
      done.put(out, Boolean.FALSE);
      while (!stack.isEmpty()) {
        Object[] frame = stack.peek();
        SymbolicTensor t = (SymbolicTensor) frame[0];
        int next = (Integer) frame[1];
        if (next == 0 && t.inputs().isEmpty() && !inputSet.contains(t)) {
          throw new IllegalArgumentException(
              "Model: the outputs depend on " + t.layer().name()
                  + ", an input that is not among the model's inputs");
        }
        if (next < t.inputs().size() && !inputSet.contains(t)) {
          frame[1] = next + 1;
          SymbolicTensor in = t.inputs().get(next);
          if (!done.containsKey(in)) {
            done.put(in, Boolean.FALSE);
            stack.push(new Object[] {in, 0});
          }
        } else {
          stack.pop();
          order.add(t);
        }
      }
    }
    return order;
  }

  /** Renames unnamed layers whose names collide; fails on two named layers of the same name. */
  private static void uniqueNames(List<Layer> ls) {
    Map<String, Layer> taken = new HashMap<>();
    for (Layer l : ls) {
      if (l.hasName()) {
        Layer other = taken.put(l.name(), l);
        if (other != null) {
          throw new IllegalArgumentException(
              "Model: two layers are named " + l.name() + "; layer names must be unique");
        }
      }
    }
    for (Layer l : ls) {
      if (!l.hasName()) {
        String base = l.name();
        String n = base;
        for (int k = 1; taken.containsKey(n); k++) {
          n = base + "_" + k;
        }
        if (!n.equals(base)) {
          if (l.built()) {
            throw new IllegalArgumentException(
                "Model: layer " + base + " is built and its name is taken; name it");
          }
          l.name(n);
        }
        taken.put(n, l);
      }
    }
  }

  /** Whether the graph is defined (a Sequential defines it when it is built). */
  public boolean hasGraph() {
    return inputs != null;
  }

  /** The symbolic inputs. */
  public List<SymbolicTensor> inputs() {
    requireGraph("inputs");
    return inputs;
  }

  /** The symbolic outputs. */
  public List<SymbolicTensor> outputs() {
    requireGraph("outputs");
    return outputs;
  }

  /** The nodes of the graph that are not inputs, each after those it depends on. */
  public List<SymbolicTensor> nodes() {
    return nodes;
  }

  /** The layers, input layers first, each once, in graph order. */
  public List<Layer> layers() {
    return layers;
  }

  /** The layer named {@code name}. */
  public Layer layer(String layerName) {
    for (Layer l : layers()) {
      if (l.name().equals(layerName)) {
        return l;
      }
    }
    throw new IllegalArgumentException(name + " has no layer named " + layerName);
  }

  private void requireGraph(String what) {
    if (inputs == null) {
      throw new IllegalStateException(what + ": the model is not built; call build(...) first");
    }
  }

  // ------------------------------------------------------------------------------- build

  public boolean built() {
    return built;
  }

  /**
   * Creates every layer's weights, in layer order, drawing initial values from {@code rng}. Layers
   * already built (shared with another model) keep theirs.
   */
  public Model build(SplittableRandom rng) {
    requireGraph("build");
    if (built) {
      throw new IllegalStateException("build: the model is already built");
    }
    for (Layer l : layers) {
      l.build(l.inputShapes(), rng);
    }
    built = true;
    return this;
  }

  /** Builds the model before a fit or step when it is not; a Sequential defines its graph then. */
  void buildFor(Shape sampleShape, long buildSeed) {
    if (!built) {
      build(new SplittableRandom(buildSeed));
    }
  }

  /** The per-sample shape of the (first) input. */
  public Shape inputShape() {
    return inputs == null ? null : inputs.get(0).shape();
  }

  /** The per-sample shape of the (first) output. */
  public Shape outputShape() {
    return outputs == null ? null : outputs.get(0).shape();
  }

  /** Every weight the optimizer updates: trainable weights of trainable layers, layer by layer. */
  public List<Parameter> parameters() {
    List<Parameter> ps = new ArrayList<>();
    for (Layer l : layers()) {
      ps.addAll(l.trainableWeights());
    }
    return ps;
  }

  /** Every weight, trainable or not, layer by layer, each layer's in Keras's order. */
  public List<Parameter> weights() {
    List<Parameter> ps = new ArrayList<>();
    for (Layer l : layers()) {
      ps.addAll(l.weights());
    }
    return ps;
  }

  /** The number of values of all weights (Keras's {@code count_params}). */
  public long countParams() {
    long n = 0;
    for (Parameter p : weights()) {
      n += p.shape().size();
    }
    return n;
  }

  /** The number of values the optimizer updates. */
  public long countTrainableParams() {
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

  // ------------------------------------------------------------------------------- compile

  /**
   * Sets the optimizer, the loss and the metrics (Keras names, e.g. {@code accuracy}, {@code
   * mae}). Compile again after freezing or unfreezing layers.
   */
  public Model compile(OptimizerConfig optimizerConfig, Loss lossFn, String... metricNames) {
    if (optimizerConfig == null || lossFn == null) {
      throw new IllegalArgumentException("compile: optimizer and loss are required");
    }
    List<Metric> ms = new ArrayList<>();
    for (String m : metricNames) {
      ms.add(Metrics.byName(m));
    }
    this.optimizer = new Optimizer(optimizerConfig);
    this.loss = lossFn;
    this.metrics = List.copyOf(ms);
    return this;
  }

  /**
   * The dtype policy of every layer that has none of its own ({@link DTypePolicy}): {@code
   * float32} unless set. This is maxnorm's form of Keras's global policy, held by the model rather
   * than the process; saving the model writes it into those layers' {@code dtype}.
   */
  public DTypePolicy dtypePolicy() {
    return dtypePolicy;
  }

  /** Sets the default dtype policy of layers without their own; see {@link #dtypePolicy()}. */
  public Model dtypePolicy(DTypePolicy p) {
    if (p == null) {
      throw new IllegalArgumentException("dtypePolicy: the policy must not be null");
    }
    dtypePolicy = p;
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

  /** Whether fit is running. */
  public boolean isTraining() {
    return training;
  }

  // ------------------------------------------------------------------------------- forward

  /** Runs the graph on one batch per input and returns one batch per output. */
  List<Tensor> forward(List<Tensor> xs, ForwardContext ctx) {
    if (xs.size() != inputs.size()) {
      throw new IllegalArgumentException(
          name + " expects " + inputs.size() + " input" + (inputs.size() == 1 ? "" : "s")
              + ", received " + xs.size());
    }
    Map<SymbolicTensor, Tensor> values = new IdentityHashMap<>();
    for (int i = 0; i < xs.size(); i++) {
      values.put(inputs.get(i), checkInputBatch(i, xs.get(i)));
    }
    for (SymbolicTensor node : nodes) {
      List<Tensor> in = new ArrayList<>(node.inputs().size());
      for (SymbolicTensor t : node.inputs()) {
        in.add(values.get(t));
      }
      values.put(node, node.layer().forward(in, ctx.forCall(node.nodeIndex())));
    }
    List<Tensor> out = new ArrayList<>(outputs.size());
    for (SymbolicTensor t : outputs) {
      out.add(values.get(t));
    }
    return out;
  }

  private Tensor checkInputBatch(int i, Tensor x) {
    if (x == null) {
      throw new IllegalArgumentException(name + ": input " + i + " is null");
    }
    int[] d = x.shape().dims();
    int[] want = inputs.get(i).shape().dims();
    boolean ok = d.length == want.length + 1;
    for (int k = 0; ok && k < want.length; k++) {
      ok = d[k + 1] == want[k];
    }
    if (!ok) {
      StringBuilder b = new StringBuilder("[batch");
      for (int w : want) {
        b.append(", ").append(w);
      }
      throw new IllegalArgumentException(
          name + " expects input of shape " + b + "], received shape " + x.shape());
    }
    return x;
  }

  /** The model's output for a batch, in inference mode (no dropout, no graph): one input, one output. */
  public Tensor predict(Tensor x) {
    requireSingle("predict");
    return predict(List.of(x)).get(0);
  }

  /** The outputs for one batch per input, in inference mode. */
  public List<Tensor> predict(List<Tensor> xs) {
    requireBuilt("predict");
    try (GradMode.Scope ignored = GradMode.off()) {
      return forward(xs, ForwardContext.INFERENCE.withDtypePolicy(dtypePolicy));
    }
  }

  /** The outputs for every sample of a data set, batch by batch (one input, one output). */
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
    requireBuilt("evaluate");
    checkBatchSize(batchSize);
    checkData("evaluate", data);
    double lossSum = 0;
    double[] metricSums = new double[metrics.size()];
    int n = data.size();
    List<Parameter> all = weights();
    try (GradMode.Scope ignored = GradMode.off()) {
      for (int from = 0; from < n; from += batchSize) {
        Batch b = data.batch(range(from, Math.min(n, from + batchSize)));
        // each batch's intermediate arrays are reused by the next batch
        try (Workspace.Scope batchScope = workspace.open()) {
          List<Tensor> extra = new ArrayList<>();
          Tensor out = forward(List.of(b.x()), new ForwardContext(false, 0L, extra, dtypePolicy))
              .get(0);
          Tensor total = withPenalties(loss.compute(out, b.targets()), all, extra);
          lossSum += total.item() * (double) b.size();
          for (int i = 0; i < metrics.size(); i++) {
            metricSums[i] += metrics.get(i).batchSum(out, b.targets());
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

  /**
   * The loss plus every weight's regularization penalty and the layers' activity penalties: the
   * value Keras reports as "loss" in both training and evaluation.
   */
  private static Tensor withPenalties(Tensor loss, List<Parameter> params, List<Tensor> extra) {
    Tensor total = loss;
    for (Parameter p : params) {
      if (p.regularizer() != null) {
        total = total.add(p.regularizer().penalty(p.variable().value()));
      }
    }
    for (Tensor t : extra) {
      total = total.add(t);
    }
    return total;
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
    buildFor(train.sampleShape(), opt.seed());
    requireSingle("fit");
    if (!train.sampleShape().equals(inputShape())) {
      throw new IllegalArgumentException(
          "fit: the model expects samples of shape " + inputShape() + ", the data set has "
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
          StepResult r = step(b.x(), b.targets(), params);
          float lossValue = r.loss();
          if (!Float.isFinite(lossValue)) {
            history.markDiverged(epoch, step);
          }
          for (Map.Entry<String, ConstraintActivity> e : r.activity().entrySet()) {
            ConstraintActivity a = e.getValue();
            long[] c = clipCounts.computeIfAbsent(e.getKey(), k -> new long[2]);
            c[0] += a.projected();
            c[1] += a.slices();
            double prev = maxNorms.getOrDefault(e.getKey(), 0.0);
            double now = a.maxNormBefore();
            maxNorms.put(e.getKey(), Double.isNaN(now) || Double.isNaN(prev) ? Double.NaN
                : Math.max(prev, now));
          }
          lossSum += (double) lossValue * b.size();
          for (int i = 0; i < metrics.size(); i++) {
            metricSums[i] += r.metricSums()[i];
          }
          seen += b.size();
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
   * seeded by the model's seed and the optimizer's iteration count), loss plus penalties,
   * backward, optimizer update, constraint projection; then the metrics on the batch's outputs
   * (before the update). The step's intermediate arrays come from the model's {@link Workspace}
   * and are reused by the next step, so nothing computed here outlives it but the numbers returned.
   */
  StepResult step(Tensor x, Tensor targets, List<Parameter> params) {
    long stepSeed = mix(seed ^ 0x5DEECE66DL, optimizer.iterations());
    try (Workspace.Scope ignored = workspace.open()) {
      List<Tensor> extra = new ArrayList<>();
      Tensor out =
          forward(List.of(x), new ForwardContext(true, stepSeed, extra, dtypePolicy)).get(0);
      Tensor total = withPenalties(loss.compute(out, targets), weights(), extra);
      float lossValue = total.item();
      List<Variable> vars = new ArrayList<>(params.size());
      for (Parameter p : params) {
        vars.add(p.variable());
      }
      if (total.requiresGrad()) {
        // sets every parameter's gradient (zero for one the loss does not reach)
        Autograd.backwardReplacing(total, vars);
      } else {
        for (Variable v : vars) {
          v.zeroGrad();
        }
      }
      Map<String, ConstraintActivity> act = optimizer.step(params);
      double[] sums = new double[metrics.size()];
      for (int i = 0; i < sums.length; i++) {
        sums[i] = metrics.get(i).batchSum(out.detach(), targets);
      }
      return new StepResult(lossValue, sums, act);
    }
  }

  /**
   * Runs one training step on a single batch of class labels; see {@link #trainOnBatch(Tensor,
   * Tensor)}.
   */
  public Map<String, Double> trainOnBatch(Tensor x, int[] y) {
    if (y == null) {
      throw new IllegalArgumentException("trainOnBatch: x and y must not be null");
    }
    return trainOnBatch(x, io.github.maxnorm.losses.Targets.labelTensor(y));
  }

  /**
   * Runs one training step on a single batch, exactly the step {@link #fit} takes for each batch
   * (forward with dropout, loss, backward, optimizer update, constraint projection), and returns
   * the batch's loss and metrics, as Keras's {@code train_on_batch}. The dropout masks depend on
   * the model's seed ({@link #seed()}) and the optimizer's iteration count. An unbuilt model is
   * built first (a Sequential from the first layer's declared input shape or else from {@code x}'s
   * shape), with initial weights drawn from a generator seeded with {@link #seed()}.
   *
   * @param x inputs {@code [batch, ...inputShape]}
   * @param targets class labels {@code [batch]} or targets of the output's shape
   * @return {@code loss} and each compiled metric, for this batch before the update
   * @throws IllegalStateException when the model is not compiled or is being fit
   * @throws IllegalArgumentException when {@code x} or the targets do not fit the model
   */
  public Map<String, Double> trainOnBatch(Tensor x, Tensor targets) {
    requireCompiled("trainOnBatch");
    if (training) {
      throw new IllegalStateException("trainOnBatch: fit is running on this model");
    }
    if (x == null || targets == null) {
      throw new IllegalArgumentException("trainOnBatch: x and y must not be null");
    }
    if (x.rank() < 1 || targets.rank() < 1 || x.shape().dim(0) != targets.shape().dim(0)) {
      throw new IllegalArgumentException(
          "trainOnBatch: x of shape " + x.shape() + " does not match "
              + (targets.rank() == 1 ? targets.shape().dim(0) + " labels"
                  : "targets of shape " + targets.shape()));
    }
    int[] d = x.shape().dims();
    buildFor(Shape.of(java.util.Arrays.copyOfRange(d, 1, d.length)), seed);
    requireSingle("trainOnBatch");
    StepResult r = step(x, targets, parameters());
    Map<String, Double> logs = new LinkedHashMap<>();
    logs.put("loss", (double) r.loss());
    for (int i = 0; i < metrics.size(); i++) {
      logs.put(metrics.get(i).name(), r.metricSums()[i] / x.shape().dim(0));
    }
    return logs;
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

  void requireBuilt(String what) {
    if (!built) {
      throw new IllegalStateException(what + ": the model is not built; call build(...) first");
    }
  }

  void requireCompiled(String what) {
    if (optimizer == null) {
      throw new IllegalStateException(what + ": the model is not compiled; call compile(...) first");
    }
  }

  private void requireSingle(String what) {
    requireGraph(what);
    if (inputs.size() != 1 || outputs.size() != 1) {
      throw new IllegalStateException(
          what + ": takes models with one input and one output; " + name + " has "
              + inputs.size() + " and " + outputs.size() + " (use predict(List) for several)");
    }
  }

  private static void checkBatchSize(int b) {
    if (b < 1) {
      throw new IllegalArgumentException("batch_size must be >= 1, received " + b);
    }
  }

  void checkData(String what, Dataset d) {
    if (d == null) {
      throw new IllegalArgumentException(what + ": the data set is null");
    }
    if (d.size() == 0) {
      throw new IllegalArgumentException(what + ": the data set is empty");
    }
    Shape out = outputShape();
    if (d.hasLabels() && out != null && out.rank() == 1) {
      int classes = out.dim(0);
      int limit = classes == 1 ? 2 : classes;
      if (d.numClasses() > limit) {
        throw new IllegalArgumentException(
            what + ": the data set has labels up to " + (d.numClasses() - 1) + " but the model has "
                + classes + " output" + (classes == 1 ? "" : "s"));
      }
    }
  }

  /** The layers that feed each layer, by name, in graph order (Keras's "Connected to"). */
  Map<Layer, List<String>> connections() {
    Map<Layer, List<String>> m = new LinkedHashMap<>();
    for (Layer l : layers) {
      m.put(l, new ArrayList<>());
    }
    for (SymbolicTensor node : nodes) {
      Set<String> names = new LinkedHashSet<>();
      for (SymbolicTensor in : node.inputs()) {
        names.add(in.layer().name() + "[" + in.nodeIndex() + "][0]");
      }
      m.get(node.layer()).addAll(names);
    }
    return m;
  }
}

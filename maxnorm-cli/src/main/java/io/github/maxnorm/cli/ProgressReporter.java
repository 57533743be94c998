package io.github.maxnorm.cli;

import io.github.maxnorm.model.Model;
import io.github.maxnorm.model.Callback;
import io.github.maxnorm.model.Sequential;
import java.io.Console;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.util.Locale;
import java.util.Map;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Reports training: a progress bar per epoch on the error stream when it is a terminal (steps, ETA,
 * running loss and accuracy), and one line per completed epoch on the output stream with the
 * metrics and the constraint activity.
 */
final class ProgressReporter implements Callback {
  private final PrintStream out;
  private final PrintStream err;
  private final boolean bar;
  private final int steps;
  private final int epochs;
  private ProgressBar current;

  ProgressReporter(PrintStream out, PrintStream err, boolean bar, int steps, int epochs) {
    this.out = out;
    this.err = err;
    this.bar = bar;
    this.steps = steps;
    this.epochs = epochs;
  }

  /** Whether {@code err} is the process's standard error attached to an interactive terminal. */
  static boolean interactive(PrintStream err) {
    if (err != System.err || "dumb".equals(System.getenv("TERM"))) {
      return false;
    }
    Console c = System.console();
    if (c == null) {
      return false;
    }
    try {
      Method m = Console.class.getMethod("isTerminal");
      return (Boolean) m.invoke(c);
    } catch (ReflectiveOperationException e) {
      return true;
    }
  }

  @Override
  public void onEpochBegin(Model model, int epoch) {
    if (bar) {
      current =
          new ProgressBarBuilder()
              .setTaskName("epoch " + (epoch + 1) + "/" + epochs)
              .setInitialMax(steps)
              .setStyle(ProgressBarStyle.ASCII)
              .setUpdateIntervalMillis(250)
              .setConsumer(new ConsoleProgressBarConsumer(err))
              .clearDisplayOnFinish()
              .build();
    }
  }

  @Override
  public void onBatchEnd(Model model, int epoch, int step, Map<String, Double> logs) {
    if (current != null) {
      current.stepTo(step + 1);
      current.setExtraMessage(
          String.format(Locale.ROOT, " loss %.4f acc %.4f", logs.getOrDefault("loss", Double.NaN),
              logs.getOrDefault("accuracy", Double.NaN)));
    }
  }

  @Override
  public void onEpochEnd(Model model, int epoch, Map<String, Double> logs) {
    closeBar();
    Double loss = logs.get("loss");
    if (loss != null && Double.isFinite(loss)) {
      out.println(epochLine(epoch, epochs, logs));
    }
  }

  @Override
  public void onTrainEnd(Model model, io.github.maxnorm.model.History history) {
    closeBar();
  }

  private void closeBar() {
    if (current != null) {
      current.close();
      current = null;
    }
  }

  /** {@code epoch 3/10 loss 0.2100 acc 0.9350 ... | dense/kernel clipped 12.5% max|w| 3.00}. */
  static String epochLine(int epoch, int epochs, Map<String, Double> logs) {
    StringBuilder b = new StringBuilder();
    b.append("epoch ").append(epoch + 1).append('/').append(epochs);
    metric(b, "loss", logs.get("loss"));
    metric(b, "acc", logs.get("accuracy"));
    metric(b, "val_loss", logs.get("val_loss"));
    metric(b, "val_acc", logs.get("val_accuracy"));
    String sep = " |";
    for (Map.Entry<String, Double> e : logs.entrySet()) {
      String k = e.getKey();
      if (k.endsWith(":clipped")) {
        String path = k.substring(0, k.length() - ":clipped".length());
        Double max = logs.get(path + ":max_norm");
        b.append(sep).append(' ').append(path)
            .append(String.format(Locale.ROOT, " clipped %.1f%% max|w| %.2f", e.getValue() * 100,
                max == null ? Double.NaN : max));
        sep = ",";
      }
    }
    return b.toString();
  }

  private static void metric(StringBuilder b, String name, Double v) {
    if (v != null) {
      b.append(' ').append(name).append(String.format(Locale.ROOT, " %.4f", v));
    }
  }
}

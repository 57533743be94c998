package io.github.maxnorm.cli;

/**
 * The main class for {@code spark-submit}: {@code maxnorm train} on the master spark-submit
 * configured, with the arguments given after the jar. For example:
 *
 * <pre>
 * spark-submit --master spark://host:7077 --class io.github.maxnorm.cli.SparkTrain \
 *     maxnorm-cli.jar --data mnist-sample --epochs 3 --partitions 4 --out runs/spark
 * </pre>
 */
public final class SparkTrain {
  private SparkTrain() {}

  public static void main(String[] args) {
    String[] all = new String[args.length + 2];
    all[0] = "train";
    all[1] = "--spark=";
    System.arraycopy(args, 0, all, 2, args.length);
    Main.main(all);
  }
}

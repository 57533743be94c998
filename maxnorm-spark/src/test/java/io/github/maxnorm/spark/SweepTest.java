package io.github.maxnorm.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.maxnorm.data.Dataset;
import io.github.maxnorm.losses.Losses;
import io.github.maxnorm.model.Sequential;
import io.github.maxnorm.nn.Constraints;
import io.github.maxnorm.nn.Regularizers;
import io.github.maxnorm.nn.layers.Dense;
import io.github.maxnorm.nn.layers.Dropout;
import io.github.maxnorm.optim.SGD;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweepTest {

  /** Byte-valued samples (as images are stored): blobs squashed into [0, 255]. */
  static Dataset bytes(int n, long seed) {
    List<LabeledSample> s = Blobs.samples(n, 8, 3, seed);
    byte[] b = new byte[n * 8];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      float[] f = s.get(i).features();
      for (int j = 0; j < 8; j++) {
        b[i * 8 + j] = (byte) Math.max(0, Math.min(255, Math.round(128 + 40 * f[j])));
      }
      y[i] = s.get(i).label();
    }
    return Dataset.ofBytes(new int[] {8}, b, y, 3);
  }

  /** 8 -> [dropout] -> 32 relu [max-norm, l2] -> [dropout] -> 3 softmax [max-norm, l2]. */
  static final ModelFactory MLP = s -> {
    Sequential m = new Sequential();
    m.add(new Dropout(s.inputDropout()).inputShape(8));
    Dense hidden = new Dense(32).activation("relu");
    Dense out = new Dense(3).activation("softmax");
    for (Dense d : List.of(hidden, out)) {
      if (s.maxNorm() > 0) {
        d.kernelConstraint(Constraints.maxNorm(s.maxNorm()));
      }
      if (s.l2() > 0) {
        d.kernelRegularizer(Regularizers.l2(s.l2()));
      }
    }
    m.add(hidden).add(new Dropout(s.dropout())).add(out);
    m.compile(SGD.of(s.learningRate()).withMomentum(0.9),
        Losses.sparseCategoricalCrossentropy(false), "accuracy");
    return m;
  };

  @Test
  void eachSettingEqualsItsSingleMachineRunBitForBit(@TempDir Path dir) throws Exception {
    Dataset train = bytes(200, 3);
    Dataset test = bytes(60, 4);
    List<SweepSetting> grid = Sweep.grid(new double[] {0.5, 0}, new double[][] {{0.2, 0.5}},
        new double[] {0.3}, new double[] {0, 1e-3}, new long[] {1, 2});
    assertEquals(8, grid.size());
    SweepOptions opt = new SweepOptions(3, 20, 1, 50);
    Sweep.SweepResults results = Sweep.run(LocalSpark.session(), grid, MLP, train, test, opt);

    assertEquals(8, results.results().size());
    HashSet<String> digests = new HashSet<>();
    for (int i = 0; i < grid.size(); i++) {
      SweepResult remote = results.results().get(i);
      SweepResult local = Sweep.runLocal(grid.get(i), MLP, train, test, opt);
      assertEquals(grid.get(i), remote.setting());
      assertEquals(local.weightsSha256(), remote.weightsSha256(), grid.get(i).label());
      assertEquals(local.finalLoss(), remote.finalLoss());
      assertEquals(local.heldOutAccuracy(), remote.heldOutAccuracy());
      digests.add(remote.weightsSha256());
      if (grid.get(i).maxNorm() > 0) {
        assertTrue(remote.maxUnitNorm() <= 0.5 * (1 + 1e-6), "norm " + remote.maxUnitNorm());
      }
    }
    assertEquals(8, digests.size(), "every setting trained a different model");

    List<Row> rows = results.toDataFrame().orderBy("label").collectAsList();
    assertEquals(8, rows.size());
    assertEquals(SweepResult.COLUMNS, List.of(results.toDataFrame().columns()));
    Path csv = dir.resolve("sweep.csv");
    results.writeCsv(csv);
    List<String> lines = Files.readAllLines(csv);
    assertEquals(9, lines.size());
    assertEquals(String.join(",", SweepResult.COLUMNS), lines.get(0));
    assertTrue(lines.get(1).startsWith("c=0.5 dropout=0.2/0.5 lr=0.3 l2=0.0 seed=1,0.5,0.2,0.5,"),
        lines.get(1));
    assertNotEquals(results.results().get(0).heldOutAccuracy(), Double.NaN);
  }

  @Test
  void rejectsRepeatedLabels() {
    SweepSetting s = new SweepSetting("a", 0, 0, 0, 0.1, 0, 1);
    var e = assertThrows(IllegalArgumentException.class, () -> Sweep.run(LocalSpark.session(),
        List.of(s, s), MLP, bytes(10, 1), bytes(10, 2), new SweepOptions(1, 5, 1, 5)));
    assertEquals("sweep: the label a appears twice", e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> new SweepSetting("a,b", 0, 0, 0, 0.1, 0, 1));
  }
}

package io.github.maxnorm.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.maxnorm.model.Sequential;
import io.github.maxnorm.nn.Parameter;
import io.github.maxnorm.nn.layers.Conv2D;
import io.github.maxnorm.nn.layers.Dense;
import io.github.maxnorm.nn.layers.Flatten;
import io.github.maxnorm.spark.Kernels;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The small parts: unit norms, aggregation and the CSV row. */
class PartsTest {

  /** The largest column norm, computed directly from a [in, units] layout. */
  private static double reference(float[] w, int in, int units) {
    double max = 0;
    for (int u = 0; u < units; u++) {
      double s = 0;
      for (int i = 0; i < in; i++) {
        s += (double) w[i * units + u] * w[i * units + u];
      }
      max = Math.max(max, Math.sqrt(s));
    }
    return max;
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3})
  void unitNormIsTheLargestColumnNormOverAllKernels(long seed) {
    Sequential m = new Sequential()
        .add(new Dense(7).inputShape(5))
        .add(new Dense(3));
    m.build(new SplittableRandom(seed));
    SplittableRandom r = new SplittableRandom(seed + 100);
    double want = 0;
    for (Parameter p : m.parameters()) {
      float[] d = p.variable().data();
      for (int i = 0; i < d.length; i++) {
        d[i] = (float) (r.nextDouble() * 4 - 2);
      }
      if (p.name().equals("kernel")) {
        want = Math.max(want, reference(d, p.shape().dim(0), p.shape().dim(1)));
      }
    }
    assertEquals(want, Kernels.maxUnitNorm(m), 1e-5);
  }

  @Test
  void convUnitNormRunsOverEachFilter() {
    Sequential m = new Sequential().add(new Conv2D(2, 2).inputShape(3, 3, 1)).add(new Flatten());
    m.build(new SplittableRandom(1));
    Parameter k = m.parameters().get(0);
    float[] d = k.variable().data();
    // kernel [2, 2, 1, 2]: filter 0 gets 1s (norm 2), filter 1 gets 3s (norm 6)
    for (int i = 0; i < d.length; i++) {
      d[i] = i % 2 == 0 ? 1f : 3f;
    }
    assertEquals(6.0, Kernels.maxUnitNorm(m), 1e-6);
    d[0] = Float.NaN;
    assertTrue(Double.isNaN(Kernels.maxUnitNorm(m)));
  }

  @Test
  void summaryGivesMeanAndSampleDeviationPerConfig() {
    List<RunResult> rs = List.of(
        new RunResult("e", "a", 1, 2, 0.5, "", 0.8, 2.0, 10),
        new RunResult("e", "a", 2, 2, 0.7, "", 0.9, 3.0, 20),
        new RunResult("e", "b", 1, 1, Double.NaN, "1:5", 0.1, Double.NaN, 5));
    List<Summary.Row> rows = Summary.rows(rs);
    assertEquals(2, rows.size());
    Summary.Row a = rows.get(0);
    assertEquals("a", a.config());
    assertEquals(0.85, a.meanAccuracy(), 1e-12);
    assertEquals(Math.sqrt(0.005), a.stdAccuracy(), 1e-12);
    assertEquals(0.6, a.meanFinalLoss(), 1e-12);
    assertEquals(3.0, a.maxUnitNorm(), 0);
    assertEquals(15.0, a.meanSeconds(), 1e-12);
    assertEquals(1, rows.get(1).diverged());
    assertEquals(0.0, rows.get(1).stdAccuracy());
    assertTrue(Summary.markdown("acc", rs).contains("| b | 1 | 1 |"));
  }

  @Test
  void runResultRowsAreValidCsv() {
    RunResult r = new RunResult("e", "lr=1 maxnorm=3", 7, 3, 0.25, null, 0.5, 3, 1.26);
    assertEquals("e,lr=1 maxnorm=3,7,3,0.250000,,0.500000,3.00000,1.3", r.csvRow());
    assertEquals(false, r.diverged());
    assertThrows(IllegalArgumentException.class,
        () -> new RunResult("e", "a,b", 1, 1, 0, "", 0, 0, 0));
    assertThrows(IllegalArgumentException.class,
        () -> new RunResult("e", "a", 1, -1, 0, "", 0, 0, 0));
    assertThrows(IllegalArgumentException.class,
        () -> new RunResult(" ", "a", 1, 1, 0, "", 0, 0, 0));
  }
}

package io.github.maxnorm.spark;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;

/**
 * The element-wise sum of vectors, held exactly, so that its value does not depend on the order or
 * grouping of the additions. Spark's {@code treeAggregate} combines partial results in the order
 * the tasks finish; a floating-point sum would then differ in its last bits from run to run, and a
 * retried task, a lost executor or a resumed job could change the averaged model. With an exact
 * sum the mean of a round is a function of the replicas' vectors alone.
 *
 * <p>Each element is kept as a {@code double} while the running sum is exactly a finite double,
 * which holds for sums of floats that are not many orders of magnitude apart (the error of every
 * addition is measured with Knuth's two-sum and must be zero); otherwise as a {@link BigDecimal}.
 * The representation is canonical (a double whenever the exact value is one), so {@link #mean} is
 * a function of the exact sum. Non-finite values follow IEEE arithmetic, which is associative for
 * them: any NaN gives NaN, infinities of both signs give NaN, otherwise the infinity wins.
 *
 * <p>A sum of one vector keeps the vector's floats as they are until it is combined, and travels
 * as 4 bytes per float: a replica's task result is the size of its state.
 *
 * <p>Not thread-safe; {@link #plus} updates this sum in place, as Spark's combiners may.
 */
public final class ExactSum implements Serializable {
  private static final long serialVersionUID = 1L;

  /** A single vector's float part, before it is widened into {@link #sums}; else null. */
  private transient float[] floats;
  /** A single vector's double part, beside {@link #floats}. */
  private transient double[] doubles;
  /** The sum of each element where it is exactly a double (or not finite); unused where in big. */
  private transient double[] sums;
  /** The elements whose exact sum no double holds. */
  private transient HashMap<Integer, BigDecimal> big;
  /** The number of vectors added. */
  private transient long count;

  private ExactSum(long count) {
    this.count = count;
  }

  /** The sum of no vectors: the identity of {@link #plus}. */
  public static ExactSum empty() {
    return new ExactSum(0);
  }

  /**
   * The sum of one vector: {@code floats} followed by {@code doubles} (either may be empty). The
   * arrays are kept, not copied; the caller must not change them.
   */
  public static ExactSum of(float[] floats, double[] doubles) {
    ExactSum s = new ExactSum(1);
    s.floats = floats;
    s.doubles = doubles;
    return s;
  }

  /** The number of vectors added. */
  public long count() {
    return count;
  }

  /** The length of the vectors, or 0 when none was added. */
  public int length() {
    if (floats != null) {
      return floats.length + doubles.length;
    }
    return sums == null ? 0 : sums.length;
  }

  /** Moves a single vector's parts into {@link #sums}. */
  private void widen() {
    if (floats != null) {
      double[] s = new double[floats.length + doubles.length];
      for (int i = 0; i < floats.length; i++) {
        s[i] = floats[i];
      }
      System.arraycopy(doubles, 0, s, floats.length, doubles.length);
      sums = s;
      floats = null;
      doubles = null;
    }
  }

  /**
   * Adds {@code other} into this sum and returns this.
   *
   * @throws IllegalArgumentException when the vectors' lengths differ
   */
  public ExactSum plus(ExactSum other) {
    if (other.count == 0) {
      return this;
    }
    if (count == 0) {
      floats = other.floats == null ? null : other.floats.clone();
      doubles = other.doubles == null ? null : other.doubles.clone();
      sums = other.sums == null ? null : other.sums.clone();
      big = other.big == null ? null : new HashMap<>(other.big);
      count = other.count;
      return this;
    }
    if (other.length() != length()) {
      throw new IllegalArgumentException(
          "ExactSum: cannot add a vector of length " + other.length() + " to one of length "
              + length());
    }
    widen();
    // the other side is read where it is (a single vector's floats need no widening)
    float[] of = other.floats;
    int fl = of == null ? 0 : of.length;
    double[] o = of == null ? other.sums : other.doubles;
    int shift = of == null ? 0 : fl;
    BitSet wide = wideElements(big);
    wide.or(wideElements(other.big));
    boolean anyWide = !wide.isEmpty();
    for (int i = 0; i < sums.length; i++) {
      double b = i < fl ? of[i] : o[i - shift];
      if (!anyWide || !wide.get(i)) {
        double a = sums[i];
        // two-sum: s + err == a + b exactly; a finite s with no error is the exact sum (a
        // non-finite operand makes s or err non-finite and takes the exact path below)
        double s = a + b;
        double bv = s - a;
        double err = (a - (s - bv)) + (b - bv);
        if (err == 0 && s - s == 0) {
          sums[i] = s;
          continue;
        }
      }
      BigDecimal x = big == null ? null : big.get(i);
      BigDecimal y = other.big == null ? null : other.big.get(i);
      addExact(i, x, sums[i], y, b);
    }
    count += other.count;
    return this;
  }

  private static BitSet wideElements(Map<Integer, BigDecimal> big) {
    BitSet b = new BitSet();
    if (big != null) {
      for (int i : big.keySet()) {
        b.set(i);
      }
    }
    return b;
  }

  /** Element i is the exact sum of (x or its double a) and (y or its double b). */
  private void addExact(int i, BigDecimal x, double a, BigDecimal y, double b) {
    if ((x == null && !Double.isFinite(a)) || (y == null && !Double.isFinite(b))) {
      // a non-finite side decides the result on its own (or with the other non-finite side)
      double s = (x == null ? a : 0) + (y == null ? b : 0);
      setDouble(i, s);
      return;
    }
    BigDecimal s = (x != null ? x : new BigDecimal(a)).add(y != null ? y : new BigDecimal(b));
    double d = s.doubleValue();
    if (Double.isFinite(d) && new BigDecimal(d).compareTo(s) == 0) {
      setDouble(i, d);
    } else {
      if (big == null) {
        big = new HashMap<>();
      }
      big.put(i, s);
      sums[i] = Double.NaN;
    }
  }

  private void setDouble(int i, double d) {
    sums[i] = d;
    if (big != null) {
      big.remove(i);
    }
  }

  /** The exact sum of element {@code i}, rounded to a double. */
  public double sum(int i) {
    if (i < 0 || i >= length()) {
      throw new IllegalArgumentException(
          "ExactSum: index " + i + " is outside [0, " + length() + ")");
    }
    if (floats != null) {
      return i < floats.length ? floats[i] : doubles[i - floats.length];
    }
    BigDecimal b = big == null ? null : big.get(i);
    return b != null ? b.doubleValue() : sums[i];
  }

  /**
   * The mean of elements {@code [from, to)} over the vectors added, each rounded to a float: the
   * exact sum divided by the count, a function of the exact sum alone.
   */
  public float[] mean(int from, int to) {
    if (from < 0 || to > length() || from > to) {
      throw new IllegalArgumentException(
          "ExactSum: range [" + from + ", " + to + ") is outside [0, " + length() + ")");
    }
    widen();
    float[] out = new float[to - from];
    for (int i = from; i < to; i++) {
      out[i - from] = (float) (sums[i] / count);
    }
    if (big != null) {
      BigDecimal n = BigDecimal.valueOf(count);
      for (Map.Entry<Integer, BigDecimal> e : big.entrySet()) {
        int i = e.getKey();
        if (i >= from && i < to) {
          out[i - from] = (float) e.getValue().divide(n, MathContext.DECIMAL128).doubleValue();
        }
      }
    }
    return out;
  }

  /** How many elements currently need more than a double (for tests and diagnostics). */
  int wideElements() {
    return big == null ? 0 : big.size();
  }

  /**
   * Writes a single vector as its floats and doubles; a sum of several as doubles (and the
   * elements that need more).
   */
  private void writeObject(ObjectOutputStream out) throws IOException {
    out.defaultWriteObject();
    out.writeLong(count);
    boolean single = floats != null;
    out.writeBoolean(single);
    if (single) {
      out.writeInt(floats.length);
      out.writeInt(doubles.length);
      ByteBuffer b = ByteBuffer.allocate(4 * floats.length + 8 * doubles.length);
      b.asFloatBuffer().put(floats);
      b.position(4 * floats.length);
      b.asDoubleBuffer().put(doubles);
      out.write(b.array());
      return;
    }
    int n = length();
    out.writeInt(n);
    if (n > 0) {
      ByteBuffer b = ByteBuffer.allocate(8 * n);
      b.asDoubleBuffer().put(sums);
      out.write(b.array());
    }
    out.writeObject(big);
  }

  @SuppressWarnings("unchecked")
  private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
    in.defaultReadObject();
    count = in.readLong();
    if (in.readBoolean()) {
      floats = new float[in.readInt()];
      doubles = new double[in.readInt()];
      byte[] bytes = new byte[4 * floats.length + 8 * doubles.length];
      in.readFully(bytes);
      ByteBuffer b = ByteBuffer.wrap(bytes);
      b.asFloatBuffer().get(floats);
      b.position(4 * floats.length);
      b.asDoubleBuffer().get(doubles);
      return;
    }
    int n = in.readInt();
    if (n > 0) {
      byte[] bytes = new byte[8 * n];
      in.readFully(bytes);
      sums = new double[n];
      ByteBuffer.wrap(bytes).asDoubleBuffer().get(sums);
    }
    big = (HashMap<Integer, BigDecimal>) in.readObject();
  }

  @Override
  public String toString() {
    return "ExactSum(count=" + count + ", length=" + length() + ", wide=" + wideElements() + ")";
  }

  /** Equal when the same number of vectors gave the same exact sums. */
  @Override
  public boolean equals(Object o) {
    if (!(o instanceof ExactSum e) || e.count != count || e.length() != length()) {
      return false;
    }
    for (int i = 0; i < length(); i++) {
      BigDecimal x = big == null ? null : big.get(i);
      BigDecimal y = e.big == null ? null : e.big.get(i);
      if ((x == null) != (y == null)) {
        return false;
      }
      boolean same = x != null
          ? x.compareTo(y) == 0
          : Double.doubleToLongBits(sum(i)) == Double.doubleToLongBits(e.sum(i));
      if (!same) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    double[] first = new double[Math.min(length(), 8)];
    for (int i = 0; i < first.length; i++) {
      first[i] = sum(i);
    }
    return Long.hashCode(count) * 31 + Arrays.hashCode(first);
  }
}

package io.github.maxnorm.spark;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.math.BigDecimal;
import java.math.MathContext;
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
 * <p>Not thread-safe; {@link #plus} updates this sum in place, as Spark's combiners may.
 */
public final class ExactSum implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The sum of each element where it is exactly a double (or not finite); unused where in big. */
  private transient double[] sums;
  /** The elements whose exact sum no double holds. */
  private transient HashMap<Integer, BigDecimal> big;
  /** The number of vectors added. */
  private transient long count;

  private ExactSum(double[] sums, long count) {
    this.sums = sums;
    this.count = count;
  }

  /** The sum of no vectors: the identity of {@link #plus}. */
  public static ExactSum empty() {
    return new ExactSum(null, 0);
  }

  /** The sum of one vector of floats followed by doubles (either may be empty). */
  public static ExactSum of(float[] floats, double[] doubles) {
    double[] s = new double[floats.length + doubles.length];
    for (int i = 0; i < floats.length; i++) {
      s[i] = floats[i];
    }
    System.arraycopy(doubles, 0, s, floats.length, doubles.length);
    return new ExactSum(s, 1);
  }

  /** The number of vectors added. */
  public long count() {
    return count;
  }

  /** The length of the vectors, or 0 when none was added. */
  public int length() {
    return sums == null ? 0 : sums.length;
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
      sums = other.sums.clone();
      big = other.big == null ? null : new HashMap<>(other.big);
      count = other.count;
      return this;
    }
    if (other.sums.length != sums.length) {
      throw new IllegalArgumentException(
          "ExactSum: cannot add a vector of length " + other.sums.length + " to one of length "
              + sums.length);
    }
    double[] o = other.sums;
    for (int i = 0; i < sums.length; i++) {
      boolean mine = big != null && big.containsKey(i);
      boolean theirs = other.big != null && other.big.containsKey(i);
      if (!mine && !theirs) {
        double a = sums[i];
        double b = o[i];
        double s = a + b;
        if (!Double.isFinite(a) || !Double.isFinite(b)) {
          sums[i] = s;
          continue;
        }
        // two-sum: the rounding error of a + b, exactly
        double bv = s - a;
        double err = (a - (s - bv)) + (b - bv);
        if (err == 0 && Double.isFinite(s)) {
          sums[i] = s;
          continue;
        }
      }
      addExact(i, mine ? big.get(i) : null, sums[i], theirs ? other.big.get(i) : null, o[i]);
    }
    count += other.count;
    return this;
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
    checkIndex(i);
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
    float[] out = new float[to - from];
    BigDecimal n = BigDecimal.valueOf(count);
    for (int i = from; i < to; i++) {
      BigDecimal b = big == null ? null : big.get(i);
      out[i - from] = b == null
          ? (float) (sums[i] / count)
          : (float) b.divide(n, MathContext.DECIMAL128).doubleValue();
    }
    return out;
  }

  private void checkIndex(int i) {
    if (i < 0 || i >= length()) {
      throw new IllegalArgumentException(
          "ExactSum: index " + i + " is outside [0, " + length() + ")");
    }
  }

  /** How many elements currently need more than a double (for tests and diagnostics). */
  int wideElements() {
    return big == null ? 0 : big.size();
  }

  /**
   * Writes the sums compactly: a replica's vector is mostly floats (weights, slots), so elements
   * that a float holds exactly travel as 4 bytes, the others as 8, with a bit set saying which.
   */
  private void writeObject(ObjectOutputStream out) throws IOException {
    out.defaultWriteObject();
    out.writeLong(count);
    int n = length();
    out.writeInt(n);
    if (n == 0) {
      return;
    }
    BitSet wide = new BitSet(n);
    int floats = 0;
    for (int i = 0; i < n; i++) {
      double v = sums[i];
      if ((double) (float) v == v || Double.isNaN(v)) {
        floats++;
      } else {
        wide.set(i);
      }
    }
    byte[] mask = wide.toByteArray();
    out.writeInt(mask.length);
    out.write(mask);
    ByteBuffer f = ByteBuffer.allocate(4 * floats);
    ByteBuffer d = ByteBuffer.allocate(8 * (n - floats));
    for (int i = 0; i < n; i++) {
      if (wide.get(i)) {
        d.putDouble(sums[i]);
      } else {
        f.putFloat((float) sums[i]);
      }
    }
    out.write(f.array());
    out.write(d.array());
    out.writeObject(big);
  }

  @SuppressWarnings("unchecked")
  private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
    in.defaultReadObject();
    count = in.readLong();
    int n = in.readInt();
    if (n == 0) {
      sums = null;
      return;
    }
    byte[] mask = new byte[in.readInt()];
    in.readFully(mask);
    BitSet wide = BitSet.valueOf(mask);
    int doubles = wide.cardinality();
    byte[] fb = new byte[4 * (n - doubles)];
    byte[] db = new byte[8 * doubles];
    in.readFully(fb);
    in.readFully(db);
    ByteBuffer f = ByteBuffer.wrap(fb);
    ByteBuffer d = ByteBuffer.wrap(db);
    sums = new double[n];
    for (int i = 0; i < n; i++) {
      sums[i] = wide.get(i) ? d.getDouble() : f.getFloat();
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
    Map<Integer, BigDecimal> mine = big == null ? Map.of() : big;
    Map<Integer, BigDecimal> theirs = e.big == null ? Map.of() : e.big;
    if (!mine.keySet().equals(theirs.keySet())) {
      return false;
    }
    for (Map.Entry<Integer, BigDecimal> en : mine.entrySet()) {
      if (en.getValue().compareTo(theirs.get(en.getKey())) != 0) {
        return false;
      }
    }
    for (int i = 0; i < length(); i++) {
      if (!mine.containsKey(i)
          && Double.doubleToLongBits(sums[i]) != Double.doubleToLongBits(e.sums[i])) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(count) * 31 + Arrays.hashCode(sums);
  }
}

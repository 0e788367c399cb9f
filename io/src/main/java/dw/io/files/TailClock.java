package dw.io.files;

import java.io.Serializable;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The wall clock of the unbounded source (which hours are open). Production uses {@link
 * #system()}; tests and the benchmark use a {@link #manual(String) manual clock} shared by name
 * inside one JVM (an embedded Flink job runs in the test's JVM), to simulate days in seconds.
 */
public interface TailClock extends Serializable, dw.transforms.windows.NowMillis {
  long nowMillis();

  /** The time of a poll of the source (the manual clock counts these, see {@link #reads}). */
  default long pollMillis() {
    return nowMillis();
  }

  static TailClock system() {
    return new SystemClock();
  }

  /** A clock that stands still until {@link #set} moves it; instances share it by name. */
  static TailClock manual(String name) {
    return new ManualClock(name);
  }

  /** Sets the manual clock {@code name} to {@code millis}. */
  static void set(String name, long millis) {
    ManualClock.TIMES.computeIfAbsent(name, k -> new AtomicLong()).set(millis);
  }

  /**
   * How often the manual clock {@code name} was read. The source reads it once at the start of
   * every poll ({@link #pollMillis}), so tests wait for "two more reads" to know a whole poll ran after they acted.
   */
  static long reads(String name) {
    AtomicLong n = ManualClock.READS.get(name);
    return n == null ? 0 : n.get();
  }

  final class SystemClock implements TailClock {
    private static final long serialVersionUID = 1L;

    @Override
    public long nowMillis() {
      return System.currentTimeMillis();
    }
  }

  final class ManualClock implements TailClock {
    private static final long serialVersionUID = 1L;
    static final Map<String, AtomicLong> TIMES = new ConcurrentHashMap<>();
    static final Map<String, AtomicLong> READS = new ConcurrentHashMap<>();
    private final String name;

    ManualClock(String name) {
      this.name = name;
    }

    @Override
    public long pollMillis() {
      long now = nowMillis();
      READS.computeIfAbsent(name, k -> new AtomicLong()).incrementAndGet();
      return now;
    }

    @Override
    public long nowMillis() {
      AtomicLong t = TIMES.get(name);
      if (t == null) {
        throw new IllegalStateException("manual clock " + name + " was never set");
      }
      return t.get();
    }
  }
}

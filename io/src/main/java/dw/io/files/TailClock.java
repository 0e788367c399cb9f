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
    private final String name;

    ManualClock(String name) {
      this.name = name;
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

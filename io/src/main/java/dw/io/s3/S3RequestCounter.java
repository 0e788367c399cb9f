package dw.io.s3;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Requests sent by this JVM's S3 clients, per operation ({@code ListObjectsV2}, {@code GetObject},
 * …), counted on the wire (retries and pages included). Tests and the benchmark read it.
 */
public final class S3RequestCounter {
  private static final Map<String, AtomicLong> COUNTS = new ConcurrentHashMap<>();

  private S3RequestCounter() {}

  static void increment(String operation) {
    COUNTS.computeIfAbsent(operation, k -> new AtomicLong()).incrementAndGet();
  }

  /** Requests of one operation so far. */
  public static long get(String operation) {
    AtomicLong n = COUNTS.get(operation);
    return n == null ? 0 : n.get();
  }

  /** All counts so far, by operation. */
  public static Map<String, Long> snapshot() {
    Map<String, Long> out = new TreeMap<>();
    COUNTS.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }
}

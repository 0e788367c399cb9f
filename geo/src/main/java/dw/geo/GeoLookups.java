package dw.geo;

import java.nio.file.Paths;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-JVM GeoIP lookups. Beam creates many DoFn instances per Flink TaskManager; each should call
 * {@link #shared} in {@code @Setup} instead of opening its own copy of a database of tens of
 * megabytes. Shared instances stay open for the life of the JVM: their {@code close()} does
 * nothing, and only {@link #closeAll()} (meant for tests) really closes them.
 */
public final class GeoLookups {

  private static final Map<Key, GeoLookup> SHARED = new ConcurrentHashMap<>();

  private static final GeoLookup NONE =
      new GeoLookup() {
        @Override
        public GeoInfo lookup(String ip) {
          return GeoInfo.EMPTY;
        }

        @Override
        public void close() {}

        @Override
        public String toString() {
          return "GeoLookups.none()";
        }
      };

  private GeoLookups() {}

  /**
   * Returns the JVM-wide lookup for a City database and an optional ASN database, opening it on
   * first use. Paths are compared after making them absolute and normalized. A failed open is not
   * cached, so a later call tries again.
   *
   * @throws GeoDatabaseException if a database cannot be used
   */
  public static GeoLookup shared(String cityPath, String asnPathOrNull) {
    Key key = new Key(normalize(cityPath), asnPathOrNull == null ? null : normalize(asnPathOrNull));
    GeoLookup lookup = SHARED.get(key);
    if (lookup != null) {
      return lookup;
    }
    // computeIfAbsent opens at most once per key even when many DoFns start at the same time.
    return SHARED.computeIfAbsent(
        key, k -> new Shared(MaxMindGeoLookup.open(cityPath, asnPathOrNull)));
  }

  /**
   * The lookup a pipeline's options ask for: {@link #shared} for a City database path (with an
   * optional ASN path; null or empty for none), {@link #none()} when the City path is null or empty.
   */
  public static GeoLookup forOptions(String cityPathOrEmpty, String asnPathOrEmpty) {
    if (cityPathOrEmpty == null || cityPathOrEmpty.isEmpty()) {
      return none();
    }
    return shared(cityPathOrEmpty, asnPathOrEmpty == null || asnPathOrEmpty.isEmpty() ? null : asnPathOrEmpty);
  }

  /** A lookup that knows nothing, for pipelines run without a GeoIP database. */
  public static GeoLookup none() {
    return NONE;
  }

  /** Closes and forgets every shared lookup. For tests; pipelines never call this. */
  public static synchronized void closeAll() {
    for (Key key : SHARED.keySet()) {
      GeoLookup lookup = SHARED.remove(key);
      if (lookup instanceof Shared shared) {
        shared.delegate.close();
      }
    }
  }

  private static String normalize(String path) {
    try {
      return Paths.get(path).toAbsolutePath().normalize().toString();
    } catch (RuntimeException e) {
      return path; // let MaxMindGeoLookup report the bad path
    }
  }

  private record Key(String cityPath, String asnPath) {}

  /** A shared lookup whose close() is a no-op, so no DoFn can close it under the others. */
  private static final class Shared implements GeoLookup {
    private final GeoLookup delegate;

    Shared(GeoLookup delegate) {
      this.delegate = delegate;
    }

    @Override
    public GeoInfo lookup(String ip) {
      return delegate.lookup(ip);
    }

    @Override
    public long lookupErrors() {
      return delegate.lookupErrors();
    }

    @Override
    public long buildEpochSeconds() {
      return delegate.buildEpochSeconds();
    }

    @Override
    public void close() {
      // Shared for the life of the JVM; see GeoLookups.closeAll().
    }

    @Override
    public String toString() {
      return "shared " + delegate;
    }
  }
}

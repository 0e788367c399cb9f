package dw.geo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-JVM GeoIP lookups. Beam creates many DoFn instances per Flink TaskManager; each should call
 * {@link #shared} in {@code @Setup} instead of opening its own copy of a database of tens of
 * megabytes. Shared instances stay open for the life of the JVM: their {@code close()} does
 * nothing, and only {@link #closeAll()} (meant for tests) really closes them.
 *
 * <p><b>Refresh.</b> MaxMind publishes new databases twice a week. With a refresh period (the
 * shortest any caller asked for), a daemon
 * thread of the JVM ({@code geoip-refresh}) checks each period whether a database file was replaced
 * (local file: size, modification time and file key; other schemes: the {@link GeoDatabaseStore}'s
 * fingerprint, without downloading). A replaced pair is opened and validated like at start-up, then
 * swapped in with one volatile write: lookups in flight finish on the old databases, new lookups
 * use the new ones. The old databases are memory-mapped and not closed (a lookup may still be
 * reading them); the garbage collector unmaps them. A replacement that cannot be used (broken,
 * wrong type, unreadable) is not swapped in: the old databases stay, a warning names the file and
 * the problem, and {@link GeoLookup#refreshFailures()} counts it once (the same broken file is not
 * counted again; a further replacement is tried again). The lookup path itself only reads one
 * volatile field.
 */
public final class GeoLookups {

  /** The option that sets the refresh period, named in error messages. */
  public static final String REFRESH_OPTION = "--geoipRefreshHours";

  /** Hours between checks for replaced databases unless configured otherwise. */
  public static final int DEFAULT_REFRESH_HOURS = 6;

  private static final Logger LOG = LoggerFactory.getLogger(GeoLookups.class);

  private static final Map<Key, Shared> SHARED = new ConcurrentHashMap<>();

  private static final Map<String, GeoDatabaseStore> STORES = new ConcurrentHashMap<>();

  private static ScheduledExecutorService scheduler; // guarded by GeoLookups.class

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
   * first use, never refreshed. See {@link #shared(String, String, Duration)}.
   *
   * @throws GeoDatabaseException if a database cannot be used
   */
  public static GeoLookup shared(String cityPath, String asnPathOrNull) {
    return shared(cityPath, asnPathOrNull, Duration.ZERO);
  }

  /**
   * Returns the JVM-wide lookup for a City database and an optional ASN database, opening it on
   * first use and checking every {@code refreshEvery} (zero: never) whether the files were
   * replaced. Paths are local files or, for a scheme registered with {@link #registerStore}, URLs
   * such as {@code s3://bucket/GeoLite2-City.mmdb}. Local paths are compared after making them
   * absolute and normalized. A failed open is not cached, so a later call tries again.
   *
   * @throws GeoDatabaseException if a database cannot be used
   */
  public static GeoLookup shared(String cityPath, String asnPathOrNull, Duration refreshEvery) {
    if (refreshEvery.isNegative()) {
      throw new IllegalArgumentException("negative GeoIP refresh period " + refreshEvery);
    }
    Key key = new Key(normalize(cityPath), asnPathOrNull == null ? null : normalize(asnPathOrNull));
    Shared lookup = SHARED.get(key);
    if (lookup == null) {
      // computeIfAbsent opens at most once per key even when many DoFns start at the same time.
      lookup = SHARED.computeIfAbsent(key, k -> new Shared(cityPath, asnPathOrNull));
    }
    lookup.refreshAtLeastEvery(refreshEvery.toMillis());
    return lookup;
  }

  /**
   * The lookup a pipeline's options ask for: {@link #shared} for a City database path (with an
   * optional ASN path; null or empty for none), {@link #none()} when the City path is null or empty.
   * Never refreshed.
   */
  public static GeoLookup forOptions(String cityPathOrEmpty, String asnPathOrEmpty) {
    return forOptions(cityPathOrEmpty, asnPathOrEmpty, 0);
  }

  /**
   * As {@link #forOptions(String, String)}, checking for replaced files every {@code refreshHours}
   * hours (0: never).
   *
   * @throws IllegalArgumentException if {@code refreshHours} is negative
   */
  public static GeoLookup forOptions(
      String cityPathOrEmpty, String asnPathOrEmpty, int refreshHours) {
    Duration refresh = refreshPeriod(refreshHours);
    if (cityPathOrEmpty == null || cityPathOrEmpty.isEmpty()) {
      return none();
    }
    return shared(
        cityPathOrEmpty,
        asnPathOrEmpty == null || asnPathOrEmpty.isEmpty() ? null : asnPathOrEmpty,
        refresh);
  }

  /**
   * The refresh period for {@value #REFRESH_OPTION}.
   *
   * @throws IllegalArgumentException naming the option if {@code hours} is negative
   */
  public static Duration refreshPeriod(int hours) {
    if (hours < 0) {
      throw new IllegalArgumentException(
          REFRESH_OPTION
              + "="
              + hours
              + ": must be 0 (never check for a replaced GeoIP database) or a number of hours"
              + " between checks");
    }
    return Duration.ofHours(hours);
  }

  /**
   * Checks now whether the databases of a shared lookup were replaced, as the periodic check does.
   *
   * @return whether new databases were swapped in ({@code false} for a lookup not from {@link
   *     #shared})
   */
  public static boolean refreshNow(GeoLookup lookup) {
    return lookup instanceof Shared shared && shared.refreshNow();
  }

  /** A lookup that knows nothing, for pipelines run without a GeoIP database. */
  public static GeoLookup none() {
    return NONE;
  }

  /**
   * Lets {@link #shared} open databases named {@code scheme://...} (for example {@code s3}) from
   * {@code store}. The last registration of a scheme wins.
   */
  public static void registerStore(String scheme, GeoDatabaseStore store) {
    STORES.put(scheme.toLowerCase(java.util.Locale.ROOT), store);
  }

  /** Closes and forgets every shared lookup. For tests; pipelines never call this. */
  public static synchronized void closeAll() {
    for (Key key : SHARED.keySet()) {
      Shared shared = SHARED.remove(key);
      if (shared != null) {
        shared.shutDown();
      }
    }
  }

  private static synchronized ScheduledExecutorService scheduler() {
    if (scheduler == null) {
      ScheduledThreadPoolExecutor executor =
          new ScheduledThreadPoolExecutor(
              1,
              r -> {
                Thread t = new Thread(r, "geoip-refresh");
                t.setDaemon(true);
                return t;
              });
      executor.setRemoveOnCancelPolicy(true);
      scheduler = executor;
    }
    return scheduler;
  }

  private static String normalize(String path) {
    if (schemeOf(path) != null) {
      return path;
    }
    try {
      return Paths.get(path).toAbsolutePath().normalize().toString();
    } catch (RuntimeException e) {
      return path; // let MaxMindGeoLookup report the bad path
    }
  }

  /** The URL scheme of a path like {@code s3://bucket/key}, or null for a local path. */
  private static String schemeOf(String path) {
    if (path == null) {
      return null;
    }
    int colon = path.indexOf("://");
    if (colon < 2) { // also keeps Windows drive letters (C:\...) local
      return null;
    }
    String scheme = path.substring(0, colon);
    return scheme.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '+' || c == '-' || c == '.')
            && !scheme.equalsIgnoreCase("file")
        ? scheme.toLowerCase(java.util.Locale.ROOT)
        : null;
  }

  private record Key(String cityPath, String asnPath) {}

  /**
   * A shared lookup whose close() is a no-op, so no DoFn can close it under the others, and whose
   * databases can be swapped by {@link #refreshNow()}.
   */
  static final class Shared implements GeoLookup {
    private final String cityPath;
    private final String asnPath;
    private volatile MaxMindGeoLookup current;
    /** Fingerprint of the files loaded, or of a replacement that was rejected. */
    private String fingerprint; // guarded by this

    private volatile long retiredLookupErrors;
    private final AtomicLong refreshes = new AtomicLong();
    private final AtomicLong refreshFailures = new AtomicLong();
    private final AtomicLong undrainedRefreshes = new AtomicLong();
    private final AtomicLong undrainedFailures = new AtomicLong();
    private ScheduledFuture<?> task; // guarded by this
    private volatile long scheduledMillis;

    Shared(String cityPath, String asnPath) {
      this.cityPath = cityPath;
      this.asnPath = asnPath;
      String fp;
      try {
        fp = fingerprint();
      } catch (IOException e) {
        fp = null; // opening reports what is wrong with a local file; a store fails below
      }
      try {
        this.current = load();
      } catch (PathIOException e) {
        throw new GeoDatabaseException(
            e.path,
            e.asn ? MaxMindGeoLookup.ASN_OPTION : MaxMindGeoLookup.CITY_OPTION,
            "cannot be read: " + e.getCause(),
            e);
      }
      this.fingerprint = fp;
    }

    @Override
    public GeoInfo lookup(String ip) {
      return current.lookup(ip);
    }

    @Override
    public long lookupErrors() {
      return retiredLookupErrors + current.lookupErrors();
    }

    @Override
    public long buildEpochSeconds() {
      return current.buildEpochSeconds();
    }

    @Override
    public long refreshes() {
      return refreshes.get();
    }

    @Override
    public long refreshFailures() {
      return refreshFailures.get();
    }

    @Override
    public long drainRefreshes() {
      return undrainedRefreshes.getAndSet(0);
    }

    @Override
    public long drainRefreshFailures() {
      return undrainedFailures.getAndSet(0);
    }

    /**
     * Checks once whether a database file was replaced and, if the replacement is usable, swaps it
     * in. Runs on the refresh thread; tests call it directly.
     *
     * @return whether new databases were swapped in
     */
    synchronized boolean refreshNow() {
      String fp;
      try {
        fp = fingerprint();
      } catch (IOException e) {
        fail("cannot check for a newer GeoIP database, keeping the one loaded: " + e.getMessage());
        return false;
      }
      if (fp.equals(fingerprint)) {
        return false;
      }
      MaxMindGeoLookup next;
      try {
        next = load();
      } catch (GeoDatabaseException e) {
        fingerprint = fp; // this broken file is counted once; the next replacement is tried again
        fail(
            "GeoIP database replaced by a file that cannot be used, keeping the one loaded before"
                + " (City database built "
                + Instant.ofEpochSecond(current.buildEpochSeconds())
                + "): "
                + e.getMessage());
        return false;
      } catch (PathIOException e) {
        fail("cannot copy a newer GeoIP database: " + e.getMessage() + " (trying again later)");
        return false;
      }
      MaxMindGeoLookup old = current;
      retiredLookupErrors += old.lookupErrors();
      current = next;
      fingerprint = fp;
      // The old readers are memory-mapped and may still serve lookups in flight; closing them
      // would fail those lookups. Nothing references them after that: the GC unmaps them.
      refreshes.incrementAndGet();
      undrainedRefreshes.incrementAndGet();
      LOG.info(
          "GeoIP database replaced: now {} (built {}), before built {}",
          next,
          Instant.ofEpochSecond(next.buildEpochSeconds()),
          Instant.ofEpochSecond(old.buildEpochSeconds()));
      return true;
    }

    private void fail(String message) {
      refreshFailures.incrementAndGet();
      undrainedFailures.incrementAndGet();
      LOG.warn(message);
    }

    /**
     * Checks every {@code periodMillis} from now on, or more often if already scheduled so; 0
     * changes nothing. All parse steps of a job ask for the same period.
     */
    void refreshAtLeastEvery(long periodMillis) {
      if (periodMillis <= 0 || (scheduledMillis > 0 && scheduledMillis <= periodMillis)) {
        return;
      }
      synchronized (this) {
        if (scheduledMillis > 0 && scheduledMillis <= periodMillis) {
          return;
        }
        if (task != null) {
          task.cancel(false);
        }
        task =
            scheduler()
                .scheduleWithFixedDelay(
                    this::refreshQuietly, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
        scheduledMillis = periodMillis;
      }
    }

    private void refreshQuietly() {
      try {
        refreshNow();
      } catch (RuntimeException e) {
        // Keep the periodic task alive (an exception would cancel it) and the old databases.
        fail("GeoIP database refresh failed, keeping the databases loaded: " + e);
      }
    }

    /** Whether a periodic check is scheduled. */
    synchronized boolean scheduled() {
      return task != null;
    }

    synchronized void shutDown() {
      if (task != null) {
        task.cancel(false);
        task = null;
        scheduledMillis = 0;
      }
      current.close();
    }

    /** Size, modification time and identity of both files (or their stores' fingerprints). */
    private String fingerprint() throws IOException {
      String city = fingerprint(cityPath, false);
      return asnPath == null ? city : city + " | " + fingerprint(asnPath, true);
    }

    private static String fingerprint(String path, boolean asn) throws IOException {
      String scheme = schemeOf(path);
      try {
        if (scheme == null) {
          BasicFileAttributes a = Files.readAttributes(Paths.get(path), BasicFileAttributes.class);
          return a.size() + " " + a.lastModifiedTime().toMillis() + " " + a.fileKey();
        }
        return store(path, scheme).fingerprint(path);
      } catch (IOException | RuntimeException e) {
        throw new PathIOException(path, e, asn);
      }
    }

    private static GeoDatabaseStore store(String path, String scheme) {
      GeoDatabaseStore store = STORES.get(scheme);
      if (store == null) {
        throw new IllegalArgumentException("no GeoIP database store for " + scheme + "://");
      }
      return store;
    }

    /** Opens the databases as they are now: local files in place, others from a local copy. */
    private MaxMindGeoLookup load() throws PathIOException {
      Path cityCopy = null;
      Path asnCopy = null;
      try {
        cityCopy = copyIfRemote(cityPath, false);
        asnCopy = asnPath == null ? null : copyIfRemote(asnPath, true);
        return MaxMindGeoLookup.open(
            cityCopy == null ? cityPath : cityCopy.toString(),
            cityPath,
            MaxMindGeoLookup.CITY_OPTION,
            asnPath == null ? null : asnCopy == null ? asnPath : asnCopy.toString(),
            asnPath,
            MaxMindGeoLookup.ASN_OPTION);
      } finally {
        // The readers map the copies; on Linux and macOS a mapped file may be deleted.
        deleteQuietly(cityCopy);
        deleteQuietly(asnCopy);
      }
    }

    private static Path copyIfRemote(String path, boolean asn) throws PathIOException {
      String scheme = schemeOf(path);
      if (scheme == null) {
        return null;
      }
      Path copy = null;
      try {
        GeoDatabaseStore store = store(path, scheme);
        copy = Files.createTempFile("geoip-", ".mmdb");
        store.copyTo(path, copy);
        return copy;
      } catch (IOException | RuntimeException e) {
        deleteQuietly(copy);
        throw new PathIOException(path, e, asn);
      }
    }

    private static void deleteQuietly(Path path) {
      if (path == null) {
        return;
      }
      try {
        Files.deleteIfExists(path);
      } catch (IOException e) {
        path.toFile().deleteOnExit();
      }
    }

    @Override
    public void close() {
      // Shared for the life of the JVM; see GeoLookups.closeAll().
    }

    @Override
    public String toString() {
      return "shared " + current;
    }
  }

  /** An IOException about one of the two databases. */
  private static final class PathIOException extends IOException {
    private static final long serialVersionUID = 1L;
    final String path;
    final boolean asn;

    PathIOException(String path, Throwable cause, boolean asn) {
      super(path + ": " + cause, cause);
      this.path = path;
      this.asn = asn;
    }
  }
}

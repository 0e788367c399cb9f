package dw.geo;

/**
 * Maps an IP address, as text from a log line, to what is known about its location and network.
 *
 * <p>Contract: {@link #lookup} never throws and never does DNS. Malformed text, host names, {@code
 * null}, {@code ""}, {@code "-"}, private, loopback and other non-public addresses, and addresses
 * the database does not know all give {@link GeoInfo#EMPTY} (or a partially filled value).
 * Implementations are thread-safe.
 */
public interface GeoLookup extends AutoCloseable {

  /** Looks up an IPv4 or IPv6 literal; see the interface contract. */
  GeoInfo lookup(String ip);

  /** Number of database reads that failed on corrupt data; those lookups returned empty fields. */
  default long lookupErrors() {
    return 0;
  }

  /**
   * Build time of the City database in seconds since the epoch (MaxMind publishes new ones twice a
   * week; an old one means the update job stopped), or -1 without a database.
   */
  default long buildEpochSeconds() {
    return -1;
  }

  /** Times newer databases were swapped in (see {@link GeoLookups}); 0 if never refreshed. */
  default long refreshes() {
    return 0;
  }

  /** Replaced databases that could not be used or checked, so the old ones stayed. */
  default long refreshFailures() {
    return 0;
  }

  /**
   * The {@link #refreshes()} since the last call of this method, so that a counter fed from many
   * DoFn instances of a JVM counts each refresh once.
   */
  default long drainRefreshes() {
    return 0;
  }

  /** The {@link #refreshFailures()} since the last call of this method; see {@link #drainRefreshes}. */
  default long drainRefreshFailures() {
    return 0;
  }

  /** Releases the databases. Lookups after close return {@link GeoInfo#EMPTY}. */
  @Override
  void close();
}

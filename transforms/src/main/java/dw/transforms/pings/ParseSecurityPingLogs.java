package dw.transforms.pings;

import dw.transforms.privacy.ClientIpPolicy;
import dw.transforms.common.DeadLetter;
import dw.transforms.daily.ServerDayShard;
import dw.transforms.logs.ReadLogFiles;
import dw.transforms.security.ExclusionRules;
import dw.transforms.security.SecurityPing;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TupleTag;

/**
 * The fused hot path of {@code security-pings}, on the shared {@link ReadLogFiles} loop: for each
 * CloudFront log file, stream it, map fields by the file's {@code #Fields} header, classify each
 * line, enrich kept pings with GeoIP and exclusion reasons ({@link SecurityPingFormat}), and emit
 * each ping at its event time on {@link #PINGS}. Counters and dead letters as {@link ReadLogFiles}
 * describes ({@code parsed_pings} for the kept pings).
 *
 * <p>Bounded graph ({@link #aggregatingIntoShards}): instead of one element per ping, the step adds
 * each ping to its server-day in a hash map of {@link ServerDayShard}s and emits the shards on
 * {@link #SERVER_DAY_SHARDS} when the map holds {@value #FLUSH_SERVER_DAYS} server-days and at the
 * end of the bundle (on the Flink batch runner: of the worker's whole input), so the runner moves
 * and sorts a few hundred shards instead of a record per ping. Pings are then emitted only when a
 * sink needs them ({@code alsoPings}).
 *
 * <p>Client addresses are pseudonymized here, where they are read ({@link ClientIpPolicy}): pings
 * carry the address's hash and fingerprint (network and clear text only when the flags ask for
 * them), and a dead letter's raw line has its addresses replaced by their hash.
 */
public final class ParseSecurityPingLogs extends ReadLogFiles<SecurityPing> {
  public static final String PIPELINE = "security-pings";
  public static final TupleTag<SecurityPing> PINGS = new TupleTag<>("pings") {};
  public static final TupleTag<DeadLetter> DEAD_LETTERS = ReadLogFiles.DEAD_LETTERS;
  public static final TupleTag<KV<Integer, ServerDayShard>> SERVER_DAY_SHARDS =
      new TupleTag<>("serverDayShards") {};
  /** Server-days held in one reading step's map before its shards are emitted. */
  public static final int FLUSH_SERVER_DAYS = 20_000;

  private final SecurityPingFormat format;

  private ParseSecurityPingLogs(SecurityPingFormat format, boolean aggregate, boolean emitPings) {
    super(format, PINGS, aggregate ? new ServerDayShards(SERVER_DAY_SHARDS, FLUSH_SERVER_DAYS) : null, emitPings);
    this.format = format;
  }

  /**
   * @param fromEpochDay first UTC day to keep, or {@link Integer#MIN_VALUE} for no limit
   * @param toEpochDay last UTC day to keep, or {@link Integer#MAX_VALUE} for no limit
   * @param geoipCity City database path, or null/empty for no GeoIP
   * @param geoipRefreshHours hours between checks for replaced GeoIP databases, 0 for never
   * @param clientIps what pings and dead letters keep of client addresses
   */
  public static ParseSecurityPingLogs of(
      ExclusionRules rules,
      int fromEpochDay,
      int toEpochDay,
      String geoipCity,
      String geoipAsn,
      int geoipRefreshHours,
      ClientIpPolicy clientIps) {
    return new ParseSecurityPingLogs(
        new SecurityPingFormat(rules, fromEpochDay, toEpochDay, geoipCity, geoipAsn, geoipRefreshHours, true, clientIps),
        false,
        true);
  }

  /**
   * For bounded input in the global window: server-day shards on {@link #SERVER_DAY_SHARDS}
   * instead of pings, and pings on {@link #PINGS} as well only when {@code alsoPings} (the request
   * ids are then kept only when pings are emitted).
   */
  public ParseSecurityPingLogs aggregatingIntoShards(boolean alsoPings) {
    return new ParseSecurityPingLogs(format.withRequestIds(alsoPings), true, alsoPings);
  }
}

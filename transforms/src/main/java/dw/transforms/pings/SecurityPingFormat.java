package dw.transforms.pings;

import dw.geo.GeoInfo;
import dw.geo.GeoLookup;
import dw.transforms.cloudfront.CloudFrontLayout;
import dw.transforms.cloudfront.CloudFrontLine;
import dw.transforms.cloudfront.CloudFrontRedaction;
import dw.transforms.privacy.ClientIpPolicy;
import dw.transforms.common.CounterNames;
import dw.transforms.common.GeoDatabases;
import dw.transforms.logs.LineParser;
import dw.transforms.logs.LogFormat;
import dw.transforms.security.ExclusionRules;
import dw.transforms.security.FilterReason;
import dw.transforms.security.PingClassifier;
import dw.transforms.security.SecurityPing;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;

/**
 * The security-ping data set as a {@link LogFormat}: CloudFront lines mapped by the file's {@code
 * #Fields} header ({@link CloudFrontLayout}), classified by {@link PingClassifier}, enriched with
 * GeoIP and exclusion reasons.
 */
public final class SecurityPingFormat implements LogFormat<SecurityPing> {
  private final ExclusionRules rules;
  private final int fromEpochDay;
  private final int toEpochDay;
  private final String geoipCity;
  private final String geoipAsn;
  private final int geoipRefreshHours;
  private final boolean keepRequestIds;
  private final ClientIpPolicy clientIps;

  /**
   * @param fromEpochDay first UTC day to keep, or {@link Integer#MIN_VALUE} for no limit
   * @param toEpochDay last UTC day to keep, or {@link Integer#MAX_VALUE} for no limit
   * @param geoipCity City database path, or null/empty for no GeoIP
   * @param geoipRefreshHours hours between checks for replaced databases, 0 for never
   * @param keepRequestIds whether pings carry CloudFront's request id (only raw-event sinks need it)
   * @param clientIps what pings and dead letters keep of client addresses
   */
  public SecurityPingFormat(
      ExclusionRules rules,
      int fromEpochDay,
      int toEpochDay,
      String geoipCity,
      String geoipAsn,
      int geoipRefreshHours,
      boolean keepRequestIds,
      ClientIpPolicy clientIps) {
    if (clientIps == null) {
      throw new IllegalArgumentException("parsing pings needs a client IP policy");
    }
    this.clientIps = clientIps;
    this.rules = rules;
    this.fromEpochDay = fromEpochDay;
    this.toEpochDay = toEpochDay;
    this.geoipCity = geoipCity;
    this.geoipAsn = geoipAsn;
    this.geoipRefreshHours = geoipRefreshHours;
    this.keepRequestIds = keepRequestIds;
  }

  SecurityPingFormat withRequestIds(boolean keep) {
    return new SecurityPingFormat(rules, fromEpochDay, toEpochDay, geoipCity, geoipAsn, geoipRefreshHours, keep, clientIps);
  }

  @Override
  public String pipeline() {
    return ParseSecurityPingLogs.PIPELINE;
  }

  @Override
  public List<String> filterReasons() {
    List<String> codes = new ArrayList<>();
    for (FilterReason r : FilterReason.values()) {
      codes.add(r.code()); // index = ordinal
    }
    return codes;
  }

  @Override
  public String parsedCounter() {
    return CounterNames.PARSED;
  }

  @Override
  public Coder<SecurityPing> recordCoder() {
    return SecurityPingCoder.of();
  }

  @Override
  public LineParser<SecurityPing> newParser() {
    GeoLookup geo = GeoDatabases.forOptions(geoipCity, geoipAsn, geoipRefreshHours);
    return new Parser(
        new PingClassifier(rules, fromEpochDay, toEpochDay)
            .keepRequestIds(keepRequestIds)
            .clientIps(clientIps),
        geo,
        clientIps);
  }

  /** CloudFront line → security ping; one per worker. */
  static final class Parser implements LineParser<SecurityPing> {
    private final PingClassifier classifier;
    private final GeoLookup geo;
    private final CloudFrontLine line = new CloudFrontLine();
    private final CloudFrontLayout.Tracker headers = new CloudFrontLayout.Tracker();
    private final ClientIpPolicy clientIps;
    private SecurityPing record;
    private String deadReason;
    /** The layout to find the address fields of the last dead line by (null: a header line). */
    private CloudFrontLayout deadLayout;

    Parser(PingClassifier classifier, GeoLookup geo, ClientIpPolicy clientIps) {
      this.classifier = classifier;
      this.geo = geo;
      this.clientIps = clientIps;
    }

    @Override
    public void startFile(String fileName) {
      headers.startFile();
    }

    @Override
    public Outcome parse(String raw, long lineNumber) {
      switch (headers.accept(raw)) {
        case HEADER -> {
          return Outcome.HEADER;
        }
        case BAD_HEADER, UNDER_BAD_HEADER -> {
          // the fields under a rejected #Fields header are unknown: every address-like token is hashed
          deadReason = PingClassifier.DEAD_BAD_FIELDS_HEADER;
          deadLayout = null;
          return Outcome.DEAD;
        }
        case DATA -> { }
      }
      line.reset(raw, headers.layout());
      switch (classifier.classify(line)) {
        case PING -> {
          GeoInfo g = geo.lookup(classifier.clientIp());
          record =
              classifier.complete(
                  g.countryIso(),
                  g.countryName(),
                  g.subdivisionIso(),
                  g.subdivisionName(),
                  g.city(),
                  g.asn());
          return Outcome.RECORD;
        }
        case FILTERED -> {
          return Outcome.FILTERED;
        }
        default -> {
          deadReason = classifier.deadReason();
          deadLayout = headers.layout();
          return Outcome.DEAD;
        }
      }
    }

    @Override
    public SecurityPing record() {
      return record;
    }

    @Override
    public long eventTimeMillis() {
      return record.eventTimeMillis();
    }

    @Override
    public int filterReason() {
      return classifier.filterReason().ordinal();
    }

    @Override
    public String deadReason() {
      return deadReason;
    }

    @Override
    public String redact(String rawLine) {
      // the address fields by the file's layout; any other text (a header, a message): every
      // address-like token
      String redacted = CloudFrontRedaction.redact(rawLine, deadLayout, clientIps);
      deadLayout = null;
      return redacted;
    }
  }
}

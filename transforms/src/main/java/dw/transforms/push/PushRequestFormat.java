package dw.transforms.push;

import dw.geo.GeoLookup;
import dw.transforms.common.GeoDatabases;
import dw.transforms.alb.AlbField;
import dw.transforms.alb.AlbLine;
import dw.transforms.logs.LineParser;
import dw.transforms.logs.LogFormat;
import dw.transforms.privacy.ClientIpPolicy;
import dw.transforms.privacy.IpRedaction;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;

/**
 * The push-proxy data set as a {@link LogFormat}: ALB access-log lines ({@link AlbLine}), kept when
 * they are push requests ({@link PushRoute}), labelled with their deployment ({@link Deployments})
 * and the client's country (GeoIP; {@code unknown} when not found or without a database). The AWS
 * region comes from the file's key ({@code …_elasticloadbalancing_<region>_app…}).
 */
public final class PushRequestFormat implements LogFormat<PushRequest> {
  public static final String PIPELINE = "push-proxy";
  public static final String PARSED = "parsed_requests";
  /** Country of a client address the GeoIP database does not know (or without a database). */
  public static final String UNKNOWN_COUNTRY = "unknown";

  private final Deployments deployments;
  private final int fromEpochDay;
  private final int toEpochDay;
  private final String geoipCity;
  private final String geoipAsn;
  private final int geoipRefreshHours;
  private final ClientIpPolicy clientIps;

  /**
   * @param fromEpochDay first UTC day to keep, or {@link Integer#MIN_VALUE}
   * @param toEpochDay last UTC day to keep, or {@link Integer#MAX_VALUE}
   * @param geoipCity City (or Country) database path, or null/empty for no GeoIP
   * @param geoipRefreshHours hours between checks for replaced databases, 0 for never
   * @param clientIps how addresses in dead letters' raw lines are stored (every one by its keyed
   *     hash, unless {@code --storeClientIpInClear})
   */
  public PushRequestFormat(
      Deployments deployments,
      int fromEpochDay,
      int toEpochDay,
      String geoipCity,
      String geoipAsn,
      int geoipRefreshHours,
      ClientIpPolicy clientIps) {
    if (clientIps == null) {
      throw new IllegalArgumentException("a client IP policy is required (dead letters' raw lines)");
    }
    this.clientIps = clientIps;
    this.deployments = deployments;
    this.fromEpochDay = fromEpochDay;
    this.toEpochDay = toEpochDay;
    this.geoipCity = geoipCity;
    this.geoipAsn = geoipAsn;
    this.geoipRefreshHours = geoipRefreshHours;
  }

  @Override
  public String pipeline() {
    return PIPELINE;
  }

  @Override
  public List<String> filterReasons() {
    List<String> codes = new ArrayList<>();
    for (PushFilterReason r : PushFilterReason.values()) {
      codes.add(r.code());
    }
    return codes;
  }

  @Override
  public String parsedCounter() {
    return PARSED;
  }

  @Override
  public Coder<PushRequest> recordCoder() {
    return PushRequest.Coder.of();
  }

  @Override
  public LineParser<PushRequest> newParser() {
    GeoLookup geo = GeoDatabases.forOptions(geoipCity, geoipAsn, geoipRefreshHours);
    return new Parser(this, geo);
  }

  /** The AWS region in an ALB log key or file name, or null. */
  static String regionOfKey(String key) {
    int i = key.lastIndexOf("_elasticloadbalancing_");
    if (i < 0) {
      return null;
    }
    int s = i + "_elasticloadbalancing_".length();
    int e = key.indexOf('_', s);
    return e < 0 ? null : key.substring(s, e);
  }

  /** Push rules over one ALB line at a time. */
  static final class Parser implements LineParser<PushRequest> {
    private final Deployments deployments;
    private final int fromEpochDay;
    private final int toEpochDay;
    private final GeoLookup geo;
    private final ClientIpPolicy clientIps;
    private final AlbLine line = new AlbLine();
    private String region;
    private PushRequest record;
    private int filterReason;
    private String deadReason;

    Parser(PushRequestFormat f, GeoLookup geo) {
      this.deployments = f.deployments;
      this.fromEpochDay = f.fromEpochDay;
      this.toEpochDay = f.toEpochDay;
      this.geo = geo;
      this.clientIps = f.clientIps;
    }

    @Override
    public void startFile(String fileName) {
      region = regionOfKey(fileName);
    }

    @Override
    public Outcome parse(String raw, long lineNumber) {
      if (!line.reset(raw)) {
        deadReason = line.failureReason();
        return Outcome.DEAD;
      }
      if (!line.requestWellFormed()) {
        return filtered(PushFilterReason.MALFORMED_REQUEST);
      }
      PushRoute route = null;
      for (PushRoute r : PushRoute.values()) {
        if (line.pathEndsWith(r.pathSuffix())) {
          route = r;
          break;
        }
      }
      if (route == null) {
        return filtered(PushFilterReason.OTHER_ROUTE);
      }
      if (!line.methodIs("POST")) {
        return filtered(PushFilterReason.NOT_POST);
      }
      long day = Math.floorDiv(line.eventTimeMicros(), 86_400_000_000L);
      if (day < fromEpochDay || day > toEpochDay) {
        return filtered(PushFilterReason.OUTSIDE_DATE_RANGE);
      }
      String lb = line.loadBalancer();
      String client = line.clientIp();
      String country = client == null ? null : geo.lookup(client).countryIso();
      record =
          new PushRequest(
              line.eventTimeMicros(),
              region != null ? region : regionOfArn(line.text(AlbField.TARGET_GROUP_ARN)),
              lb,
              deployments.label(lb),
              route,
              line.text(AlbField.TYPE),
              line.protocol(),
              line.status(AlbField.ELB_STATUS_CODE),
              line.status(AlbField.TARGET_STATUS_CODE),
              line.durationMillis(AlbField.REQUEST_PROCESSING_TIME),
              line.durationMillis(AlbField.TARGET_PROCESSING_TIME),
              line.durationMillis(AlbField.RESPONSE_PROCESSING_TIME),
              line.number(AlbField.RECEIVED_BYTES),
              line.number(AlbField.SENT_BYTES),
              client,
              country == null ? UNKNOWN_COUNTRY : country,
              line.text(AlbField.USER_AGENT),
              line.text(AlbField.TRACE_ID),
              line.text(AlbField.ACTIONS_EXECUTED),
              line.text(AlbField.ERROR_REASON));
      return Outcome.RECORD;
    }

    private static String regionOfArn(String arn) {
      // arn:aws:elasticloadbalancing:<region>:<account>:targetgroup/...
      if (arn == null) {
        return "unknown";
      }
      String[] p = arn.split(":", 6);
      return p.length > 4 && !p[3].isEmpty() ? p[3] : "unknown";
    }

    private Outcome filtered(PushFilterReason r) {
      filterReason = r.ordinal();
      return Outcome.FILTERED;
    }

    @Override
    public PushRequest record() {
      return record;
    }

    @Override
    public long eventTimeMillis() {
      return record.eventTimeMillis();
    }

    @Override
    public int filterReason() {
      return filterReason;
    }

    @Override
    public String deadReason() {
      return deadReason;
    }

    /**
     * The raw line with every IPv4/IPv6 address replaced by its keyed hash (the shared policy,
     * {@link IpRedaction#redactAddresses}): the client's, wherever a broken line or another
     * format puts it, and the targets' too, since a client address can be private as well (a
     * client inside the VPC or behind a VPN), so public and private cannot tell clients apart.
     */
    @Override
    public String redact(String rawLine) {
      return IpRedaction.redactAddresses(rawLine, clientIps);
    }
  }
}

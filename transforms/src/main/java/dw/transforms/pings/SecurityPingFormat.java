package dw.transforms.pings;

import dw.geo.GeoInfo;
import dw.geo.GeoLookup;
import dw.geo.GeoLookups;
import dw.transforms.cloudfront.CloudFrontLayout;
import dw.transforms.cloudfront.CloudFrontLine;
import dw.transforms.common.CounterNames;
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
  private final boolean keepRequestIds;

  /**
   * @param fromEpochDay first UTC day to keep, or {@link Integer#MIN_VALUE} for no limit
   * @param toEpochDay last UTC day to keep, or {@link Integer#MAX_VALUE} for no limit
   * @param geoipCity City database path, or null/empty for no GeoIP
   * @param keepRequestIds whether pings carry CloudFront's request id (only raw-event sinks need it)
   */
  public SecurityPingFormat(
      ExclusionRules rules,
      int fromEpochDay,
      int toEpochDay,
      String geoipCity,
      String geoipAsn,
      boolean keepRequestIds) {
    this.rules = rules;
    this.fromEpochDay = fromEpochDay;
    this.toEpochDay = toEpochDay;
    this.geoipCity = geoipCity;
    this.geoipAsn = geoipAsn;
    this.keepRequestIds = keepRequestIds;
  }

  SecurityPingFormat withRequestIds(boolean keep) {
    return new SecurityPingFormat(rules, fromEpochDay, toEpochDay, geoipCity, geoipAsn, keep);
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
    GeoLookup geo = GeoLookups.forOptions(geoipCity, geoipAsn);
    return new Parser(
        new PingClassifier(rules, fromEpochDay, toEpochDay).keepRequestIds(keepRequestIds), geo);
  }

  /** CloudFront line → security ping; one per worker. */
  static final class Parser implements LineParser<SecurityPing> {
    private final PingClassifier classifier;
    private final GeoLookup geo;
    private final CloudFrontLine line = new CloudFrontLine();
    private CloudFrontLayout layout = CloudFrontLayout.STANDARD;
    private SecurityPing record;
    private String deadReason;

    Parser(PingClassifier classifier, GeoLookup geo) {
      this.classifier = classifier;
      this.geo = geo;
    }

    @Override
    public void startFile(String fileName) {
      layout = CloudFrontLayout.STANDARD; // a file without #Fields: header
    }

    @Override
    public Outcome parse(String raw, long lineNumber) {
      if (CloudFrontLayout.isHeader(raw)) {
        if (CloudFrontLayout.isFieldsHeader(raw)) {
          try {
            layout = CloudFrontLayout.fromFieldsHeader(raw);
          } catch (IllegalArgumentException e) {
            deadReason = PingClassifier.DEAD_BAD_FIELDS_HEADER;
            return Outcome.DEAD;
          }
        }
        return Outcome.HEADER;
      }
      line.reset(raw, layout);
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
      return rawLine; // the privacy change replaces this with the client-address redaction
    }
  }
}

package dw.transforms.releases;

import dw.geo.GeoInfo;
import dw.geo.GeoLookup;
import dw.transforms.cloudfront.CloudFrontField;
import dw.transforms.cloudfront.CloudFrontLayout;
import dw.transforms.cloudfront.CloudFrontLine;
import dw.transforms.cloudfront.CloudFrontRedaction;
import dw.transforms.cloudfront.UrlDecoding;
import dw.transforms.logs.LineParser;
import dw.transforms.privacy.ClientIpPolicy;
import dw.transforms.useragent.UserAgentParser;
import java.util.List;

/**
 * Decides what one download-CDN log line is (domain.md §3; the original's {@code fct_downloads}
 * filter): a {@link ReleaseDownload}, a filtered request with a reason, or a dead letter. Lines are
 * CloudFront standard-log lines mapped by the file's {@code #Fields} header ({@link
 * CloudFrontLayout}), the same parser as the security pings. One instance per worker (it holds the
 * user-agent cache); not thread-safe.
 *
 * <p>Filter reasons, checked in this order (the first that applies is counted): {@code
 * not_get} (method other than GET), {@code not_2xx} (status not 2xx), {@code too_small} (at most
 * {@value #MIN_BYTES} bytes sent), {@code no_version} (the URI names no release, {@link
 * ReleaseUri}), {@code outside_date_range} (a download whose UTC day is outside the run's days;
 * a file of the previous day's 23:00 hour can hold requests of either day). Dead letters: a line
 * with too few fields ({@code too_few_fields}), an empty line, a {@code #Fields} header naming a
 * field twice or lacking a required one and every data line under it until the next good one
 * ({@code bad_fields_header}), a malformed date/time ({@code
 * bad_timestamp}), status or byte count ({@code bad_status}, {@code bad_sc_bytes}), and a download
 * without {@code x-edge-request-id} ({@code missing_request_id}: it cannot be de-duplicated).
 */
public final class ReleaseLines implements LineParser<ReleaseDownload> {
  /** A download sends more than this many bytes. */
  public static final long MIN_BYTES = 1_000_000L;

  /** Filter reason codes; the index is {@link #filterReason()}. */
  public static final List<String> FILTER_REASONS =
      List.of("not_get", "not_2xx", "too_small", "no_version", "outside_date_range");

  public static final int NOT_GET = 0;
  public static final int NOT_2XX = 1;
  public static final int TOO_SMALL = 2;
  public static final int NO_VERSION = 3;
  public static final int OUTSIDE_DATE_RANGE = 4;

  public static final String BAD_TIMESTAMP = "bad_timestamp";
  public static final String BAD_STATUS = "bad_status";
  public static final String BAD_SC_BYTES = "bad_sc_bytes";
  public static final String MISSING_REQUEST_ID = "missing_request_id";

  /** What a data line was. */
  public enum Kind {
    DOWNLOAD,
    FILTERED,
    DEAD
  }

  /** Dead reason of a {@code #Fields} header that lacks a required field. */
  public static final String BAD_FIELDS_HEADER = "bad_fields_header";

  private final int fromEpochDay;
  private final int toEpochDay;
  private final GeoLookup geo;
  private final UserAgentParser userAgents;
  private final ClientIpPolicy redaction;
  private final CloudFrontLine line = new CloudFrontLine();
  private final CloudFrontLayout.Tracker headers = new CloudFrontLayout.Tracker();

  private ReleaseDownload download;
  private int filterReason;
  private String deadReason;

  /**
   * @param fromEpochDay first UTC day kept ({@link Integer#MIN_VALUE}: no limit)
   * @param toEpochDay last UTC day kept ({@link Integer#MAX_VALUE}: no limit)
   */
  /**
   * @param redaction how the client address of a dead letter's raw line is stored (its keyed
   *     hash), or null to keep raw lines as they are
   */
  public ReleaseLines(
      int fromEpochDay,
      int toEpochDay,
      GeoLookup geo,
      UserAgentParser userAgents,
      ClientIpPolicy redaction) {
    this.fromEpochDay = fromEpochDay;
    this.toEpochDay = toEpochDay;
    this.geo = geo;
    this.userAgents = userAgents;
    this.redaction = redaction;
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
        // read with the previous layout, its fields would be taken from the wrong places
        deadReason = BAD_FIELDS_HEADER;
        return Outcome.DEAD;
      }
      case DATA -> { }
    }
    line.reset(raw, headers.layout());
    return switch (classify(line)) {
      case DOWNLOAD -> Outcome.RECORD;
      case FILTERED -> Outcome.FILTERED;
      case DEAD -> Outcome.DEAD;
    };
  }

  @Override
  public ReleaseDownload record() {
    return download;
  }

  @Override
  public long eventTimeMillis() {
    return download.eventTimeMillis();
  }

  /**
   * The raw line as the security pings' dead letters keep it ({@link CloudFrontRedaction}, the
   * shared policy): {@code c-ip} and every address in {@code x-forwarded-for} replaced by their
   * keyed hash, and every address-like token of a line too broken to find its fields (before,
   * only the field at {@code c-ip}'s position was hashed, so the forwarded-for addresses and the
   * addresses of a shifted or cut line stayed in clear). Unchanged without a policy or under
   * {@code --storeClientIpInClear}.
   */
  @Override
  public String redact(String rawLine) {
    return redaction == null ? rawLine : CloudFrontRedaction.redact(rawLine, headers.layout(), redaction);
  }

  /** Classifies a line that {@link CloudFrontLine#reset} accepted or rejected. */
  public Kind classify(CloudFrontLine line) {
    download = null;
    if (!line.isOk()) {
      return dead(line.failureReason());
    }
    if (!line.methodIs("GET")) {
      return filtered(NOT_GET);
    }
    int status = line.statusCode();
    if (status < 0) {
      return dead(BAD_STATUS);
    }
    if (status < 200 || status > 299) {
      return filtered(NOT_2XX);
    }
    long bytes = line.bytesSent();
    if (bytes < 0) {
      return dead(BAD_SC_BYTES);
    }
    if (bytes <= MIN_BYTES) {
      return filtered(TOO_SMALL);
    }
    String uri = line.uriStem();
    ReleaseUri release = ReleaseUri.parse(uri);
    if (release == null) {
      return filtered(NO_VERSION);
    }
    long time = line.eventTimeMillis();
    if (time == Long.MIN_VALUE) {
      return dead(BAD_TIMESTAMP);
    }
    int day = line.epochDay();
    if (day < fromEpochDay || day > toEpochDay) {
      return filtered(OUTSIDE_DATE_RANGE);
    }
    String requestId = line.requestId();
    if (requestId == null) {
      return dead(MISSING_REQUEST_ID);
    }
    String ip = line.clientIp();
    GeoInfo g = geo.lookup(ip);
    String ua = UrlDecoding.decode(line.userAgent());
    UserAgentParser.Parsed agent = userAgents.parse(ua);
    download =
        new ReleaseDownload(
            requestId,
            time,
            day,
            uri,
            release.downloadType(),
            release.operatingSystem(),
            release.version(),
            release.major(),
            release.minor(),
            release.patch(),
            bytes,
            status,
            ip,
            g.countryIso(),
            g.countryName(),
            g.subdivisionIso(),
            g.subdivisionName(),
            g.city(),
            g.asn(),
            ua,
            agent.browserFamily(),
            agent.osFamily(),
            agent.bot(),
            ReferrerHost.of(UrlDecoding.decode(line.get(CloudFrontField.REFERER))),
            line.edgeLocation());
    return Kind.DOWNLOAD;
  }

  private Kind filtered(int reason) {
    filterReason = reason;
    return Kind.FILTERED;
  }

  private Kind dead(String reason) {
    deadReason = reason;
    return Kind.DEAD;
  }

  /** After {@link Kind#FILTERED}: index into {@link #FILTER_REASONS}. */
  @Override
  public int filterReason() {
    return filterReason;
  }

  /** After {@link Kind#DEAD}. */
  @Override
  public String deadReason() {
    return deadReason;
  }
}

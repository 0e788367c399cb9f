package dw.transforms.security;

import dw.transforms.cloudfront.CloudFrontField;
import dw.transforms.cloudfront.CloudFrontLayout;
import dw.transforms.cloudfront.CloudFrontLine;
import dw.transforms.privacy.ClientIpPolicy;

/**
 * Decides, for one CloudFront data line of the security-update-check distribution, whether it is a
 * security ping ({@link Outcome#PING}), expected other traffic ({@link Outcome#FILTERED}, with a
 * {@link FilterReason}) or a broken line ({@link Outcome#DEAD}, with a reason string for the
 * dead-letter output). Pure Java, reusable, allocation-light, <b>not thread-safe</b>: one instance per
 * DoFn instance (create it in {@code @Setup}).
 *
 * <p>Checks, in this order (first hit decides):
 *
 * <ol>
 *   <li>the line has the fields the layout needs, else DEAD {@value #DEAD_TOO_FEW_FIELDS} (or
 *       {@value #DEAD_EMPTY_LINE} for a blank line);
 *   <li>{@code date}+{@code time} parse, else DEAD {@value #DEAD_BAD_TIMESTAMP};
 *   <li>keep rule of the original model, on the raw fields: {@code cs-uri-stem} is {@code /security}
 *       (else {@link FilterReason#NOT_SECURITY_PATH}), method {@code GET} ({@link
 *       FilterReason#NOT_GET}), user agent starts with {@code Go-http-client/} ({@link
 *       FilterReason#NOT_GO_CLIENT}), query contains neither {@code BUMP_RELEASE} nor {@code plyr-1}
 *       ({@link FilterReason#TEST_QUERY}); {@code sc-status} is not looked at, as in the original;
 *   <li>the UTC log day is within the optional {@code [fromEpochDay, toEpochDay]} range, else {@link
 *       FilterReason#OUTSIDE_DATE_RANGE};
 *   <li>the query is decoded ({@link SecurityQuery}); no or empty {@code id} is {@link
 *       FilterReason#MISSING_SERVER_ID} (checked before the numbers: an unattributable line is not
 *       worth a dead letter); a non-numeric {@code uc}/{@code tc}/{@code auc} is DEAD {@code
 *       bad_number_<param>}.
 * </ol>
 *
 * <p>After {@link Outcome#PING} the classifier holds the pending ping ({@link #pending()}: server id,
 * client IP, build, counts...). The caller looks up GeoIP for {@link #clientIp()} and calls {@link
 * #complete(String, String, String, String, String, Long)}, which computes the exclusion mask with
 * the configured {@link ExclusionRules} and creates the only object of the kept line, the {@link
 * SecurityPing}. Typical use in a DoFn that reads a whole file:
 *
 * <pre>{@code
 * // @Setup
 * classifier = new PingClassifier(ExclusionRules.of(opts.getRestrictedIps(), opts.getExcludedCountries()));
 * line = new CloudFrontLine();
 *
 * // per file
 * CloudFrontLayout layout = CloudFrontLayout.STANDARD;           // if the file has no #Fields:
 * for (String raw : linesOfFile) {
 *   if (CloudFrontLayout.isHeader(raw)) {
 *     if (CloudFrontLayout.isFieldsHeader(raw)) {
 *       try {
 *         layout = CloudFrontLayout.fromFieldsHeader(raw);
 *       } catch (IllegalArgumentException e) {
 *         deadLetter(raw, PingClassifier.DEAD_BAD_FIELDS_HEADER);
 *       }
 *     }
 *     continue;
 *   }
 *   line.reset(raw, layout);
 *   switch (classifier.classify(line)) {
 *     case FILTERED:
 *       filteredCounter(classifier.filterReason().code()).inc();
 *       break;
 *     case DEAD:
 *       deadLetter(raw, classifier.deadReason());
 *       break;
 *     case PING:
 *       Geo g = geo.lookup(classifier.clientIp());              // cache per IP if you like
 *       out.output(classifier.complete(g == null ? null : g.countryIso(), ...));
 *       break;
 *   }
 * }
 * }</pre>
 */
public final class PingClassifier {
  /** What {@link #classify} decided. */
  public enum Outcome {
    /** A security ping: call {@link #complete} to get the {@link SecurityPing}. */
    PING,
    /** Expected non-ping traffic: see {@link #filterReason()}. */
    FILTERED,
    /** A broken line: see {@link #deadReason()}. */
    DEAD
  }

  /** The only {@code cs-uri-stem} that is a ping. */
  public static final String SECURITY_PATH = "/security";
  /** Required user-agent prefix (Go's default HTTP client). */
  public static final String GO_CLIENT_PREFIX = "Go-http-client/";

  /** Dead reason: fewer fields than the layout needs. */
  public static final String DEAD_TOO_FEW_FIELDS = CloudFrontLine.TOO_FEW_FIELDS;
  /** Dead reason: an empty or blank line. */
  public static final String DEAD_EMPTY_LINE = CloudFrontLine.EMPTY_LINE;
  /** Dead reason: {@code date} or {@code time} malformed. */
  public static final String DEAD_BAD_TIMESTAMP = "bad_timestamp";
  /** Dead reason: {@code uc} is not a number. */
  public static final String DEAD_BAD_NUMBER_UC = SecurityQuery.BAD_NUMBER_UC;
  /** Dead reason: {@code tc} is not a number. */
  public static final String DEAD_BAD_NUMBER_TC = SecurityQuery.BAD_NUMBER_TC;
  /** Dead reason: {@code auc} is not a number. */
  public static final String DEAD_BAD_NUMBER_AUC = SecurityQuery.BAD_NUMBER_AUC;
  /**
   * Dead reason for the caller: a {@code #Fields:} header that {@link
   * CloudFrontLayout#fromFieldsHeader(String)} rejects (not produced by this class).
   */
  public static final String DEAD_BAD_FIELDS_HEADER = "bad_fields_header";

  private final ExclusionRules rules;
  private final int fromEpochDay;
  private final int toEpochDay;
  private final SecurityQuery query = new SecurityQuery();
  private final SecurityPing.Builder pending = SecurityPing.builder();
  private final CloudFrontLine ownLine = new CloudFrontLine();

  private ClientIpPolicy clientIps;
  private Outcome outcome;
  private FilterReason filterReason;
  private String deadReason;

  /** A classifier without date range. */
  public PingClassifier(ExclusionRules rules) {
    this(rules, Integer.MIN_VALUE, Integer.MAX_VALUE);
  }

  /**
   * A classifier that filters lines whose UTC log day (days since 1970-01-01) is outside {@code
   * [fromEpochDay, toEpochDay]} (inclusive); use {@link Integer#MIN_VALUE}/{@link Integer#MAX_VALUE}
   * for an open end. The original model's {@code log date <= CURRENT_DATE} is {@code toEpochDay =
   * today}.
   */
  /**
   * Whether pings carry CloudFront's request id (default true). Only the raw-event sinks use it;
   * without them the reading step leaves it out of every server-day it keeps in memory and ships.
   */
  public PingClassifier keepRequestIds(boolean keep) {
    this.keepRequestIds = keep;
    return this;
  }

  /**
   * Pseudonymizes the client address in {@link #complete}: the ping gets the address's hash,
   * fingerprint and (with {@code --storeNetwork}) network, and keeps the address itself only with
   * {@code --storeClientIpInClear}. Without a policy (unit tests) pings keep the address as read.
   * {@link #clientIp()} still gives the address for the GeoIP lookup.
   */
  public PingClassifier clientIps(ClientIpPolicy policy) {
    this.clientIps = policy;
    return this;
  }

  public PingClassifier(ExclusionRules rules, int fromEpochDay, int toEpochDay) {
    if (rules == null) {
      throw new IllegalArgumentException("rules must not be null");
    }
    if (fromEpochDay > toEpochDay) {
      throw new IllegalArgumentException(
          "empty date range: fromEpochDay " + fromEpochDay + " > toEpochDay " + toEpochDay);
    }
    this.rules = rules;
    this.fromEpochDay = fromEpochDay;
    this.toEpochDay = toEpochDay;
  }

  private boolean keepRequestIds = true;

  /** Resets the classifier's own {@link CloudFrontLine} to {@code raw} and classifies it. */
  public Outcome classify(String raw, CloudFrontLayout layout) {
    ownLine.reset(raw, layout);
    return classify(ownLine);
  }

  /**
   * Classifies the line {@code line} was last reset to (a failed reset gives DEAD with the line's
   * failure reason). Header lines must be handled by the caller before.
   */
  public Outcome classify(CloudFrontLine line) {
    if (!line.isOk()) {
      return dead(line.failureReason());
    }
    long eventTime = line.eventTimeMillis();
    if (eventTime == Long.MIN_VALUE) {
      return dead(DEAD_BAD_TIMESTAMP);
    }
    if (!line.uriStemIs(SECURITY_PATH)) {
      return filtered(FilterReason.NOT_SECURITY_PATH);
    }
    if (!line.methodIs("GET")) {
      return filtered(FilterReason.NOT_GET);
    }
    if (!line.userAgentStartsWith(GO_CLIENT_PREFIX)) {
      return filtered(FilterReason.NOT_GO_CLIENT);
    }
    if (line.queryContains("BUMP_RELEASE") || line.queryContains("plyr-1")) {
      return filtered(FilterReason.TEST_QUERY);
    }
    int day = line.epochDay();
    if (day < fromEpochDay || day > toEpochDay) {
      return filtered(FilterReason.OUTSIDE_DATE_RANGE);
    }
    boolean numbersOk =
        query.reset(line.raw(), line.start(CloudFrontField.QUERY), line.end(CloudFrontField.QUERY));
    String id = query.id();
    if (id == null || id.isEmpty()) {
      return filtered(FilterReason.MISSING_SERVER_ID);
    }
    if (!numbersOk) {
      return dead(query.failureReason());
    }
    pending
        .eventTimeMillis(eventTime)
        .serverId(id)
        .rawBuild(query.b())
        .enterpriseReady(SecurityPing.enterpriseReadyOf(query.be()))
        .database(query.db())
        .os(query.os())
        .registeredUsers(query.ucOrNull())
        .teams(query.tcOrNull())
        .activeUsers(query.aucOrNull())
        .ranUnitTests(query.ranUnitTests())
        .clientIp(line.clientIp())
        .edgeLocation(line.edgeLocation())
        .requestId(keepRequestIds ? line.requestId() : null)
        .geo(null, null, null, null, null, null)
        .exclusionMask(0);
    outcome = Outcome.PING;
    filterReason = null;
    deadReason = null;
    return outcome;
  }

  private Outcome filtered(FilterReason reason) {
    outcome = Outcome.FILTERED;
    filterReason = reason;
    deadReason = null;
    return outcome;
  }

  private Outcome dead(String reason) {
    outcome = Outcome.DEAD;
    filterReason = null;
    deadReason = reason;
    return outcome;
  }

  /** The outcome of the last {@link #classify} (null before the first). */
  public Outcome outcome() {
    return outcome;
  }

  /** After {@link Outcome#FILTERED}: why; otherwise null. */
  public FilterReason filterReason() {
    return filterReason;
  }

  /** After {@link Outcome#DEAD}: a stable snake_case reason; otherwise null. */
  public String deadReason() {
    return deadReason;
  }

  /** The line used by {@link #classify(String, CloudFrontLayout)}, e.g. to read more fields. */
  public CloudFrontLine line() {
    return ownLine;
  }

  /** The decoded query of the last line that reached the query step. */
  public SecurityQuery query() {
    return query;
  }

  /**
   * After {@link Outcome#PING}: the pending ping's fields (valid until the next {@link #classify}).
   *
   * @throws IllegalStateException if the last outcome was not PING
   */
  public SecurityPingFields pending() {
    requirePing();
    return pending;
  }

  /** After {@link Outcome#PING}: the client IP to look up (null if the field was {@code -}). */
  public String clientIp() {
    requirePing();
    return pending.clientIp();
  }

  /** After {@link Outcome#PING}: the ping without GeoIP data (country unknown). */
  public SecurityPing complete() {
    return complete(null, null, null, null, null, null);
  }

  /**
   * After {@link Outcome#PING}: the ping with the given GeoIP fields of its client IP (any may be
   * null, e.g. when the address is not in the database) and its exclusion mask ({@link
   * ExclusionRules#reasons(SecurityPingFields, String)} with {@code countryIso}).
   *
   * @throws IllegalStateException if the last outcome was not PING
   */
  public SecurityPing complete(
      String countryIso,
      String countryName,
      String subdivisionIso,
      String subdivisionName,
      String city,
      Long asn) {
    requirePing();
    pending.geo(countryIso, countryName, subdivisionIso, subdivisionName, city, asn);
    pending.exclusionMask(rules.reasons(pending, countryIso));
    if (clientIps != null) {
      pending.pseudonymize(clientIps);
    }
    return pending.build();
  }

  /** The rules {@link #complete} applies. */
  public ExclusionRules rules() {
    return rules;
  }

  private void requirePing() {
    if (outcome != Outcome.PING) {
      throw new IllegalStateException("last classify() outcome was " + outcome + ", not PING");
    }
  }
}

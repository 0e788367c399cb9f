package dw.transforms.cloudfront;

/**
 * A reusable, mutable cursor over one data line of a CloudFront standard access log (TAB-separated
 * W3C format). Keep one instance per reader/DoFn and {@link #reset(String, CloudFrontLayout)} it for
 * every line: resetting only records field boundaries (found with {@code indexOf('\t')}, no regex,
 * no split) up to the last field this class reads; nothing is allocated.
 *
 * <p>Accessors return the raw (still URL-encoded) field text as a new String, or {@code null} when
 * the field is {@code -} (CloudFront's "empty"), empty, or absent from the layout. Call each accessor
 * at most once per line if allocation matters. The {@code ...Is}, {@code ...StartsWith} and
 * {@code ...Contains} tests compare in place without allocating; they look at the raw text, so
 * {@code methodIs("-")} is true for a {@code -} method.
 *
 * <p>Tolerance: a stray trailing tab, extra trailing fields, fields missing after the last one read
 * and a trailing {@code \r} are accepted. A line with fewer fields than
 * {@link CloudFrontLayout#requiredFieldCount()} is rejected ({@link #failureReason()} =
 * {@value #TOO_FEW_FIELDS}); an empty or blank line gives {@value #EMPTY_LINE}.
 *
 * <p>Not thread-safe.
 */
public final class CloudFrontLine {
  /** Failure reason: the line has fewer TAB-separated fields than the layout needs. */
  public static final String TOO_FEW_FIELDS = "too_few_fields";
  /** Failure reason: the line is empty or only whitespace. */
  public static final String EMPTY_LINE = "empty_line";

  private static final long MILLIS_PER_DAY = 86_400_000L;

  private String line;
  private CloudFrontLayout layout;
  private int[] positions;
  /** Start and end (exclusive) of each field 0..layout.lastIndex(). */
  private int[] starts = new int[40];
  private int[] ends = new int[40];
  private boolean ok;
  private String failureReason;

  private boolean timeParsed;
  private int epochDay;
  private long eventTimeMillis;

  /**
   * Points this cursor at {@code line}, read with {@code layout}.
   *
   * @return true if the line has all fields the layout needs; false otherwise (see {@link
   *     #failureReason()}); accessors must not be used after false
   */
  public boolean reset(String line, CloudFrontLayout layout) {
    this.line = line;
    this.layout = layout;
    this.positions = layout.positions();
    this.timeParsed = false;
    int last = layout.lastIndex();
    if (starts.length <= last) {
      starts = new int[last + 1];
      ends = new int[last + 1];
    }
    int len = line == null ? 0 : line.length();
    // Drop a trailing CR/LF (a CRLF file read with a splitter that only knows '\n').
    while (len > 0 && (line.charAt(len - 1) == '\r' || line.charAt(len - 1) == '\n')) {
      len--;
    }
    if (isBlank(line, len)) {
      return fail(EMPTY_LINE);
    }
    int pos = 0;
    for (int i = 0; i <= last; i++) {
      starts[i] = pos;
      int tab = line.indexOf('\t', pos);
      if (tab < 0 || tab >= len) {
        if (i < last) {
          return fail(TOO_FEW_FIELDS);
        }
        ends[i] = len;
        break;
      }
      ends[i] = tab;
      pos = tab + 1;
    }
    ok = true;
    failureReason = null;
    return true;
  }

  private static boolean isBlank(String s, int len) {
    for (int i = 0; i < len; i++) {
      char c = s.charAt(i);
      if (c != ' ' && c != '\t') {
        return false;
      }
    }
    return true;
  }

  private boolean fail(String reason) {
    ok = false;
    failureReason = reason;
    return false;
  }

  /** Whether the last {@link #reset} succeeded. */
  public boolean isOk() {
    return ok;
  }

  /** Why the last {@link #reset} failed ({@value #TOO_FEW_FIELDS}, {@value #EMPTY_LINE}), or null. */
  public String failureReason() {
    return failureReason;
  }

  /** The whole raw line passed to the last {@link #reset}. */
  public String raw() {
    return line;
  }

  /** The layout passed to the last {@link #reset}. */
  public CloudFrontLayout layout() {
    return layout;
  }

  // ---------------------------------------------------------------- generic field access

  /** Raw text of {@code field}, or null for {@code -}, empty, or a field the layout lacks. */
  public String get(CloudFrontField field) {
    int idx = positions[field.ordinal()];
    if (idx < 0) {
      return null;
    }
    int s = starts[idx];
    int e = ends[idx];
    if (isNullValue(s, e)) {
      return null;
    }
    return line.substring(s, e);
  }

  /** Whether {@code field} is present and not {@code -}/empty. */
  public boolean isPresent(CloudFrontField field) {
    int idx = positions[field.ordinal()];
    return idx >= 0 && !isNullValue(starts[idx], ends[idx]);
  }

  /** Whether the raw text of {@code field} equals {@code value} exactly (false if absent). */
  public boolean fieldIs(CloudFrontField field, String value) {
    int idx = positions[field.ordinal()];
    if (idx < 0) {
      return false;
    }
    int s = starts[idx];
    return ends[idx] - s == value.length() && line.startsWith(value, s);
  }

  /** Whether the raw text of {@code field} starts with {@code prefix} (false if absent). */
  public boolean fieldStartsWith(CloudFrontField field, String prefix) {
    int idx = positions[field.ordinal()];
    if (idx < 0) {
      return false;
    }
    int s = starts[idx];
    return ends[idx] - s >= prefix.length() && line.startsWith(prefix, s);
  }

  /** Whether the raw text of {@code field} contains {@code needle} (false if absent). */
  public boolean fieldContains(CloudFrontField field, String needle) {
    int idx = positions[field.ordinal()];
    if (idx < 0) {
      return false;
    }
    int s = starts[idx];
    int e = ends[idx];
    int found = line.indexOf(needle, s);
    return found >= 0 && found + needle.length() <= e;
  }

  /**
   * Start offset of {@code field}'s raw text in {@link #raw()}, or -1 if the field is absent,
   * {@code -} or empty. With {@link #end(CloudFrontField)} this lets a caller parse a field in place.
   */
  public int start(CloudFrontField field) {
    int idx = positions[field.ordinal()];
    if (idx < 0 || isNullValue(starts[idx], ends[idx])) {
      return -1;
    }
    return starts[idx];
  }

  /** End offset (exclusive) of {@code field}'s raw text, or -1 (see {@link #start}). */
  public int end(CloudFrontField field) {
    int idx = positions[field.ordinal()];
    if (idx < 0 || isNullValue(starts[idx], ends[idx])) {
      return -1;
    }
    return ends[idx];
  }

  private boolean isNullValue(int s, int e) {
    return e == s || (e - s == 1 && line.charAt(s) == '-');
  }

  // ---------------------------------------------------------------- named accessors

  /** {@code date} (YYYY-MM-DD, UTC), raw. */
  public String date() {
    return get(CloudFrontField.DATE);
  }

  /** {@code time} (HH:MM:SS, UTC), raw. */
  public String time() {
    return get(CloudFrontField.TIME);
  }

  /** {@code c-ip}: IPv4 or IPv6 literal of the viewer. */
  public String clientIp() {
    return get(CloudFrontField.CLIENT_IP);
  }

  /** {@code cs-method}. */
  public String method() {
    return get(CloudFrontField.METHOD);
  }

  /** {@code cs-uri-stem}, raw (URL-encoded). */
  public String uriStem() {
    return get(CloudFrontField.URI_STEM);
  }

  /** {@code sc-status}, raw (e.g. {@code 200}, {@code 000} when the viewer closed the connection). */
  public String status() {
    return get(CloudFrontField.STATUS);
  }

  /** {@code cs(User-Agent)}, raw (URL-encoded; see {@link UrlDecoding#decode(String)}). */
  public String userAgent() {
    return get(CloudFrontField.USER_AGENT);
  }

  /** {@code cs-uri-query}, raw (URL-encoded by the client and by CloudFront). */
  public String query() {
    return get(CloudFrontField.QUERY);
  }

  /** {@code x-edge-location}, e.g. {@code IAD89-C1}. */
  public String edgeLocation() {
    return get(CloudFrontField.EDGE_LOCATION);
  }

  /** {@code x-edge-request-id}. */
  public String requestId() {
    return get(CloudFrontField.REQUEST_ID);
  }

  /** {@code cs(Host)} (the CloudFront domain name). */
  public String host() {
    return get(CloudFrontField.HOST);
  }

  /** {@code x-host-header} (the Host header the viewer sent). */
  public String hostHeader() {
    return get(CloudFrontField.HOST_HEADER);
  }

  /** {@code sc-status} as an int parsed in place (0 for {@code 000}), or -1 if absent/malformed. */
  public int statusCode() {
    long v = parseUnsigned(CloudFrontField.STATUS, 3);
    return (int) v;
  }

  /** {@code sc-bytes} parsed in place, or -1 if absent/malformed. */
  public long bytesSent() {
    return parseUnsigned(CloudFrontField.SC_BYTES, 18);
  }

  private long parseUnsigned(CloudFrontField field, int maxDigits) {
    int s = start(field);
    if (s < 0) {
      return -1;
    }
    int e = end(field);
    if (e - s > maxDigits) {
      return -1;
    }
    long v = 0;
    for (int i = s; i < e; i++) {
      char c = line.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  /** Whether {@code cs-method} is exactly {@code method}. */
  public boolean methodIs(String method) {
    return fieldIs(CloudFrontField.METHOD, method);
  }

  /** Whether the raw {@code cs-uri-stem} is exactly {@code stem}. */
  public boolean uriStemIs(String stem) {
    return fieldIs(CloudFrontField.URI_STEM, stem);
  }

  /** Whether the raw {@code cs(User-Agent)} starts with {@code prefix}. */
  public boolean userAgentStartsWith(String prefix) {
    return fieldStartsWith(CloudFrontField.USER_AGENT, prefix);
  }

  /** Whether the raw {@code cs-uri-query} contains {@code needle}. */
  public boolean queryContains(String needle) {
    return fieldContains(CloudFrontField.QUERY, needle);
  }

  // ---------------------------------------------------------------- event time

  /**
   * Event time in epoch milliseconds (UTC) from {@code date} + {@code time}, parsed by hand;
   * {@link Long#MIN_VALUE} if either is malformed. Accepted: exactly {@code YYYY-MM-DD} (year
   * 0000-9999, a real calendar day) and {@code HH:MM:SS} (00:00:00-23:59:59; no leap second).
   */
  public long eventTimeMillis() {
    parseTime();
    return eventTimeMillis;
  }

  /**
   * Days since 1970-01-01 of the {@code date} field (the UTC log day), or {@link
   * Integer#MIN_VALUE} if the date or the time is malformed (same validity as {@link
   * #eventTimeMillis()}).
   */
  public int epochDay() {
    parseTime();
    return epochDay;
  }

  private void parseTime() {
    if (timeParsed) {
      return;
    }
    timeParsed = true;
    epochDay = Integer.MIN_VALUE;
    eventTimeMillis = Long.MIN_VALUE;
    int ds = start(CloudFrontField.DATE);
    int ts = start(CloudFrontField.TIME);
    if (ds < 0 || ts < 0) {
      return;
    }
    if (end(CloudFrontField.DATE) - ds != 10 || end(CloudFrontField.TIME) - ts != 8) {
      return;
    }
    String l = line;
    if (l.charAt(ds + 4) != '-' || l.charAt(ds + 7) != '-'
        || l.charAt(ts + 2) != ':' || l.charAt(ts + 5) != ':') {
      return;
    }
    int year = digits(l, ds, 4);
    int month = digits(l, ds + 5, 2);
    int day = digits(l, ds + 8, 2);
    int hour = digits(l, ts, 2);
    int minute = digits(l, ts + 3, 2);
    int second = digits(l, ts + 6, 2);
    if ((year | month | day | hour | minute | second) < 0) {
      return;
    }
    if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)
        || hour > 23 || minute > 59 || second > 59) {
      return;
    }
    int d = CivilDays.epochDay(year, month, day);
    epochDay = d;
    eventTimeMillis = d * MILLIS_PER_DAY + (hour * 3600L + minute * 60L + second) * 1000L;
  }

  /** Decimal value of {@code n} ASCII digits at {@code from}, or -1 if any is not a digit. */
  private static int digits(String s, int from, int n) {
    int v = 0;
    for (int i = from; i < from + n; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  private static int daysInMonth(int year, int month) {
    switch (month) {
      case 2:
        return CivilDays.isLeapYear(year) ? 29 : 28;
      case 4:
      case 6:
      case 9:
      case 11:
        return 30;
      default:
        return 31;
    }
  }

  @Override
  public String toString() {
    return ok ? "CloudFrontLine[" + line + "]" : "CloudFrontLine[failed: " + failureReason + "]";
  }
}

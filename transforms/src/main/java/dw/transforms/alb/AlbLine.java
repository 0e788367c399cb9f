package dw.transforms.alb;

import dw.transforms.cloudfront.CivilDays;

/**
 * A reusable, mutable cursor over one line of an Application Load Balancer access log. Keep one per
 * reader and {@link #reset(String)} it for every line: resetting records the boundaries of the
 * space-separated fields (double-quoted strings with {@code \"} and {@code \\} escapes), checks the
 * numbers and the timestamp, and allocates nothing; accessors materialize one field at a time.
 *
 * <p>Numbers too long for their accessor (more than 12 digits before the point of a processing time,
 * 9 of a status code, 18 of a byte count) make the line {@code bad_number: <field>}.
 *
 * <p>Nulls: a field written as {@code -} reads as null (strings) or -1 (numbers); the processing
 * times read -1 for {@code -1} too (AWS: the load balancer could not dispatch the request, or the
 * connection closed). Fields AWS appends after the last documented one ({@link AlbField}) are
 * tolerated; the fields after {@code error_reason} may be missing (older entries).
 *
 * <p>Lines of other formats are recognised and rejected with a reason naming the format ({@link
 * #failureReason()}): classic ELB access logs ({@value #CLASSIC_ELB}), Network Load Balancer TLS
 * access logs ({@value #NLB}), Application Load Balancer connection logs ({@value
 * #ALB_CONNECTION_LOG}); anything else is {@value #UNKNOWN_FORMAT}. They are never mis-parsed as
 * requests.
 *
 * <p>Not thread-safe.
 */
public final class AlbLine {
  public static final String EMPTY_LINE = "empty_line";
  public static final String TOO_FEW_FIELDS = "too_few_fields";
  public static final String UNTERMINATED_QUOTE = "unterminated_quote";
  public static final String BAD_TIMESTAMP = "bad_timestamp";
  public static final String BAD_NUMBER = "bad_number";
  public static final String CLASSIC_ELB = "other_format: classic_elb_access_log";
  public static final String NLB = "other_format: nlb_access_log";
  public static final String ALB_CONNECTION_LOG = "other_format: alb_connection_log";
  public static final String UNKNOWN_FORMAT = "unknown_format";

  private static final int KNOWN = AlbField.values().length;
  private static final AlbField[] NUMERIC = {
    AlbField.REQUEST_PROCESSING_TIME,
    AlbField.TARGET_PROCESSING_TIME,
    AlbField.RESPONSE_PROCESSING_TIME,
    AlbField.ELB_STATUS_CODE,
    AlbField.TARGET_STATUS_CODE,
    AlbField.RECEIVED_BYTES,
    AlbField.SENT_BYTES
  };

  private String line;
  private int fields;
  private int extraFields;
  private final int[] starts = new int[KNOWN];
  private final int[] ends = new int[KNOWN];
  private long escaped; // bit per field: contains a backslash escape
  private String failureReason;
  private long eventTimeMicros;

  /**
   * Points this cursor at {@code line}.
   *
   * @return true if the line is a well-formed ALB access-log entry; false otherwise (see {@link
   *     #failureReason()}); accessors must not be used after false
   */
  public boolean reset(String line) {
    this.line = line;
    this.fields = 0;
    this.extraFields = 0;
    this.escaped = 0;
    this.failureReason = null;
    int n = line == null ? 0 : line.length();
    while (n > 0 && (line.charAt(n - 1) == '\r' || line.charAt(n - 1) == '\n')) {
      n--;
    }
    if (n == 0 || line.isBlank()) {
      return fail(EMPTY_LINE);
    }
    int i = 0;
    while (i < n) {
      char c = line.charAt(i);
      if (c == ' ') {
        i++; // tolerate doubled separators
        continue;
      }
      int start;
      int end;
      boolean esc = false;
      if (c == '"') {
        start = i + 1;
        int j = start;
        while (true) {
          if (j >= n) {
            return fail(UNTERMINATED_QUOTE);
          }
          char d = line.charAt(j);
          if (d == '\\') {
            esc = true;
            j += 2;
            continue;
          }
          if (d == '"') {
            break;
          }
          j++;
        }
        end = j;
        i = j + 1;
        if (i < n && line.charAt(i) != ' ') {
          return fail(UNTERMINATED_QUOTE); // text glued to a closing quote
        }
      } else {
        start = i;
        int j = line.indexOf(' ', i);
        end = j < 0 || j > n ? n : j;
        i = end;
      }
      if (fields < KNOWN) {
        starts[fields] = start;
        ends[fields] = end;
        if (esc) {
          escaped |= 1L << fields;
        }
        fields++;
      } else {
        extraFields++;
      }
    }
    if (!knownType()) {
      return fail(otherFormat());
    }
    if (fields < AlbField.REQUIRED) {
      return fail(TOO_FEW_FIELDS);
    }
    if (!startsWith(AlbField.ELB, "app/")) {
      return fail(otherFormat());
    }
    eventTimeMicros = parseTimeMicros(AlbField.TIME);
    if (eventTimeMicros == Long.MIN_VALUE) {
      return fail(BAD_TIMESTAMP);
    }
    for (AlbField f : NUMERIC) {
      if (!isNumberOrDash(f)) {
        return fail(BAD_NUMBER + ": " + f.docName());
      }
    }
    return true;
  }

  private boolean fail(String reason) {
    failureReason = reason;
    return false;
  }

  public String failureReason() {
    return failureReason;
  }

  /** Fields present on the line (known ones, up to {@link AlbField#values()}). */
  public int fieldCount() {
    return fields;
  }

  /** Trailing fields after the last known one (a newer format). */
  public int extraFieldCount() {
    return extraFields;
  }

  public boolean has(AlbField f) {
    return f.ordinal() < fields;
  }

  private boolean knownType() {
    if (fields == 0) {
      return false;
    }
    return is(AlbField.TYPE, "http")
        || is(AlbField.TYPE, "https")
        || is(AlbField.TYPE, "h2")
        || is(AlbField.TYPE, "grpcs")
        || is(AlbField.TYPE, "ws")
        || is(AlbField.TYPE, "wss");
  }

  /** Names the format of a line that is not an ALB access-log entry. */
  private String otherFormat() {
    if (fields >= 2 && isTimestamp(0)) {
      // classic ELB: timestamp elb client:port backend:port ...; ALB connection log: timestamp
      // client_ip client_port listener_port tls_protocol ...
      if (fields >= 3 && allDigits(starts[2], ends[2])) {
        return ALB_CONNECTION_LOG;
      }
      if (fields >= 3 && indexOf(2, ':') >= 0) {
        return CLASSIC_ELB;
      }
      return UNKNOWN_FORMAT;
    }
    if (fields >= 4 && (is(AlbField.TYPE, "tls") || is(AlbField.TYPE, "tcp") || is(AlbField.TYPE, "udp"))
        && isTimestamp(2)
        && line.startsWith("net/", starts[3])) {
      return NLB;
    }
    return UNKNOWN_FORMAT;
  }

  private boolean isTimestamp(int field) {
    int s = starts[field];
    return ends[field] - s >= 19
        && line.charAt(s + 4) == '-'
        && line.charAt(s + 10) == 'T'
        && Character.isDigit(line.charAt(s));
  }

  private boolean allDigits(int s, int e) {
    if (s >= e) {
      return false;
    }
    for (int i = s; i < e; i++) {
      char c = line.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  private int indexOf(int field, char c) {
    for (int i = starts[field]; i < ends[field]; i++) {
      if (line.charAt(i) == c) {
        return i;
      }
    }
    return -1;
  }

  private boolean isNumberOrDash(AlbField f) {
    if (!has(f)) {
      return true;
    }
    int s = starts[f.ordinal()];
    int e = ends[f.ordinal()];
    if (e - s == 1 && line.charAt(s) == '-') {
      return true;
    }
    if (s < e && line.charAt(s) == '-') {
      s++;
    }
    boolean digit = false;
    boolean dot = false;
    int whole = 0;
    for (int i = s; i < e; i++) {
      char c = line.charAt(i);
      if (c >= '0' && c <= '9') {
        digit = true;
        if (!dot && (whole > 0 || c != '0')) {
          whole++;
        }
      } else if (c == '.' && !dot) {
        dot = true;
      } else {
        return false;
      }
    }
    return digit && whole <= maxWholeDigits(f);
  }

  /**
   * The most significant digits a number may have before its point, so that every accessor's
   * value fits (no total wraps around): processing times are read in microseconds, status codes
   * as an int, byte counts as a long.
   */
  private static int maxWholeDigits(AlbField f) {
    return switch (f) {
      case REQUEST_PROCESSING_TIME, TARGET_PROCESSING_TIME, RESPONSE_PROCESSING_TIME -> 12;
      case ELB_STATUS_CODE, TARGET_STATUS_CODE -> 9;
      default -> 18;
    };
  }

  // ---- accessors ----

  /** True if the field's raw text equals {@code s} (no allocation). */
  public boolean is(AlbField f, String s) {
    int i = f.ordinal();
    return i < fields && ends[i] - starts[i] == s.length() && line.startsWith(s, starts[i]);
  }

  public boolean startsWith(AlbField f, String s) {
    int i = f.ordinal();
    return i < fields && ends[i] - starts[i] >= s.length() && line.startsWith(s, starts[i]);
  }

  /** True if the field is absent or {@code -}. */
  public boolean isNull(AlbField f) {
    return !has(f) || is(f, "-");
  }

  /** The field's text (quotes removed, escapes resolved), or null for {@code -} or absent. */
  public String text(AlbField f) {
    if (isNull(f)) {
      return null;
    }
    int i = f.ordinal();
    return (escaped & (1L << i)) == 0 ? line.substring(starts[i], ends[i]) : unescape(starts[i], ends[i]);
  }

  private String unescape(int s, int e) {
    StringBuilder b = new StringBuilder(e - s);
    for (int i = s; i < e; i++) {
      char c = line.charAt(i);
      if (c == '\\' && i + 1 < e) {
        i++;
        c = line.charAt(i);
      }
      b.append(c);
    }
    return b.toString();
  }

  /** A whole number (status codes, bytes), or -1 for {@code -} or absent. */
  public long number(AlbField f) {
    if (isNull(f)) {
      return -1;
    }
    int i = f.ordinal();
    long v = 0;
    boolean neg = false;
    for (int p = starts[i]; p < ends[i]; p++) {
      char c = line.charAt(p);
      if (c == '-') {
        neg = true;
      } else if (c == '.') {
        break;
      } else {
        v = v * 10 + (c - '0');
      }
    }
    return neg ? -1 : v;
  }

  /** A status code, or -1 for {@code -}. */
  public int status(AlbField f) {
    return (int) number(f);
  }

  /**
   * A processing time in microseconds (the log has seconds with three or more decimals), or -1
   * for {@code -1} (not dispatched, or the connection closed) and {@code -}.
   */
  public long durationMicros(AlbField f) {
    if (isNull(f) || startsWith(f, "-")) {
      return -1;
    }
    int i = f.ordinal();
    long whole = 0;
    long frac = 0;
    int digits = 0;
    boolean inFrac = false;
    for (int p = starts[i]; p < ends[i]; p++) {
      char c = line.charAt(p);
      if (c == '.') {
        inFrac = true;
      } else if (!inFrac) {
        whole = whole * 10 + (c - '0');
      } else if (digits < 6) {
        frac = frac * 10 + (c - '0');
        digits++;
      }
    }
    while (digits < 6) {
      frac *= 10;
      digits++;
    }
    return whole * 1_000_000L + frac;
  }

  /** A processing time in whole milliseconds (rounded half up), or -1 (see {@link #durationMicros}). */
  public long durationMillis(AlbField f) {
    long us = durationMicros(f);
    return us < 0 ? -1 : (us + 500) / 1000;
  }

  /** The {@code time} field (when the response was sent) in epoch microseconds. */
  public long eventTimeMicros() {
    return eventTimeMicros;
  }

  public long eventTimeMillis() {
    return Math.floorDiv(eventTimeMicros, 1000);
  }

  /** {@code request_creation_time} in epoch microseconds, or Long.MIN_VALUE if absent or bad. */
  public long requestCreationMicros() {
    return has(AlbField.REQUEST_CREATION_TIME) ? parseTimeMicros(AlbField.REQUEST_CREATION_TIME) : Long.MIN_VALUE;
  }

  /** ISO 8601 UTC {@code YYYY-MM-DDTHH:MM:SS[.f{1,9}]Z} in epoch microseconds, or Long.MIN_VALUE. */
  private long parseTimeMicros(AlbField f) {
    int s = starts[f.ordinal()];
    int e = ends[f.ordinal()];
    if (e - s < 20 || line.charAt(e - 1) != 'Z') {
      return Long.MIN_VALUE;
    }
    int year = digits(s, 4);
    int month = digits(s + 5, 2);
    int day = digits(s + 8, 2);
    int hour = digits(s + 11, 2);
    int minute = digits(s + 14, 2);
    int second = digits(s + 17, 2);
    if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0
        || minute > 59 || second < 0 || second > 60
        || line.charAt(s + 4) != '-' || line.charAt(s + 7) != '-' || line.charAt(s + 10) != 'T'
        || line.charAt(s + 13) != ':' || line.charAt(s + 16) != ':') {
      return Long.MIN_VALUE;
    }
    int[] monthDays = {0, 31, CivilDays.isLeapYear(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (day > monthDays[month]) {
      return Long.MIN_VALUE;
    }
    long frac = 0;
    int p = s + 19;
    if (p < e - 1) {
      if (line.charAt(p) != '.') {
        return Long.MIN_VALUE;
      }
      int n = 0;
      for (p++; p < e - 1; p++) {
        char c = line.charAt(p);
        if (c < '0' || c > '9') {
          return Long.MIN_VALUE;
        }
        if (n < 6) {
          frac = frac * 10 + (c - '0');
          n++;
        }
      }
      if (n == 0) {
        return Long.MIN_VALUE;
      }
      while (n < 6) {
        frac *= 10;
        n++;
      }
    }
    long days = CivilDays.epochDay(year, month, day);
    return ((days * 24 + hour) * 60 + minute) * 60_000_000L + second * 1_000_000L + frac;
  }

  private int digits(int at, int count) {
    int v = 0;
    for (int i = at; i < at + count; i++) {
      char c = line.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  // ---- derived parts ----

  /**
   * The load balancer's resource name without its id: {@code app/push-proxy-us} for {@code
   * app/push-proxy-us/50dc6c495c0c9188}.
   */
  public String loadBalancer() {
    int i = AlbField.ELB.ordinal();
    int slash = line.lastIndexOf('/', ends[i] - 1);
    int end = slash > starts[i] + 4 ? slash : ends[i];
    return line.substring(starts[i], end);
  }

  /** The client address without port ({@code [..]} of IPv6 removed), or null. */
  public String clientIp() {
    if (isNull(AlbField.CLIENT_PORT)) {
      return null;
    }
    int i = AlbField.CLIENT_PORT.ordinal();
    int s = starts[i];
    int e = ends[i];
    int colon = line.lastIndexOf(':', e - 1);
    if (colon < s) {
      return line.substring(s, e);
    }
    int end = colon;
    if (line.charAt(s) == '[' && line.charAt(end - 1) == ']') {
      return line.substring(s + 1, end - 1);
    }
    return line.substring(s, end);
  }

  /** The client port (0-65535), or -1 (absent, or not a port number). */
  public int clientPort() {
    if (isNull(AlbField.CLIENT_PORT)) {
      return -1;
    }
    int i = AlbField.CLIENT_PORT.ordinal();
    int colon = line.lastIndexOf(':', ends[i] - 1);
    if (colon < starts[i] || !allDigits(colon + 1, ends[i]) || ends[i] - colon - 1 > 5) {
      return -1;
    }
    int port = Integer.parseInt(line, colon + 1, ends[i], 10);
    return port <= 65_535 ? port : -1;
  }

  private int requestSpace1() {
    int i = AlbField.REQUEST.ordinal();
    int sp = line.indexOf(' ', starts[i]);
    return sp < 0 || sp >= ends[i] ? -1 : sp;
  }

  private int requestSpace2() {
    int i = AlbField.REQUEST.ordinal();
    int sp = line.lastIndexOf(' ', ends[i] - 1);
    return sp <= requestSpace1() ? -1 : sp;
  }

  /** Whether {@code request} has the form {@code METHOD URL PROTOCOL} (with a method other than -). */
  public boolean requestWellFormed() {
    return requestSpace1() > starts[AlbField.REQUEST.ordinal()] && requestSpace2() > 0
        && !line.startsWith("- ", starts[AlbField.REQUEST.ordinal()]);
  }

  /** The HTTP method, or null when the request line is malformed. */
  public String method() {
    return requestWellFormed() ? line.substring(starts[AlbField.REQUEST.ordinal()], requestSpace1()) : null;
  }

  public boolean methodIs(String m) {
    int s = starts[AlbField.REQUEST.ordinal()];
    return requestWellFormed() && requestSpace1() - s == m.length() && line.startsWith(m, s);
  }

  /** The URL as logged ({@code scheme://host:port/path?query}), or null when malformed. */
  public String url() {
    return requestWellFormed() ? unescapedRequestPart(requestSpace1() + 1, requestSpace2()) : null;
  }

  /** The protocol ({@code HTTP/1.1}, {@code HTTP/2.0}), or null when malformed. */
  public String protocol() {
    return requestWellFormed() ? line.substring(requestSpace2() + 1, ends[AlbField.REQUEST.ordinal()]) : null;
  }

  private int pathStart() {
    int s = requestSpace1() + 1;
    int e = requestSpace2();
    int scheme = line.indexOf("://", s);
    if (scheme >= 0 && scheme < e) {
      int slash = line.indexOf('/', scheme + 3);
      return slash < 0 || slash >= e ? e : slash;
    }
    return s;
  }

  private int pathEnd() {
    int s = pathStart();
    int e = requestSpace2();
    for (int i = s; i < e; i++) {
      char c = line.charAt(i);
      if (c == '?' || c == '#') {
        return i;
      }
    }
    return e;
  }

  /** The URL's path without scheme, host, port and query ({@code /} when empty), or null. */
  public String path() {
    if (!requestWellFormed()) {
      return null;
    }
    int s = pathStart();
    int e = pathEnd();
    return s == e ? "/" : unescapedRequestPart(s, e);
  }

  /** True if the URL's path (without query) ends with {@code suffix}; no allocation. */
  public boolean pathEndsWith(String suffix) {
    if (!requestWellFormed()) {
      return false;
    }
    int s = pathStart();
    int e = pathEnd();
    return e - s >= suffix.length() && line.startsWith(suffix, e - suffix.length());
  }

  private String unescapedRequestPart(int s, int e) {
    return (escaped & (1L << AlbField.REQUEST.ordinal())) == 0 ? line.substring(s, e) : unescape(s, e);
  }
}

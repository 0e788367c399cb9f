package dw.transforms.security;

import dw.transforms.cloudfront.UrlDecoding;

/**
 * The parameters of a security-update-check ping's query string ({@code cs-uri-query}), decoded
 * exactly like the original warehouse's {@code parse_qs} UDF: Python {@code
 * urllib.parse.parse_qs(q, keep_blank_values=True)}, then the first value of each name.
 *
 * <ul>
 *   <li>Split on {@code '&'} only ({@code ';'} is an ordinary character); empty parts are skipped.
 *   <li>A part is split at its first {@code '='}; a part without {@code '='} is a name with value
 *       {@code ""}.
 *   <li>Names and values are decoded with {@code +} as space and then one percent-decoding pass
 *       ({@link UrlDecoding#decodeQueryComponent}); names are compared after decoding, so {@code
 *       %61uc=3} sets {@code auc}.
 *   <li>First value wins: {@code id=a&id=b} gives {@code a}; a blank first value ({@code id=&id=b})
 *       also wins and gives {@code ""}.
 *   <li>Only {@code id, b, be, db, os, uc, tc, auc, ut} are kept; other names are ignored.
 * </ul>
 *
 * <p><b>How much to decode.</b> CloudFront writes {@code cs-uri-query} URL-encoded: the field holds
 * the query as the client sent it (already percent-encoded by Go's {@code url.Values.Encode()}),
 * with CloudFront's own escaping on top ({@code %} itself becomes {@code %25}). A value the client
 * sent as {@code a%20b} is therefore logged as {@code a%2520b}. We deliberately apply <em>one</em>
 * decode on top of the stored field, the same single {@code unquote} that {@code parse_qs} applied in
 * the original warehouse: {@code a%2520b} gives {@code a%20b}, and a plain {@code a%20b} or {@code
 * a+b} gives {@code a b}. Reasons: (1) the results reconcile value-for-value with the original
 * tables; (2) the values Mattermost servers send ({@code [a-z0-9]} ids, {@code x.y.z.n} builds,
 * {@code true/false}, driver and OS names, decimal counts) never contain characters Go escapes, so a
 * {@code %25XX} in them only comes from non-Mattermost or broken clients, which are flagged anyway
 * (invalid id, custom build, bad number). Undoing CloudFront's layer as well would be a one-line
 * change here (use the two-level rule of {@link UrlDecoding#decode(String)} per component).
 *
 * <p><b>Numbers.</b> {@code uc}, {@code tc}, {@code auc} must be an optional {@code '-'} followed by
 * ASCII digits that fit a {@code long} (like the SQL {@code ::int}); anything else makes {@link
 * #reset} return false with {@link #failureReason()} {@code bad_number_<param>} (the first failing
 * parameter in query order). A blank value ({@code auc=}) is treated like a missing one (not
 * reported, null): a server never sends it, and Snowflake's cast would have failed the whole model.
 *
 * <p>Reusable and allocation-light: one instance per reader; {@link #reset(String, int, int)} reads
 * the query in place and allocates only the Strings of the kept parameters (a substring, or a decoded
 * String when the value contains {@code %} or {@code +}). Numbers are parsed without allocating. Not
 * thread-safe.
 */
public final class SecurityQuery {
  /** Prefix of the failure reasons for non-numeric counts. */
  public static final String BAD_NUMBER_PREFIX = "bad_number_";

  public static final String BAD_NUMBER_UC = BAD_NUMBER_PREFIX + "uc";
  public static final String BAD_NUMBER_TC = BAD_NUMBER_PREFIX + "tc";
  public static final String BAD_NUMBER_AUC = BAD_NUMBER_PREFIX + "auc";

  private static final int ID = 0;
  private static final int B = 1;
  private static final int BE = 2;
  private static final int DB = 3;
  private static final int OS = 4;
  private static final int UC = 5;
  private static final int TC = 6;
  private static final int AUC = 7;
  private static final int UT = 8;

  private static final String[] NAMES = {"id", "b", "be", "db", "os", "uc", "tc", "auc", "ut"};
  private static final String[] BAD_NUMBER = {
    null, null, null, null, null, BAD_NUMBER_UC, BAD_NUMBER_TC, BAD_NUMBER_AUC, null
  };

  private int seen;
  private String id;
  private String b;
  private String be;
  private String db;
  private String os;
  private String ut;
  private long uc;
  private long tc;
  private long auc;
  private boolean hasUc;
  private boolean hasTc;
  private boolean hasAuc;
  private String failureReason;
  /** Whether the query being parsed has a '%' or a '+' anywhere (else nothing needs decoding). */
  private boolean escapes;

  /** Parses a whole query string (null, empty or {@code -} give all parameters null). */
  public boolean reset(String query) {
    return reset(query, 0, query == null ? 0 : query.length());
  }

  /**
   * Parses {@code text[start, end)} as a query string (e.g. the {@code cs-uri-query} range of a
   * {@code CloudFrontLine}). A null {@code text} or an empty range gives all parameters null.
   *
   * @return false if a count is not a number (see {@link #failureReason()}); the other parameters
   *     are still set
   */
  public boolean reset(String text, int start, int end) {
    seen = 0;
    id = b = be = db = os = ut = null;
    uc = tc = auc = 0;
    hasUc = hasTc = hasAuc = false;
    failureReason = null;
    if (text == null || start < 0 || end <= start) {
      return true;
    }
    // Most queries have nothing to decode: two vectorized scans (String.indexOf from the range's
    // start) instead of checking every key and value char by char
    escapes = has(text, '%', start, end) || has(text, '+', start, end);
    int p = start;
    while (p <= end) {
      int amp = text.indexOf('&', p);
      int partEnd = amp < 0 || amp > end ? end : amp;
      if (partEnd > p) {
        int eq = text.indexOf('=', p);
        int keyEnd = eq < 0 || eq >= partEnd ? partEnd : eq;
        int valueStart = keyEnd == partEnd ? partEnd : keyEnd + 1;
        int param = identify(text, p, keyEnd);
        if (param >= 0 && (seen & (1 << param)) == 0) {
          seen |= 1 << param;
          assign(param, text, valueStart, partEnd);
        }
      }
      p = partEnd + 1;
    }
    return failureReason == null;
  }

  /** Whether {@code s[from, to)} holds {@code c}. */
  private static boolean has(String s, char c, int from, int to) {
    int i = s.indexOf(c, from);
    return i >= 0 && i < to;
  }

  /** {@code s[from, to)} query-decoded; a plain substring when the query has nothing to decode. */
  private String decode(String s, int from, int to) {
    return escapes ? UrlDecoding.decodeQueryComponent(s, from, to) : s.substring(from, to);
  }

  private int identify(String s, int from, int to) {
    if (escapes && UrlDecoding.needsQueryDecoding(s, from, to)) {
      String name = UrlDecoding.decodeQueryComponent(s, from, to);
      for (int i = 0; i < NAMES.length; i++) {
        if (NAMES[i].equals(name)) {
          return i;
        }
      }
      return -1;
    }
    int len = to - from;
    if (len < 1 || len > 3) {
      return -1;
    }
    for (int i = 0; i < NAMES.length; i++) {
      String n = NAMES[i];
      if (n.length() == len && s.startsWith(n, from)) {
        return i;
      }
    }
    return -1;
  }

  private void assign(int param, String s, int from, int to) {
    switch (param) {
      case ID:
        id = decode(s, from, to);
        break;
      case B:
        b = decode(s, from, to);
        break;
      case BE:
        be = known(s, from, to, KNOWN_BE);
        break;
      case DB:
        db = known(s, from, to, KNOWN_DB);
        break;
      case OS:
        os = known(s, from, to, KNOWN_OS);
        break;
      case UT:
        ut = known(s, from, to, KNOWN_UT);
        break;
      default:
        assignNumber(param, s, from, to);
    }
  }

  private static final String[] KNOWN_BE = {"true", "false"};
  private static final String[] KNOWN_DB = {"postgres", "mysql"};
  private static final String[] KNOWN_OS = {"linux", "windows", "darwin", "freebsd"};
  private static final String[] KNOWN_UT = {"0", "1"};

  /**
   * The decoded value; one of the shared {@code known} constants when the raw value equals it (the
   * usual case), so these low-cardinality values cost no allocation per line.
   */
  private String known(String s, int from, int to, String[] known) {
    int len = to - from;
    for (String k : known) {
      if (k.length() == len && s.startsWith(k, from)) {
        return k;
      }
    }
    return decode(s, from, to);
  }

  private void assignNumber(int param, String s, int from, int to) {
    if (escapes && UrlDecoding.needsQueryDecoding(s, from, to)) {
      s = UrlDecoding.decodeQueryComponent(s, from, to);
      from = 0;
      to = s.length();
    }
    if (from == to) {
      return; // blank: not reported
    }
    if (!parseLong(s, from, to)) {
      if (failureReason == null) {
        failureReason = BAD_NUMBER[param];
      }
      return;
    }
    switch (param) {
      case UC:
        uc = parsed;
        hasUc = true;
        break;
      case TC:
        tc = parsed;
        hasTc = true;
        break;
      default:
        auc = parsed;
        hasAuc = true;
    }
  }

  /** Result of the last successful {@link #parseLong}. */
  private long parsed;

  /** Parses an optional '-' then 1+ ASCII digits fitting a long into {@link #parsed}. */
  private boolean parseLong(String s, int from, int to) {
    boolean negative = s.charAt(from) == '-';
    int i = negative ? from + 1 : from;
    if (i == to) {
      return false;
    }
    long v = 0; // accumulated negatively so that Long.MIN_VALUE fits
    for (; i < to; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
      int d = c - '0';
      if (v < (Long.MIN_VALUE + d) / 10) {
        return false;
      }
      v = v * 10 - d;
    }
    if (!negative && v == Long.MIN_VALUE) {
      return false;
    }
    parsed = negative ? v : -v;
    return true;
  }

  /** Failure reason of the last {@link #reset} ({@code bad_number_uc|tc|auc}), or null. */
  public String failureReason() {
    return failureReason;
  }

  /** Server id ({@code id}), or null if absent. */
  public String id() {
    return id;
  }

  /** Build ({@code b}), or null if absent. */
  public String b() {
    return b;
  }

  /** Enterprise-ready flag ({@code be}, normally {@code true}/{@code false}), or null. */
  public String be() {
    return be;
  }

  /** Database driver ({@code db}), or null. */
  public String db() {
    return db;
  }

  /** Operating system ({@code os}), or null. */
  public String os() {
    return os;
  }

  /** Unit-test flag ({@code ut}), raw, or null. */
  public String ut() {
    return ut;
  }

  /** Whether {@code ut} is exactly {@code "1"}. */
  public boolean ranUnitTests() {
    return "1".equals(ut);
  }

  public boolean hasUc() {
    return hasUc;
  }

  /** Registered users incl. deleted ({@code uc}); 0 if absent. */
  public long uc() {
    return uc;
  }

  public Long ucOrNull() {
    return hasUc ? Long.valueOf(uc) : null;
  }

  public boolean hasTc() {
    return hasTc;
  }

  /** Teams ({@code tc}); 0 if absent. */
  public long tc() {
    return tc;
  }

  public Long tcOrNull() {
    return hasTc ? Long.valueOf(tc) : null;
  }

  public boolean hasAuc() {
    return hasAuc;
  }

  /** Users active in the last 24 h ({@code auc}); 0 if absent. */
  public long auc() {
    return auc;
  }

  public Long aucOrNull() {
    return hasAuc ? Long.valueOf(auc) : null;
  }

  @Override
  public String toString() {
    return "SecurityQuery{id=" + id + ", b=" + b + ", be=" + be + ", db=" + db + ", os=" + os
        + ", uc=" + ucOrNull() + ", tc=" + tcOrNull() + ", auc=" + aucOrNull() + ", ut=" + ut
        + (failureReason == null ? "" : ", failure=" + failureReason) + "}";
  }
}

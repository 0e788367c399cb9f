package dw.transforms.licenses;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import dw.transforms.logs.LineParser;
import dw.transforms.privacy.EmailPolicy;
import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads one nightly license export line by line (domain.md §4): the header maps columns by name in
 * any order; each data record becomes a {@link LicenseRow}, a filtered line or a dead letter. CSV
 * is parsed by Jackson's CSV module (RFC 4180: quoted fields with commas, doubled quotes and line
 * breaks); a UTF-8 byte-order mark before the header and CRLF line ends are accepted.
 *
 * <p>The input comes one physical line at a time (the shared reading loop splits files at line
 * ends), so a record whose quoted field holds a line break spans several lines: every line but the
 * last is counted as filtered {@code continued_on_next_line}, and the record, with its line breaks
 * as {@code \n}, is counted on its last line. Every line gets exactly one outcome.
 *
 * <ul>
 *   <li>Header (the first record): the names are trimmed and compared case-insensitively; extra
 *       columns are ignored. A missing required column ({@link #REQUIRED}) fails the file: the
 *       header and every later line become dead letters {@code bad_header: missing column <name>}
 *       (so nothing of the file is lost), and the rest of the run goes on.
 *   <li>Rows: dead letters {@code wrong_field_count}, {@code missing_license_id}, {@code
 *       missing_customer_id}, {@code bad_issued_at}, {@code bad_expires_at} (not epoch
 *       milliseconds of the years 0001-9999, see {@link #millis}), {@code
 *       expires_before_issued}, {@code bad_csv} (unbalanced quotes at the end of the file, or text
 *       Jackson rejects).
 *   <li>Filtered: {@code duplicate_in_snapshot} (a license id already seen in this file: the first
 *       row is kept), {@code empty_line}, {@code continued_on_next_line}.
 * </ul>
 *
 * The snapshot date comes from the file's name ({@link LicenseFiles}); a record's event time is the
 * start of that day (UTC). One instance per worker; {@link #startFile} before each file. Not
 * thread-safe.
 */
public final class LicenseCsv implements LineParser<LicenseRow> {
  /** The export's columns, all required. */
  public static final List<String> REQUIRED =
      List.of(
          "customerid", "company", "number", "email", "stripeid", "licenseid", "issuedat",
          "expiresat");

  /** Filter reason codes; the index is {@link #filterReason()}. */
  public static final List<String> FILTER_REASONS =
      List.of("duplicate_in_snapshot", "empty_line", "continued_on_next_line");

  public static final int DUPLICATE_IN_SNAPSHOT = 0;
  public static final int EMPTY_LINE = 1;
  public static final int CONTINUED = 2;

  public static final String BAD_HEADER = "bad_header";

  private static final CsvMapper MAPPER = new CsvMapper();
  private static final ObjectReader ROWS =
      MAPPER.readerFor(String[].class).with(CsvParser.Feature.WRAP_AS_ARRAY);

  private String file;
  private int snapshotEpochDay;
  private boolean headerSeen;
  private String headerFailure;
  private int[] columnIndex;
  private int columns;
  private final Set<String> seen = new HashSet<>();
  private final StringBuilder pending = new StringBuilder();
  private int pendingQuotes;
  private long pendingStart;

  private final EmailPolicy redaction;
  private LicenseRow row;
  private int filterReason;
  private String deadReason;

  /**
   * @param redaction hashes e-mail addresses in dead letters' raw lines (null: keep them raw)
   */
  public LicenseCsv(EmailPolicy redaction) {
    this.redaction = redaction;
  }

  @Override
  public void startFile(String fileName) {
    startFile(fileName, LicenseFiles.snapshotEpochDay(fileName));
  }

  /** Resets for a new file of the snapshot taken on {@code snapshotEpochDay}. */
  public void startFile(String fileName, int snapshotEpochDay) {
    this.file = fileName;
    this.snapshotEpochDay = snapshotEpochDay;
    headerSeen = false;
    headerFailure = null;
    columnIndex = null;
    seen.clear();
    pending.setLength(0);
    pendingQuotes = 0;
    if (snapshotEpochDay == Integer.MIN_VALUE) {
      headerFailure = "bad_file_name: not <YYYY-MM-DD>/<name><YYYY-MM-DD>.csv";
    }
  }

  /**
   * Classifies one physical line (without its line end). {@code lineNumber} is the line's number
   * in the file; a record's row carries the number of its first line.
   */
  @Override
  public Outcome parse(String line, long lineNumber) {
    row = null;
    if (headerFailure != null) {
      return dead(headerFailure);
    }
    if (!headerSeen && pending.length() == 0 && !line.isEmpty() && line.charAt(0) == '\uFEFF') {
      line = line.substring(1);
    }
    if (line.endsWith("\r")) {
      line = line.substring(0, line.length() - 1);
    }
    if (pending.length() > 0) {
      pending.append('\n');
    } else if (line.isBlank()) {
      return filtered(EMPTY_LINE);
    } else {
      pendingStart = lineNumber;
    }
    pending.append(line);
    pendingQuotes += quotes(line);
    if ((pendingQuotes & 1) == 1) {
      return filtered(CONTINUED); // a quoted field goes on in the next line
    }
    String record = pending.toString();
    pending.setLength(0);
    pendingQuotes = 0;
    String[] fields;
    try {
      fields = fields(record);
    } catch (IOException | RuntimeException e) {
      return dead("bad_csv");
    }
    if (!headerSeen) {
      headerSeen = true;
      return header(fields);
    }
    return row(fields, pendingStart);
  }

  /**
   * Call after the last line of a file: when a quoted field was never closed, the reason for the
   * dead letter of the buffered record ({@code bad_csv: unclosed quote}); else null.
   */
  @Override
  public String endOfFile() {
    if (pending.length() == 0) {
      return null;
    }
    pending.setLength(0);
    pendingQuotes = 0;
    return "bad_csv: unclosed quote";
  }

  private Outcome header(String[] names) {
    Map<String, Integer> byName = new HashMap<>();
    for (int i = 0; i < names.length; i++) {
      byName.putIfAbsent(names[i].trim().toLowerCase(Locale.ROOT), i);
    }
    columnIndex = new int[REQUIRED.size()];
    for (int c = 0; c < REQUIRED.size(); c++) {
      Integer i = byName.get(REQUIRED.get(c));
      if (i == null) {
        headerFailure = BAD_HEADER + ": missing column " + REQUIRED.get(c);
        return dead(headerFailure);
      }
      columnIndex[c] = i;
    }
    columns = names.length;
    return Outcome.HEADER;
  }

  private Outcome row(String[] f, long lineNumber) {
    if (f.length != columns) {
      return dead("wrong_field_count: " + f.length + " fields, header has " + columns);
    }
    String customerId = value(f, 0);
    String company = value(f, 1);
    String number = value(f, 2);
    String email = value(f, 3);
    String stripeId = value(f, 4);
    String licenseId = value(f, 5);
    if (licenseId == null) {
      return dead("missing_license_id");
    }
    if (customerId == null) {
      return dead("missing_customer_id");
    }
    long issued = millis(value(f, 6));
    if (issued == Long.MIN_VALUE) {
      return dead("bad_issued_at");
    }
    long expires = millis(value(f, 7));
    if (expires == Long.MIN_VALUE) {
      return dead("bad_expires_at");
    }
    if (expires < issued) {
      return dead("expires_before_issued");
    }
    if (!seen.add(licenseId)) {
      return filtered(DUPLICATE_IN_SNAPSHOT);
    }
    row =
        new LicenseRow(
            snapshotEpochDay, file, lineNumber, licenseId, customerId, company, number, email,
            stripeId, issued, expires);
    return Outcome.RECORD;
  }

  /** The column's text, trimmed; null when empty. */
  private String value(String[] f, int column) {
    String v = f[columnIndex[column]].trim();
    return v.isEmpty() ? null : v;
  }

  /** 0001-01-01T00:00:00Z: the first instant every sink can store. */
  static final long MIN_MILLIS = -62_135_596_800_000L;
  /** 9999-12-31T23:59:59.999Z: the last instant every sink can store. */
  static final long MAX_MILLIS = 253_402_300_799_999L;

  /**
   * Epoch milliseconds as an optionally negative integer between {@link #MIN_MILLIS} and {@link
   * #MAX_MILLIS} (years 0001-9999, what PostgreSQL, DuckDB and Snowflake timestamps all hold), or
   * {@link Long#MIN_VALUE}: absurd numbers (overflowing a long, or far outside those years) are
   * bad values, not wrapped ones.
   */
  static long millis(String s) {
    if (s == null || s.isEmpty()) {
      return Long.MIN_VALUE;
    }
    boolean negative = s.charAt(0) == '-';
    int i = negative ? 1 : 0;
    if (i == s.length()) {
      return Long.MIN_VALUE;
    }
    long v = 0;
    for (; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return Long.MIN_VALUE;
      }
      v = v * 10 + (c - '0');
      if (v > MAX_MILLIS) { // beyond both bounds (MAX_MILLIS > -MIN_MILLIS): stop before a long could overflow
        return Long.MIN_VALUE;
      }
    }
    v = negative ? -v : v;
    return v < MIN_MILLIS || v > MAX_MILLIS ? Long.MIN_VALUE : v;
  }

  private static int quotes(String s) {
    int n = 0;
    for (int i = s.indexOf('"'); i >= 0; i = s.indexOf('"', i + 1)) {
      n++;
    }
    return n;
  }

  private static String[] fields(String record) throws IOException {
    try (MappingIterator<String[]> it = ROWS.readValues(record)) {
      if (!it.hasNext()) {
        return new String[] {""};
      }
      String[] f = it.next();
      if (it.hasNext()) {
        throw new IOException("more than one record");
      }
      return f;
    }
  }

  private Outcome filtered(int reason) {
    filterReason = reason;
    return Outcome.FILTERED;
  }

  private Outcome dead(String reason) {
    deadReason = reason;
    return Outcome.DEAD;
  }

  @Override
  public LicenseRow record() {
    return row;
  }

  /** The start (00:00 UTC) of the snapshot's day. */
  @Override
  public long eventTimeMillis() {
    return row.snapshotEpochDay() * 86_400_000L;
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
   * The raw line with every e-mail-like token replaced by {@code email-hash:<keyed hash>}: a token
   * is a maximal run of characters other than white space and {@code ,;"<>()}, and it is e-mail-like
   * when it holds an {@code @} with at least one character on each side. One pass over the line
   * (the regular expression it replaces backtracked quadratically: a 160 KB run with an {@code @}
   * at one end took a minute, so a 10 MB line would have stalled the worker for days).
   */
  @Override
  public String redact(String rawLine) {
    if (redaction == null || rawLine == null || rawLine.indexOf('@') < 0) {
      return rawLine;
    }
    StringBuilder sb = null;
    int n = rawLine.length();
    int copied = 0;
    int i = 0;
    while (i < n) {
      if (isEmailSeparator(rawLine.charAt(i))) {
        i++;
        continue;
      }
      int start = i;
      boolean inner = false;
      while (i < n && !isEmailSeparator(rawLine.charAt(i))) {
        if (rawLine.charAt(i) == '@' && i > start && i + 1 < n && !isEmailSeparator(rawLine.charAt(i + 1))) {
          inner = true;
        }
        i++;
      }
      if (inner) {
        if (sb == null) {
          sb = new StringBuilder(n + 64);
        }
        sb.append(rawLine, copied, start).append("email-hash:").append(redaction.hash(rawLine.substring(start, i)));
        copied = i;
      }
    }
    if (sb == null) {
      return rawLine;
    }
    return sb.append(rawLine, copied, n).toString();
  }

  private static boolean isEmailSeparator(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\013' || c == '\f' || c == '\r' || c == ','
        || c == ';' || c == '"' || c == '<' || c == '>' || c == '(' || c == ')';
  }
}

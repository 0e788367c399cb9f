package dw.transforms.cloudfront;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The field layout of a CloudFront standard access-log file: which position (0-based, TAB-separated)
 * holds each {@link CloudFrontField} we read. Built from the file's {@code #Fields:} header line,
 * because older files have fewer fields (12 in 2011, later 23, 24, 26, 31, 33 today).
 *
 * <p>Immutable and {@link Serializable}. Build one per file (header lines are rare), reuse it for
 * every data line of that file with {@link CloudFrontLine#reset(String, CloudFrontLayout)}.
 *
 * <pre>{@code
 * CloudFrontLayout layout = CloudFrontLayout.STANDARD;      // a file without #Fields: header
 * if (CloudFrontLayout.isHeader(raw)) {
 *   if (CloudFrontLayout.isFieldsHeader(raw)) layout = CloudFrontLayout.fromFieldsHeader(raw);
 * }
 * }</pre>
 */
public final class CloudFrontLayout implements Serializable {
  private static final long serialVersionUID = 1L;

  private static final String FIELDS_PREFIX = "#Fields:";

  /** The 33 field names of today's standard log, in order (AWS standard-logs reference). */
  public static final List<String> STANDARD_FIELD_NAMES =
      List.of(
          "date", "time", "x-edge-location", "sc-bytes", "c-ip", "cs-method", "cs(Host)",
          "cs-uri-stem", "sc-status", "cs(Referer)", "cs(User-Agent)", "cs-uri-query", "cs(Cookie)",
          "x-edge-result-type", "x-edge-request-id", "x-host-header", "cs-protocol", "cs-bytes",
          "time-taken", "x-forwarded-for", "ssl-protocol", "ssl-cipher",
          "x-edge-response-result-type", "cs-protocol-version", "fle-status",
          "fle-encrypted-fields", "c-port", "time-to-first-byte", "x-edge-detailed-result-type",
          "sc-content-type", "sc-content-len", "sc-range-start", "sc-range-end");

  /** The 33-field layout of today's files; the caller uses it when a file has no header. */
  public static final CloudFrontLayout STANDARD = fromFieldNames(STANDARD_FIELD_NAMES);

  private final List<String> fieldNames;
  /** Position of each {@link CloudFrontField} by ordinal; -1 when absent. */
  private final int[] positions;
  /** Highest position of any {@link CloudFrontField} present; a line needs this many fields + 1. */
  private final int lastIndex;

  private CloudFrontLayout(List<String> fieldNames, int[] positions) {
    this.fieldNames = fieldNames;
    this.positions = positions;
    int last = -1;
    for (int p : positions) {
      last = Math.max(last, p);
    }
    this.lastIndex = last;
  }

  /** True for header/comment lines: every line that starts with {@code '#'}. */
  public static boolean isHeader(CharSequence line) {
    return line != null && line.length() > 0 && line.charAt(0) == '#';
  }

  /** True for a {@code #Fields:} header line (prefix matched ASCII case-insensitively). */
  public static boolean isFieldsHeader(CharSequence line) {
    if (line == null || line.length() < FIELDS_PREFIX.length()) {
      return false;
    }
    for (int i = 0; i < FIELDS_PREFIX.length(); i++) {
      if (Character.toLowerCase(line.charAt(i)) != Character.toLowerCase(FIELDS_PREFIX.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Parses a {@code #Fields:} header. Field names are separated by any run of spaces or tabs;
   * leading and trailing whitespace (including a trailing {@code \r}) is ignored. Names are matched
   * ASCII case-insensitively; unknown names are kept (they occupy a position) but not mapped.
   *
   * @throws IllegalArgumentException if the line is not a {@code #Fields:} line, names a field we
   *     map twice, or lacks one of the required fields (date, time, c-ip, cs-method, cs-uri-stem,
   *     cs(User-Agent), cs-uri-query)
   */
  public static CloudFrontLayout fromFieldsHeader(String line) {
    if (!isFieldsHeader(line)) {
      throw new IllegalArgumentException(
          "not a CloudFront #Fields: header line: '" + abbreviate(line) + "'");
    }
    List<String> names = new ArrayList<>(40);
    int i = FIELDS_PREFIX.length();
    int n = line.length();
    while (i < n) {
      while (i < n && isHeaderSpace(line.charAt(i))) {
        i++;
      }
      int start = i;
      while (i < n && !isHeaderSpace(line.charAt(i))) {
        i++;
      }
      if (i > start) {
        names.add(line.substring(start, i));
      }
    }
    return fromFieldNames(names, line);
  }

  /**
   * A layout from a list of field names (as in a {@code #Fields:} header, without the prefix).
   *
   * @throws IllegalArgumentException on a duplicate mapped field or a missing required one
   */
  public static CloudFrontLayout fromFieldNames(List<String> names) {
    return fromFieldNames(names, String.join(" ", names));
  }

  private static CloudFrontLayout fromFieldNames(List<String> names, String source) {
    int[] positions = new int[CloudFrontField.VALUES.length];
    Arrays.fill(positions, -1);
    for (int i = 0; i < names.size(); i++) {
      CloudFrontField f = CloudFrontField.byHeaderName(names.get(i));
      if (f == null) {
        continue;
      }
      if (positions[f.ordinal()] >= 0) {
        throw new IllegalArgumentException(
            "CloudFront #Fields: header names '" + f.headerName() + "' twice: '"
                + abbreviate(source) + "'");
      }
      positions[f.ordinal()] = i;
    }
    List<String> missing = new ArrayList<>();
    for (CloudFrontField f : CloudFrontField.VALUES) {
      if (f.required() && positions[f.ordinal()] < 0) {
        missing.add(f.headerName());
      }
    }
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException(
          "CloudFront #Fields: header lacks required field(s) " + missing + ": '"
              + abbreviate(source) + "'");
    }
    return new CloudFrontLayout(Collections.unmodifiableList(new ArrayList<>(names)), positions);
  }

  private static boolean isHeaderSpace(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
  }

  private static String abbreviate(String s) {
    if (s == null) {
      return "null";
    }
    return s.length() <= 200 ? s : s.substring(0, 200) + "...";
  }

  /** Position (0-based) of {@code field}, or -1 if this layout does not have it. */
  public int index(CloudFrontField field) {
    return positions[field.ordinal()];
  }

  /** Whether this layout has {@code field}. */
  public boolean has(CloudFrontField field) {
    return positions[field.ordinal()] >= 0;
  }

  /** Number of fields named in the header. */
  public int fieldCount() {
    return fieldNames.size();
  }

  /** All field names of the header, in order (unmodifiable). */
  public List<String> fieldNames() {
    return fieldNames;
  }

  /**
   * Fields a data line must have to be read: one more than the highest position of any
   * {@link CloudFrontField} present in this layout. Fields after that are never inspected, so a
   * stray trailing tab, extra trailing fields, or a tail cut short after it do not matter.
   */
  public int requiredFieldCount() {
    return lastIndex + 1;
  }

  int lastIndex() {
    return lastIndex;
  }

  int[] positions() {
    return positions;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CloudFrontLayout && fieldNames.equals(((CloudFrontLayout) o).fieldNames);
  }

  @Override
  public int hashCode() {
    return fieldNames.hashCode();
  }

  @Override
  public String toString() {
    return "CloudFrontLayout" + fieldNames;
  }

  /**
   * A file's current layout, as its header lines set it: {@link #STANDARD} until a {@code #Fields}
   * header; after a {@code #Fields} header that cannot be read, the positions of the lines under it
   * are unknown, so they are {@link Kind#UNDER_BAD_HEADER} (dead letters, never read with a stale
   * layout) until the next good one. One per parser; not thread-safe.
   */
  public static final class Tracker {
    /** What a line is to the parser. */
    public enum Kind {
      /** A header line ({@code #Version}, a good {@code #Fields}, any other {@code #} line). */
      HEADER,
      /** A {@code #Fields} header that cannot be read. */
      BAD_HEADER,
      /** A data line under a bad {@code #Fields} header. */
      UNDER_BAD_HEADER,
      /** A data line, to be read with {@link #layout()}. */
      DATA
    }

    private CloudFrontLayout layout = STANDARD;
    private boolean bad;

    /** A new file: no header seen yet. */
    public void startFile() {
      layout = STANDARD;
      bad = false;
    }

    /** Takes a line; a header line changes the layout of the lines after it. */
    public Kind accept(String raw) {
      if (!isHeader(raw)) {
        return bad ? Kind.UNDER_BAD_HEADER : Kind.DATA;
      }
      if (isFieldsHeader(raw)) {
        try {
          layout = fromFieldsHeader(raw);
          bad = false;
        } catch (IllegalArgumentException e) {
          bad = true;
          return Kind.BAD_HEADER;
        }
      }
      return Kind.HEADER;
    }

    /** The layout of the last good {@code #Fields} header ({@link #STANDARD} before one). */
    public CloudFrontLayout layout() {
      return layout;
    }
  }
}

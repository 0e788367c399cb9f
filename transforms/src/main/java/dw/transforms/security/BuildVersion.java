package dw.transforms.security;

import java.util.Objects;

/**
 * The version carried in the ping's {@code b} parameter ({@code <version>.<build number>}), derived
 * exactly like the original warehouse model ({@code stg_diagnostics__log_entries.sql}).
 *
 * <ul>
 *   <li>{@link #versionFull()}: {@code split_part(b,'.',1)||'.'||split_part(b,'.',2)||'.'||
 *       split_part(b,'.',3)}. {@code split_part} yields an empty string for a missing part, so
 *       {@code "9.5"} gives {@code "9.5."} and {@code "9"} gives {@code "9.."}, as in the SQL.
 *       <b>Deviation:</b> for a null or empty {@code b} this is null (the SQL gives null for null and
 *       {@code ".."} for empty).
 *   <li>{@link #major()}, {@link #minor()}, {@link #patch()}: {@code try_to_decimal} of parts 1, 2, 3:
 *       the integer value of an optionally signed run of ASCII digits, otherwise null (also null
 *       when the part is missing, empty, or does not fit an int).
 *   <li>{@link #isCustomBuild()}: true unless {@code b} matches one of the accepted formats, each
 *       {@code x}, {@code y}, {@code z} being 1-2 ASCII digits: {@code x.y.z.x.y.z} (six parts, e.g.
 *       {@code 9.5.3.9.5.3}), {@code x.y.z} ({@code 10.5.1}), {@code x.y.z.cloud-YYYY-MM-DD-N} (N one
 *       or more digits) and {@code x.y.z.<10 or more digits>}. Null or empty {@code b} is custom.
 *       Matched by hand, no regex. The legacy model's extra {@code cloud.}/{@code ee_live} forms are
 *       not accepted (the current model dropped them).
 * </ul>
 *
 * <p>The static helpers compute one item without creating a {@code BuildVersion}; the classifier's
 * per-line path uses them.
 */
public final class BuildVersion {
  private final String build;
  private final String versionFull;
  private final Integer major;
  private final Integer minor;
  private final Integer patch;
  private final boolean customBuild;

  private BuildVersion(String build) {
    this.build = build;
    this.versionFull = versionFull(build);
    this.major = numericPart(build, 1);
    this.minor = numericPart(build, 2);
    this.patch = numericPart(build, 3);
    this.customBuild = isCustomBuild(build);
  }

  /** Parses {@code b} (may be null or empty). */
  public static BuildVersion of(String b) {
    return new BuildVersion(b);
  }

  /** The raw {@code b} value. */
  public String build() {
    return build;
  }

  /** First three dot-separated parts joined by '.', or null for null/empty {@code b}. */
  public String versionFull() {
    return versionFull;
  }

  public Integer major() {
    return major;
  }

  public Integer minor() {
    return minor;
  }

  public Integer patch() {
    return patch;
  }

  /** {@code "<major>.<minor>"} (e.g. {@code "9.5"}), or null if either is null. */
  public String versionMajorMinor() {
    return majorMinor(major, minor);
  }

  /** Whether {@code b} matches none of the accepted build formats. */
  public boolean isCustomBuild() {
    return customBuild;
  }

  // ------------------------------------------------------------------ static helpers

  /** {@code "<major>.<minor>"}, or null if either is null. */
  public static String majorMinor(Integer major, Integer minor) {
    if (major == null || minor == null) {
      return null;
    }
    int a = major;
    int b = minor;
    if (a < 0 || b < 0 || a >= MAJOR_MINOR.length || b >= MAJOR_MINOR[0].length) {
      return a + "." + b;
    }
    String s = MAJOR_MINOR[a][b];
    if (s == null) {
      s = a + "." + b;
      MAJOR_MINOR[a][b] = s; // racy but idempotent: a String is safe to share
    }
    return s;
  }

  /** The usual "major.minor" strings, made once (the daily totals ask per server-day). */
  private static final String[][] MAJOR_MINOR = new String[64][128];

  /**
   * {@code split_part(b,'.',1)||'.'||split_part(b,'.',2)||'.'||split_part(b,'.',3)}; null for null
   * or empty {@code b}. Returns {@code b} itself when it has exactly three parts.
   */
  public static String versionFull(String b) {
    if (b == null || b.isEmpty()) {
      return null;
    }
    int dots = 0;
    for (int i = 0; i < b.length(); i++) {
      if (b.charAt(i) == '.') {
        dots++;
        if (dots == 3) {
          return b.substring(0, i);
        }
      }
    }
    switch (dots) {
      case 2:
        return b;
      case 1:
        return b + ".";
      default:
        return b + "..";
    }
  }

  /**
   * {@code try_to_decimal(split_part(b,'.',n))} as an Integer: null when the part is missing, empty,
   * not an optionally signed run of ASCII digits, or outside the int range.
   */
  public static Integer numericPart(String b, int n) {
    if (b == null || n < 1) {
      return null;
    }
    int start = 0;
    for (int k = 1; k < n; k++) {
      int dot = b.indexOf('.', start);
      if (dot < 0) {
        return null;
      }
      start = dot + 1;
    }
    int end = b.indexOf('.', start);
    if (end < 0) {
      end = b.length();
    }
    int i = start;
    boolean negative = false;
    if (i < end && (b.charAt(i) == '+' || b.charAt(i) == '-')) {
      negative = b.charAt(i) == '-';
      i++;
    }
    if (i == end) {
      return null;
    }
    long v = 0;
    for (; i < end; i++) {
      char c = b.charAt(i);
      if (c < '0' || c > '9') {
        return null;
      }
      v = v * 10 + (c - '0');
      if (v > (long) Integer.MAX_VALUE + 1) {
        return null;
      }
    }
    v = negative ? -v : v;
    if (v > Integer.MAX_VALUE || v < Integer.MIN_VALUE) {
      return null;
    }
    return Integer.valueOf((int) v);
  }

  /** Whether {@code b} matches none of the four accepted build formats (see class doc). */
  public static boolean isCustomBuild(String b) {
    if (b == null || b.isEmpty()) {
      return true;
    }
    int n = b.length();
    int i = shortParts(b, 0, n);
    if (i < 0) {
      return true;
    }
    if (i == n) {
      return false; // x.y.z
    }
    if (b.charAt(i) != '.') {
      return true;
    }
    i++;
    if (b.startsWith("cloud-", i)) {
      return !isCloudSuffix(b, i + 6, n);
    }
    int digitsEnd = skipDigits(b, i, n);
    if (digitsEnd == n && n - i >= 10) {
      return false; // x.y.z.<10+ digits>
    }
    return shortParts(b, i, n) != n; // x.y.z.x.y.z
  }

  /**
   * Matches three dot-separated parts of 1-2 digits starting at {@code i}; returns the index after
   * the third part, or -1.
   */
  private static int shortParts(String b, int i, int n) {
    for (int part = 0; part < 3; part++) {
      int j = skipDigits(b, i, n);
      int len = j - i;
      if (len < 1 || len > 2) {
        return -1;
      }
      i = j;
      if (part < 2) {
        if (i >= n || b.charAt(i) != '.') {
          return -1;
        }
        i++;
      }
    }
    return i;
  }

  /** {@code YYYY-MM-DD-N+} exactly up to {@code n}. */
  private static boolean isCloudSuffix(String b, int i, int n) {
    i = exactDigits(b, i, n, 4);
    i = expect(b, i, n, '-');
    i = exactDigits(b, i, n, 2);
    i = expect(b, i, n, '-');
    i = exactDigits(b, i, n, 2);
    i = expect(b, i, n, '-');
    if (i < 0) {
      return false;
    }
    int j = skipDigits(b, i, n);
    return j > i && j == n;
  }

  private static int exactDigits(String b, int i, int n, int count) {
    if (i < 0) {
      return -1;
    }
    int j = skipDigits(b, i, n);
    return j - i == count ? j : -1;
  }

  private static int expect(String b, int i, int n, char c) {
    return i >= 0 && i < n && b.charAt(i) == c ? i + 1 : -1;
  }

  private static int skipDigits(String b, int i, int n) {
    while (i < n) {
      char c = b.charAt(i);
      if (c < '0' || c > '9') {
        break;
      }
      i++;
    }
    return i;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BuildVersion && Objects.equals(build, ((BuildVersion) o).build);
  }

  @Override
  public int hashCode() {
    return Objects.hashCode(build);
  }

  @Override
  public String toString() {
    return "BuildVersion{b=" + build + ", versionFull=" + versionFull + ", major=" + major
        + ", minor=" + minor + ", patch=" + patch + ", custom=" + customBuild + "}";
  }
}

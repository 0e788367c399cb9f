package dw.transforms.releases;

/**
 * What a download-CDN URI says about the release (domain.md §3, original-system.md §3): the
 * download type, the operating system and the version, by the original warehouse's rules
 * ({@code stg_releases__log_entries.sql}), hand-written without regular expressions.
 *
 * <ul>
 *   <li>Server archive: the URI starts {@code /<major>.<minor>.<patch>/}; type {@value #TEAM} when
 *       the URI contains {@code team}, else {@value #ENTERPRISE}. Version = the first path segment.
 *   <li>Desktop app: the URI starts {@code /desktop/<major>.<minor>.<patch>/}; type {@value
 *       #DESKTOP}. Version = the second path segment.
 *   <li>OS of a desktop app: {@code linux} if the URI contains {@code linux}; else {@code windows}
 *       if it ends with {@code msi}, contains {@code win} followed by two digits, contains {@code
 *       -win-}, or ends with {@code -win.} and three letters a–z; else {@code mac} if it ends with
 *       {@code mac.} and three letters, or contains {@code -osx.}; else {@value #UNKNOWN}.
 *   <li>OS of a server archive: {@code linux} if the URI contains {@code linux}; else {@code
 *       windows} if it contains {@code -windows-}; else {@value #UNKNOWN}.
 * </ul>
 *
 * <p><b>The one deliberate difference:</b> the original's patterns were {@code
 * ^/[1-9]{1,3}[.][0-9]{1,3}[.][0-9]{1,3}/.*}, so a major version had to consist of the digits 1–9
 * only, and every major containing a 0 (10.x, 20.x, 100.x) was not a download at all: all 10.x
 * downloads were lost. Here a major version is 1–3 digits not starting with 0 ({@code [1-9][0-9]{0,2}});
 * minor and patch stay 1–3 digits (a leading 0 allowed, as before). The original's null OS is
 * {@value #UNKNOWN} here.
 *
 * <p>The URI is the raw {@code cs-uri-stem}, matched case-sensitively as Snowflake's {@code
 * contains}/{@code rlike} did. Stateless and thread-safe.
 */
public final class ReleaseUri {
  public static final String TEAM = "team";
  public static final String ENTERPRISE = "enterprise";
  public static final String DESKTOP = "desktop";
  public static final String LINUX = "linux";
  public static final String WINDOWS = "windows";
  public static final String MAC = "mac";
  public static final String UNKNOWN = "unknown";

  private static final String DESKTOP_PREFIX = "/desktop/";

  private final String downloadType;
  private final String operatingSystem;
  private final String version;
  private final int major;
  private final int minor;
  private final int patch;

  private ReleaseUri(String type, String os, String version, int major, int minor, int patch) {
    this.downloadType = type;
    this.operatingSystem = os;
    this.version = version;
    this.major = major;
    this.minor = minor;
    this.patch = patch;
  }

  /** The release a URI names, or null when it has no version (not a release download). */
  public static ReleaseUri parse(String uri) {
    if (uri == null || uri.isEmpty() || uri.charAt(0) != '/') {
      return null;
    }
    boolean desktop = uri.startsWith(DESKTOP_PREFIX);
    int start = desktop ? DESKTOP_PREFIX.length() : 1;
    int[] parts = new int[3];
    int end = version(uri, start, parts);
    if (end < 0) {
      return null;
    }
    String version = uri.substring(start, end);
    String type;
    String os;
    if (desktop) {
      type = DESKTOP;
      os = desktopOs(uri);
    } else {
      type = uri.contains("team") ? TEAM : ENTERPRISE;
      os = uri.contains("linux") ? LINUX : uri.contains("-windows-") ? WINDOWS : UNKNOWN;
    }
    return new ReleaseUri(type, os, version, parts[0], parts[1], parts[2]);
  }

  /**
   * Reads {@code <major>.<minor>.<patch>/} at {@code from}: major 1–3 digits not starting with 0,
   * minor and patch 1–3 digits; the slash must follow. Returns the index of the slash, or -1.
   */
  private static int version(String s, int from, int[] out) {
    int i = from;
    for (int part = 0; part < 3; part++) {
      int digits = 0;
      int value = 0;
      while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
        if (digits == 0 && part == 0 && s.charAt(i) == '0') {
          return -1;
        }
        value = value * 10 + (s.charAt(i) - '0');
        digits++;
        i++;
        if (digits > 3) {
          return -1;
        }
      }
      if (digits == 0) {
        return -1;
      }
      out[part] = value;
      char expected = part < 2 ? '.' : '/';
      if (i >= s.length() || s.charAt(i) != expected) {
        return -1;
      }
      if (part < 2) {
        i++;
      }
    }
    return i;
  }

  private static String desktopOs(String uri) {
    if (uri.contains("linux")) {
      return LINUX;
    }
    if (uri.endsWith("msi") || containsWinTwoDigits(uri) || uri.contains("-win-")
        || endsWithDotThreeLetters(uri, "-win")) {
      return WINDOWS;
    }
    if (endsWithDotThreeLetters(uri, "mac") || uri.contains("-osx.")) {
      return MAC;
    }
    return UNKNOWN;
  }

  /** {@code .*win[0-9]{2}.*} */
  private static boolean containsWinTwoDigits(String s) {
    int i = s.indexOf("win");
    while (i >= 0) {
      if (i + 4 < s.length() && isDigit(s.charAt(i + 3)) && isDigit(s.charAt(i + 4))) {
        return true;
      }
      i = s.indexOf("win", i + 1);
    }
    return false;
  }

  /** {@code .*<stem>\.[a-z]{3}$} */
  private static boolean endsWithDotThreeLetters(String s, String stem) {
    int n = s.length();
    int dot = n - 4;
    if (dot - stem.length() < 0 || s.charAt(dot) != '.') {
      return false;
    }
    for (int i = dot + 1; i < n; i++) {
      char c = s.charAt(i);
      if (c < 'a' || c > 'z') {
        return false;
      }
    }
    return s.startsWith(stem, dot - stem.length());
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /** {@value #TEAM}, {@value #ENTERPRISE} or {@value #DESKTOP}. */
  public String downloadType() {
    return downloadType;
  }

  /** {@value #LINUX}, {@value #WINDOWS}, {@value #MAC} or {@value #UNKNOWN}. */
  public String operatingSystem() {
    return operatingSystem;
  }

  /** The version as written in the URI, e.g. {@code 9.7.1} or {@code 10.11.0}. */
  public String version() {
    return version;
  }

  public int major() {
    return major;
  }

  public int minor() {
    return minor;
  }

  public int patch() {
    return patch;
  }

  @Override
  public String toString() {
    return downloadType + "/" + operatingSystem + "/" + version;
  }
}

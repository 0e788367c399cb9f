package dw.transforms.releases;

import java.util.Locale;

/** The host of a {@code cs(Referer)} value (the original's {@code server_source}). */
public final class ReferrerHost {
  private ReferrerHost() {}

  /**
   * The lower-cased host of an absolute URL ({@code https://user@Docs.Example.com:443/x?y} gives
   * {@code docs.example.com}; a bracketed IPv6 host keeps its brackets), or null for null, {@code
   * -}, empty, or text with no {@code scheme://host}.
   */
  public static String of(String referer) {
    if (referer == null || referer.isEmpty() || referer.equals("-")) {
      return null;
    }
    int scheme = referer.indexOf("://");
    if (scheme <= 0) {
      return null;
    }
    for (int i = 0; i < scheme; i++) {
      char c = referer.charAt(i);
      if (!(Character.isLetterOrDigit(c) || c == '+' || c == '-' || c == '.')) {
        return null;
      }
    }
    int start = scheme + 3;
    int end = referer.length();
    for (int i = start; i < referer.length(); i++) {
      char c = referer.charAt(i);
      if (c == '/' || c == '?' || c == '#') {
        end = i;
        break;
      }
    }
    String authority = referer.substring(start, end);
    int at = authority.lastIndexOf('@');
    if (at >= 0) {
      authority = authority.substring(at + 1);
    }
    String host;
    if (authority.startsWith("[")) {
      int close = authority.indexOf(']');
      host = close < 0 ? authority : authority.substring(0, close + 1);
    } else {
      int colon = authority.indexOf(':');
      host = colon < 0 ? authority : authority.substring(0, colon);
    }
    return host.isEmpty() ? null : host.toLowerCase(Locale.ROOT);
  }
}

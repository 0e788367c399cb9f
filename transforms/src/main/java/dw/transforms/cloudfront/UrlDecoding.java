package dw.transforms.cloudfront;

import java.nio.charset.StandardCharsets;

/**
 * Percent-decoding for CloudFront log fields and query components. No regex; the common case
 * (nothing to decode) returns the input (or a plain substring) without further work.
 *
 * <p>Common rules for every method here:
 *
 * <ul>
 *   <li>{@code %XX} with two ASCII hex digits (either case) is the byte {@code 0xXX}; consecutive
 *       bytes and literal ASCII characters are decoded together as UTF-8, and malformed UTF-8 becomes
 *       U+FFFD (like Python's {@code unquote(..., errors='replace')}).
 *   <li>An invalid sequence ({@code %} not followed by two hex digits, e.g. {@code 100%}, {@code %zz},
 *       {@code %4}) is kept literally.
 *   <li>Literal non-ASCII characters are kept as they are.
 * </ul>
 */
public final class UrlDecoding {
  private UrlDecoding() {}

  /**
   * Decodes a CloudFront log field for display (user agent, URI stem, referer).
   *
   * <p><b>Double-encoding rule: decode at most twice.</b> CloudFront URL-encodes field values once
   * when it writes the log, escaping {@code %} itself as {@code %25}. A value that was already
   * percent-encoded when it reached CloudFront (some clients and fields) therefore arrives
   * double-encoded: a space shows up as {@code %2520}. The original warehouse undid exactly that
   * with {@code replace(replace(useragent,'%2520',' '),'%20',' ')}. Here the rule is general: a
   * {@code %25} immediately followed by two hex digits {@code XY} is the double-encoded byte
   * {@code 0xXY} ({@code %2520} to {@code %20} to a space), every other valid {@code %XX} is
   * decoded once, and nothing is decoded a third time ({@code %252520} gives {@code %20}). This is
   * the same as decoding twice where the second pass only touches {@code %XX} sequences produced by
   * the first pass from {@code %25}. {@code +} is left alone (CloudFront does not use it for spaces).
   *
   * @return the decoded text; the same String instance when it contains no {@code '%'}; null for
   *     null
   */
  public static String decode(String s) {
    if (s == null || s.indexOf('%') < 0) {
      return s;
    }
    return decode(s, 0, s.length(), false, true);
  }

  /**
   * Decodes once, like Python's {@code urllib.parse.unquote}: every valid {@code %XX} once,
   * {@code +} kept. Returns the same instance when there is no {@code '%'}.
   */
  public static String decodeOnce(String s) {
    if (s == null || s.indexOf('%') < 0) {
      return s;
    }
    return decode(s, 0, s.length(), false, false);
  }

  /**
   * Decodes {@code s[start, end)} as one query-string key or value, exactly like Python's {@code
   * parse_qs} does for each name and value: {@code +} becomes a space, then one {@code unquote}
   * pass ({@code %2B} gives a literal {@code +}, {@code %2520} gives {@code %20}).
   *
   * @return the decoded text; a plain substring (or {@code s} itself for the whole range) when the
   *     range has neither {@code '%'} nor {@code '+'}
   */
  public static String decodeQueryComponent(String s, int start, int end) {
    if (!needsQueryDecoding(s, start, end)) {
      return (start == 0 && end == s.length()) ? s : s.substring(start, end);
    }
    return decode(s, start, end, true, false);
  }

  /** Whether {@code s[start, end)} has a {@code '%'} or {@code '+'} (i.e. query decoding changes it). */
  public static boolean needsQueryDecoding(String s, int start, int end) {
    for (int i = start; i < end; i++) {
      char c = s.charAt(i);
      if (c == '%' || c == '+') {
        return true;
      }
    }
    return false;
  }

  /** Value of an ASCII hex digit, or -1. */
  static int hex(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }

  private static String decode(
      String s, int start, int end, boolean plusAsSpace, boolean collapseDoubleEncoding) {
    StringBuilder out = new StringBuilder(end - start);
    byte[] buf = new byte[end - start];
    int n = 0;
    int i = start;
    while (i < end) {
      char c = s.charAt(i);
      if (c == '%' && i + 2 < end) {
        int hi = hex(s.charAt(i + 1));
        int lo = hex(s.charAt(i + 2));
        if (hi >= 0 && lo >= 0) {
          int b = (hi << 4) | lo;
          int consumed = 3;
          if (collapseDoubleEncoding && b == 0x25 && i + 4 < end) {
            int hi2 = hex(s.charAt(i + 3));
            int lo2 = hex(s.charAt(i + 4));
            if (hi2 >= 0 && lo2 >= 0) {
              b = (hi2 << 4) | lo2;
              consumed = 5;
            }
          }
          buf[n++] = (byte) b;
          i += consumed;
          continue;
        }
      }
      if (c < 0x80) {
        buf[n++] = (byte) (plusAsSpace && c == '+' ? ' ' : c);
      } else {
        n = flush(buf, n, out);
        out.append(c);
      }
      i++;
    }
    flush(buf, n, out);
    return out.toString();
  }

  private static int flush(byte[] buf, int n, StringBuilder out) {
    if (n > 0) {
      out.append(new String(buf, 0, n, StandardCharsets.UTF_8));
    }
    return 0;
  }
}

package dw.transforms.push;

import dw.geo.IpAddresses;

/**
 * What a push-proxy dead letter keeps of its raw line: every public IP address (IPv4 or IPv6, bare,
 * bracketed or with {@code :port}) replaced by {@value #MASK}, ports and everything else kept, so an
 * operator can still see why the line failed without the warehouse storing client addresses. Private
 * and other non-public addresses (targets such as {@code 10.0.1.17:8066}) stay. A pure function of
 * the line.
 */
public final class PushRedaction {
  public static final String MASK = "<ip>";

  private PushRedaction() {}

  public static String redact(String raw) {
    if (raw == null || raw.isEmpty()) {
      return raw;
    }
    StringBuilder out = null;
    int n = raw.length();
    int i = 0;
    while (i < n) {
      int s = i;
      while (s < n && isSeparator(raw.charAt(s))) {
        s++;
      }
      int e = s;
      while (e < n && !isSeparator(raw.charAt(e))) {
        e++;
      }
      if (e > s) {
        int[] ip = ipSpan(raw, s, e);
        if (ip != null) {
          if (out == null) {
            out = new StringBuilder(n);
            out.append(raw, 0, s);
          } else {
            out.append(raw, i, s);
          }
          out.append(raw, s, ip[0]).append(MASK).append(raw, ip[1], e);
          i = e;
          continue;
        }
      }
      if (out != null) {
        out.append(raw, i, e);
      }
      i = e;
    }
    return out == null ? raw : out.toString();
  }

  private static boolean isSeparator(char c) {
    return c == ' ' || c == '"' || c == '\t' || c == ',';
  }

  /** The span of a public IP literal in token [s, e) (without brackets and port), or null. */
  private static int[] ipSpan(String raw, int s, int e) {
    if (raw.charAt(s) == '[') {
      int close = raw.indexOf(']', s);
      if (close > s && close < e) {
        return isPublic(raw.substring(s + 1, close)) ? new int[] {s + 1, close} : null;
      }
      return null;
    }
    String token = raw.substring(s, e);
    if (isPublic(token)) {
      return new int[] {s, e};
    }
    int colon = token.lastIndexOf(':');
    if (colon > 0 && colon < token.length() - 1 && allDigits(token, colon + 1)
        && isPublic(token.substring(0, colon))) {
      return new int[] {s, s + colon};
    }
    return null;
  }

  private static boolean allDigits(String t, int from) {
    for (int i = from; i < t.length(); i++) {
      if (!Character.isDigit(t.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  private static boolean isPublic(String text) {
    if (text.length() < 2 || !IpAddresses.isLiteral(text)) {
      return false;
    }
    byte[] a = IpAddresses.parse(text);
    return a != null && !IpAddresses.isNonPublic(a);
  }
}

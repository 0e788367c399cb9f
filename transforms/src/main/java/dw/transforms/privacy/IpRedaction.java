package dw.transforms.privacy;

import dw.geo.IpAddresses;

/**
 * Replaces client addresses in raw log text by their keyed hash ({@link ClientIpPolicy#hash}, the
 * same value as {@code client_ip_hash}), so a dead letter keeps its line for debugging without the
 * address. Pure functions over a {@code String}, format-neutral: a format finds its address fields
 * and calls {@link #redactFields}; when it cannot (a line too broken to find them, a header, an
 * error message) it calls {@link #redactAddresses}, which replaces every token that parses as an
 * address. Both return their input unchanged under {@code --storeClientIpInClear}.
 *
 * <p>Allocation: nothing when there is nothing to replace (the input is returned); otherwise one
 * {@link StringBuilder} and the result. A token is only parsed when it consists of the characters of
 * an address and holds a {@code .} or {@code :}.
 *
 * <p>What {@link #redactAddresses} treats as an address (conservative: better a hashed version
 * number in a broken line than a clear address): every maximal run of {@code [0-9A-Fa-f.:]} that is
 * an IPv4 or IPv6 literal ({@link IpAddresses#parse}: {@code 192.0.2.1}, {@code 2001:db8::1}, {@code
 * ::ffff:192.0.2.1}), also with leading or trailing {@code .}/{@code :} punctuation; inside a run
 * that is not one, an IPv6 address followed by {@code :port} without brackets ({@code
 * 2001:db8:0:0:0:0:0:1:443}, the port kept), else every dotted quad ({@code 192.0.2.1:443}, {@code
 * ffff:192.0.2.1}); a URL escape
 * {@code %XX} separates runs ({@code ,%20192.0.2.1}). Not recognised: addresses written with URL-
 * escaped colons or with leading zeros, and IPv6 addresses glued to hex letters.
 */
public final class IpRedaction {
  private IpRedaction() {}

  /**
   * {@code line} with every address replaced by its hash (see the class comment); {@code line}
   * itself when it holds none or the policy keeps addresses in clear.
   */
  public static String redactAddresses(String line, ClientIpPolicy ips) {
    if (line == null || ips.storesInClear()) {
      return line;
    }
    StringBuilder out = scan(line, 0, line.length(), ips, null);
    return out == null ? line : out.toString();
  }

  /**
   * {@code line} with its address field {@code [from, to)} replaced by the field's hash and every
   * address inside the optional list field {@code [listFrom, listTo)} (e.g. {@code
   * x-forwarded-for}; {@code listFrom < 0} for none) replaced as by {@link #redactAddresses}.
   *
   * <p>The address field may be an address ({@code 192.0.2.1}, {@code 2001:db8::1}), an address
   * with a port ({@code 192.0.2.1:5123}, {@code [2001:db8::1]:5123}; the port stays), or empty /
   * {@code -} (kept). Any other value means the caller's field positions are wrong: then the whole
   * line is redacted as by {@link #redactAddresses}.
   *
   * @return the redacted line; {@code line} itself when nothing was replaced or the policy keeps
   *     addresses in clear
   */
  public static String redactFields(
      String line, ClientIpPolicy ips, int from, int to, int listFrom, int listTo) {
    if (line == null || ips.storesInClear()) {
      return line;
    }
    if (from < 0 || to > line.length() || from > to || (listFrom >= 0 && (listTo > line.length() || listFrom > listTo))) {
      return redactAddresses(line, ips);
    }
    int[] host = hostOf(line, from, to);
    if (host == null) {
      return redactAddresses(line, ips);
    }
    boolean hasList = listFrom >= 0 && listFrom < listTo;
    if (host[0] == host[1] && !hasList) {
      return line; // "-" or empty, nothing else to look at
    }
    StringBuilder out = new StringBuilder(line.length() + IpPseudonymizer.HASH_HEX_LENGTH);
    // the two spans in line order (they never overlap: they are different fields)
    boolean addressFirst = !hasList || from < listFrom;
    int aFrom = addressFirst ? from : listFrom;
    int bFrom = addressFirst ? listFrom : from;
    int aTo = addressFirst ? to : listTo;
    int bTo = addressFirst ? listTo : to;
    out.append(line, 0, aFrom);
    appendSpan(line, aFrom, aTo, addressFirst, host, ips, out);
    if (hasList || !addressFirst) {
      out.append(line, aTo, bFrom);
      appendSpan(line, bFrom, bTo, !addressFirst, host, ips, out);
      out.append(line, bTo, line.length());
    } else {
      out.append(line, aTo, line.length());
    }
    return out.toString();
  }

  private static void appendSpan(
      String line, int from, int to, boolean isAddress, int[] host, ClientIpPolicy ips, StringBuilder out) {
    if (isAddress) {
      if (host[0] == host[1]) {
        out.append(line, from, to);
        return;
      }
      out.append(line, from, host[0]);
      out.append(ips.hash(line.substring(host[0], host[1])));
      out.append(line, host[1], to);
    } else if (scan(line, from, to, ips, out) == null) {
      out.append(line, from, to);
    }
  }

  /**
   * Where the address is in an address field: {@code {start, end}}; an empty range for {@code -}
   * or an empty field; null when the field is no address.
   */
  static int[] hostOf(String s, int from, int to) {
    if (from == to || (to - from == 1 && s.charAt(from) == '-')) {
      return new int[] {from, from};
    }
    if (isAddress(s, from, to)) {
      return new int[] {from, to};
    }
    if (s.charAt(from) == '[') { // [v6]:port
      int close = s.indexOf(']', from);
      if (close > from && close < to && isAddress(s, from + 1, close) && isPort(s, close + 1, to)) {
        return new int[] {from + 1, close};
      }
      return null;
    }
    int colon = s.lastIndexOf(':', to - 1);
    if (colon > from && isPort(s, colon, to) && isAddress(s, from, colon)) {
      return new int[] {from, colon}; // v4:port, or v6:port without brackets (an ALB's client:port)
    }
    return null;
  }

  /** {@code :<1..5 digits>} exactly. */
  private static boolean isPort(String s, int from, int to) {
    if (to - from < 2 || to - from > 6 || s.charAt(from) != ':') {
      return false;
    }
    for (int i = from + 1; i < to; i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  private static boolean isAddress(String s, int from, int to) {
    return to - from >= 2 && to - from <= 45 && IpAddresses.parse(s.substring(from, to)) != null;
  }

  private static boolean isAddressChar(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == '.' || c == ':';
  }

  private static boolean isHex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  /**
   * Appends {@code s[from, to)} to {@code out} with addresses replaced, and returns {@code out};
   * returns null, appending nothing, when the span holds no address. {@code out} may be null (for
   * {@code from == 0}): it is created on the first replacement.
   */
  private static StringBuilder scan(String s, int from, int to, ClientIpPolicy ips, StringBuilder out) {
    boolean replaced = false;
    int i = from;
    int pending = from; // s[pending, i) not yet copied to out
    while (i < to) {
      char c = s.charAt(i);
      if (c == '%' && i + 2 < to && isHex(s.charAt(i + 1)) && isHex(s.charAt(i + 2))) {
        i += 3; // a URL escape separates tokens
        continue;
      }
      if (!isAddressChar(c)) {
        i++;
        continue;
      }
      int j = i + 1;
      boolean punctuated = c == '.' || c == ':';
      while (j < to && isAddressChar(s.charAt(j))) {
        char d = s.charAt(j);
        punctuated |= d == '.' || d == ':';
        j++;
      }
      if (punctuated && j - i >= 2) {
        int[] spans = addressesIn(s, i, j);
        if (spans != null) {
          if (out == null) {
            out = new StringBuilder(s.length() + 2 * IpPseudonymizer.HASH_HEX_LENGTH);
          }
          replaced = true;
          out.append(s, pending, i);
          int at = i;
          for (int k = 0; k < spans.length && spans[k] >= 0; k += 2) {
            out.append(s, at, spans[k]);
            out.append(ips.hash(s.substring(spans[k], spans[k + 1])));
            at = spans[k + 1];
          }
          out.append(s, at, j);
          pending = j;
        }
      }
      i = j;
    }
    if (!replaced) {
      return null;
    }
    out.append(s, pending, to);
    return out;
  }

  /**
   * The addresses inside the token {@code s[from, to)} as {start, end} pairs (ended by -1), or null
   * when it holds none: the whole token, the token without leading/trailing punctuation, else its
   * dotted quads.
   */
  private static int[] addressesIn(String s, int from, int to) {
    if (isAddress(s, from, to)) {
      return new int[] {from, to, -1};
    }
    int a = from;
    int b = to;
    while (a < b && (s.charAt(a) == '.' || (s.charAt(a) == ':' && !s.startsWith("::", a)))) {
      a++;
    }
    while (b > a && (s.charAt(b - 1) == '.' || (s.charAt(b - 1) == ':' && !s.startsWith("::", b - 2)))) {
      b--;
    }
    if ((a > from || b < to) && isAddress(s, a, b)) {
      return new int[] {a, b, -1};
    }
    // an IPv6 address with a port and no brackets (ALB logs write client:port so): the port stays
    int colon = s.lastIndexOf(':', b - 1);
    if (colon > a && isPort(s, colon, b) && s.indexOf(':', a) < colon && isAddress(s, a, colon)) {
      return new int[] {a, colon, -1};
    }
    // dotted quads inside, e.g. 192.0.2.1:443 or a truncated IPv6 with an IPv4 tail
    int[] found = null;
    int n = 0;
    int i = from;
    while (i < to) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        i++;
        continue;
      }
      int j = i;
      while (j < to && ((s.charAt(j) >= '0' && s.charAt(j) <= '9') || s.charAt(j) == '.')) {
        j++;
      }
      int e = j;
      while (e > i && s.charAt(e - 1) == '.') {
        e--;
      }
      if (e - i >= 7 && isAddress(s, i, e)) {
        if (found == null) {
          found = new int[] {-1, -1, -1, -1, -1};
        } else if (n + 2 >= found.length) {
          found = java.util.Arrays.copyOf(found, found.length * 2 + 1);
          java.util.Arrays.fill(found, n, found.length, -1);
        }
        found[n++] = i;
        found[n++] = e;
      }
      i = j;
    }
    return found;
  }
}

package dw.geo;

import java.util.Arrays;

/**
 * Parses IP address literals without ever touching DNS.
 *
 * <p>{@link java.net.InetAddress#getByName(String)} resolves anything that is not a literal, which
 * on a hot path (one call per log line) means a blocking DNS query for every malformed field. This
 * parser accepts only literals:
 *
 * <ul>
 *   <li>IPv4 dotted quads of four decimal parts 0..255 ({@code 192.0.2.1}). Leading zeros ({@code
 *       010.0.0.1}) are rejected because some parsers read them as octal.
 *   <li>IPv6 in RFC 4291 text form: up to eight groups of one to four hex digits, at most one
 *       {@code ::}, and an optional embedded IPv4 address in the last 32 bits ({@code
 *       ::ffff:192.0.2.1}, {@code 64:ff9b::192.0.2.1}).
 * </ul>
 *
 * <p>Everything else returns {@code null}: host names, zone ids ({@code fe80::1%eth0}), brackets,
 * CIDR suffixes, surrounding whitespace, empty strings and {@code "-"}.
 */
public final class IpAddresses {

  private IpAddresses() {}

  /** Longest IPv6 text without zone: eight groups written as six groups plus a dotted quad. */
  private static final int MAX_IPV6_LENGTH = 45;

  /**
   * Parses an IPv4 or IPv6 literal.
   *
   * @return 4 bytes for IPv4, 16 bytes for IPv6 (network order), or {@code null} if {@code text} is
   *     not a literal
   */
  public static byte[] parse(String text) {
    if (text == null) {
      return null;
    }
    int length = text.length();
    if (length < 2 || length > MAX_IPV6_LENGTH) {
      return null; // the shortest literal is "::" (IPv4 needs at least 7 characters)
    }
    return text.indexOf(':') >= 0 ? parseIpv6(text, length) : parseIpv4(text, length);
  }

  /** Returns whether {@code text} is an IPv4 or IPv6 literal that {@link #parse} accepts. */
  public static boolean isLiteral(String text) {
    return parse(text) != null;
  }

  private static byte[] parseIpv4(String text, int length) {
    if (length > 15) {
      return null;
    }
    byte[] out = new byte[4];
    return parseDottedQuad(text, 0, length, out, 0) ? out : null;
  }

  /** Parses {@code text[from, to)} as a dotted quad into {@code out[offset, offset + 4)}. */
  private static boolean parseDottedQuad(String text, int from, int to, byte[] out, int offset) {
    int part = 0;
    int value = 0;
    int digits = 0;
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (c >= '0' && c <= '9') {
        if (digits > 0 && value == 0) {
          return false; // leading zero
        }
        value = value * 10 + (c - '0');
        if (value > 255) {
          return false;
        }
        digits++;
      } else if (c == '.') {
        if (digits == 0 || part == 3) {
          return false;
        }
        out[offset + part++] = (byte) value;
        value = 0;
        digits = 0;
      } else {
        return false;
      }
    }
    if (digits == 0 || part != 3) {
      return false;
    }
    out[offset + 3] = (byte) value;
    return true;
  }

  private static byte[] parseIpv6(String text, int length) {
    byte[] out = new byte[16];
    int pos = 0; // next byte to fill in out
    int gap = -1; // byte position of "::", if any
    int i = 0;
    if (text.charAt(0) == ':') {
      if (text.charAt(1) != ':') {
        return null; // a single leading colon
      }
      gap = 0;
      i = 2;
      if (length == 2) {
        return out; // "::"
      }
    }
    while (true) {
      if (pos == 16) {
        return null; // more than eight groups
      }
      int start = i;
      int value = 0;
      while (i < length) {
        int digit = hexDigit(text.charAt(i));
        if (digit < 0) {
          break;
        }
        value = (value << 4) | digit;
        i++;
      }
      if (i < length && text.charAt(i) == '.') {
        // Embedded IPv4: must be the last thing and fill the last 32 bits of what is present.
        if (pos > 12 || !parseDottedQuad(text, start, length, out, pos)) {
          return null;
        }
        pos += 4;
        break;
      }
      int digits = i - start;
      if (digits == 0 || digits > 4) {
        return null;
      }
      out[pos++] = (byte) (value >>> 8);
      out[pos++] = (byte) value;
      if (i == length) {
        break;
      }
      if (text.charAt(i) != ':') {
        return null; // zone id '%', brackets, '/' or any other character
      }
      i++;
      if (i == length) {
        return null; // a single trailing colon
      }
      if (text.charAt(i) == ':') {
        if (gap >= 0) {
          return null; // a second "::"
        }
        gap = pos;
        i++;
        if (i == length) {
          break; // trailing "::"
        }
      }
    }
    if (gap < 0) {
      return pos == 16 ? out : null;
    }
    if (pos == 16) {
      return null; // "::" must stand for at least one group of zeros
    }
    int shift = 16 - pos;
    System.arraycopy(out, gap, out, gap + shift, pos - gap);
    Arrays.fill(out, gap, gap + shift, (byte) 0);
    return out;
  }

  /** ASCII hex digit value, or -1 (unlike Character.digit, which accepts non-ASCII digits). */
  private static int hexDigit(char c) {
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

  /**
   * Returns whether the address (as returned by {@link #parse}) can never be geolocated: private,
   * loopback, link-local, unique-local, carrier-grade NAT, multicast, unspecified or reserved
   * ranges. IPv4-mapped IPv6 addresses ({@code ::ffff:a.b.c.d}) are judged by their IPv4 part.
   */
  public static boolean isNonPublic(byte[] address) {
    if (address.length == 4) {
      return isNonPublicIpv4(address[0] & 0xff, address[1] & 0xff);
    }
    if (address.length != 16) {
      return true;
    }
    if (isIpv4Mapped(address)) {
      return isNonPublicIpv4(address[12] & 0xff, address[13] & 0xff);
    }
    int b0 = address[0] & 0xff;
    int b1 = address[1] & 0xff;
    if (b0 == 0xff) {
      return true; // ff00::/8 multicast
    }
    if ((b0 & 0xfe) == 0xfc) {
      return true; // fc00::/7 unique local
    }
    if (b0 == 0xfe && (b1 & 0x80) == 0x80) {
      return true; // fe80::/10 link-local and fec0::/10 deprecated site-local
    }
    for (int i = 0; i < 15; i++) {
      if (address[i] != 0) {
        return false;
      }
    }
    return address[15] == 0 || address[15] == 1; // :: unspecified, ::1 loopback
  }

  /** Returns whether a 16-byte address is an IPv4-mapped IPv6 address ({@code ::ffff:0:0/96}). */
  public static boolean isIpv4Mapped(byte[] address) {
    if (address.length != 16 || address[10] != (byte) 0xff || address[11] != (byte) 0xff) {
      return false;
    }
    for (int i = 0; i < 10; i++) {
      if (address[i] != 0) {
        return false;
      }
    }
    return true;
  }

  private static boolean isNonPublicIpv4(int b0, int b1) {
    return b0 == 0 // 0.0.0.0/8 "this network"
        || b0 == 10 // 10.0.0.0/8 private
        || b0 == 127 // 127.0.0.0/8 loopback
        || b0 >= 224 // 224.0.0.0/4 multicast, 240.0.0.0/4 reserved, broadcast
        || (b0 == 100 && (b1 & 0xc0) == 64) // 100.64.0.0/10 carrier-grade NAT
        || (b0 == 169 && b1 == 254) // 169.254.0.0/16 link-local
        || (b0 == 172 && (b1 & 0xf0) == 16) // 172.16.0.0/12 private
        || (b0 == 192 && b1 == 168); // 192.168.0.0/16 private
  }
  /**
   * The bytes of an IP literal with one form per address: 4 for IPv4 and for IPv4-mapped IPv6,
   * 16 for other IPv6; null when {@code text} is not a literal.
   */
  public static byte[] canonical(String text) {
    byte[] a = parse(text);
    if (a != null && a.length == 16 && isIpv4Mapped(a)) {
      return java.util.Arrays.copyOfRange(a, 12, 16);
    }
    return a;
  }

  /** Dotted quad for 4 bytes; RFC 5952 text for 16. */
  public static String toText(byte[] a) {
    if (a.length == 4) {
      return (a[0] & 0xff) + "." + (a[1] & 0xff) + "." + (a[2] & 0xff) + "." + (a[3] & 0xff);
    }
    return ipv6Text(a);
  }

  /** RFC 5952 text of a 16-byte address: lowercase, no leading zeros, longest zero run as ::. */
  private static String ipv6Text(byte[] a) {
    int[] g = new int[8];
    for (int i = 0; i < 8; i++) {
      g[i] = ((a[2 * i] & 0xff) << 8) | (a[2 * i + 1] & 0xff);
    }
    int bestStart = -1;
    int bestLen = 0;
    for (int i = 0; i < 8; ) {
      if (g[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && g[j] == 0) {
        j++;
      }
      if (j - i > bestLen) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j;
    }
    if (bestLen < 2) {
      bestStart = -1;
    }
    StringBuilder sb = new StringBuilder(39);
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        sb.append("::");
        i += bestLen - 1;
        continue;
      }
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
        sb.append(':');
      }
      sb.append(Integer.toHexString(g[i]));
    }
    return sb.toString();
  }

}

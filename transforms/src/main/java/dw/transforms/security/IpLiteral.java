package dw.transforms.security;

/**
 * Hand-written IP literal validation and canonical text, without {@code InetAddress} (which may
 * resolve host names). IPv4: strict dotted quad (four decimal parts 0-255, no leading zeros). IPv6:
 * RFC 4291 text (1-4 hex digits per group, at most one {@code ::}, optional trailing dotted quad),
 * no zone id; canonical form per RFC 5952 (lower case, no leading zeros, the longest run of two or
 * more zero groups, first on a tie, written {@code ::}).
 */
final class IpLiteral {
  private IpLiteral() {}

  /** Canonical text of an IPv4 or IPv6 literal, or null if {@code s} is not one. */
  static String canonical(String s) {
    if (s == null || s.isEmpty()) {
      return null;
    }
    if (s.indexOf(':') >= 0) {
      int[] groups = parseIpv6(s);
      return groups == null ? null : formatIpv6(groups);
    }
    return isIpv4(s, 0, s.length()) ? s : null;
  }

  /** Strict dotted quad in {@code s[from, to)}. */
  static boolean isIpv4(String s, int from, int to) {
    int i = from;
    for (int part = 0; part < 4; part++) {
      int start = i;
      int v = 0;
      while (i < to && i - start < 4) {
        char c = s.charAt(i);
        if (c < '0' || c > '9') {
          break;
        }
        v = v * 10 + (c - '0');
        i++;
      }
      int len = i - start;
      if (len == 0 || len > 3 || v > 255 || (len > 1 && s.charAt(start) == '0')) {
        return false;
      }
      if (part < 3) {
        if (i >= to || s.charAt(i) != '.') {
          return false;
        }
        i++;
      }
    }
    return i == to;
  }

  /** The eight 16-bit groups of an IPv6 literal, or null. */
  static int[] parseIpv6(String s) {
    int n = s.length();
    int[] head = new int[8];
    int[] tail = new int[8];
    int headCount = 0;
    int tailCount = 0;
    boolean compressed = false;
    int i = 0;
    if (s.startsWith("::")) {
      compressed = true;
      i = 2;
      if (i == n) {
        return new int[8];
      }
    } else if (n > 0 && s.charAt(0) == ':') {
      return null;
    }
    while (i < n) {
      if (headCount + tailCount >= 8) {
        return null;
      }
      // An embedded dotted quad may end the address and fills two groups.
      int nextColon = s.indexOf(':', i);
      if (nextColon < 0 && s.indexOf('.', i) >= 0) {
        if (!isIpv4(s, i, n) || headCount + tailCount > 6) {
          return null;
        }
        int[] q = new int[4];
        int p = i;
        for (int k = 0; k < 4; k++) {
          int dot = s.indexOf('.', p);
          int e = dot < 0 ? n : dot;
          q[k] = Integer.parseInt(s, p, e, 10);
          p = e + 1;
        }
        int[] target = compressed ? tail : head;
        int count = compressed ? tailCount : headCount;
        target[count] = (q[0] << 8) | q[1];
        target[count + 1] = (q[2] << 8) | q[3];
        if (compressed) {
          tailCount += 2;
        } else {
          headCount += 2;
        }
        i = n;
        break;
      }
      int start = i;
      int v = 0;
      while (i < n && i - start < 5) {
        int h = hex(s.charAt(i));
        if (h < 0) {
          break;
        }
        v = (v << 4) | h;
        i++;
      }
      int len = i - start;
      if (len == 0 || len > 4) {
        return null;
      }
      if (compressed) {
        tail[tailCount++] = v;
      } else {
        head[headCount++] = v;
      }
      if (i == n) {
        break;
      }
      if (s.charAt(i) != ':') {
        return null;
      }
      i++;
      if (i < n && s.charAt(i) == ':') {
        if (compressed) {
          return null;
        }
        compressed = true;
        i++;
        if (i == n) {
          break;
        }
      } else if (i == n) {
        return null; // trailing single ':'
      }
    }
    int total = headCount + tailCount;
    if (compressed ? total > 7 : total != 8) {
      return null;
    }
    int[] groups = new int[8];
    System.arraycopy(head, 0, groups, 0, headCount);
    System.arraycopy(tail, 0, groups, 8 - tailCount, tailCount);
    return groups;
  }

  private static int hex(char c) {
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

  static String formatIpv6(int[] g) {
    int bestStart = -1;
    int bestLen = 1;
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

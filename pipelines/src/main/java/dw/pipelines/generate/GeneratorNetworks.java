package dw.pipelines.generate;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * The generator's own, fixed "GeoIP" table: a few dozen networks with a location each.
 *
 * <p>This table is the ground truth for the country of every generated client address. The project can build a
 * test GeoIP database from {@link #all()}, so a pipeline run over generated logs must arrive at exactly the
 * countries the generator used. The locations are invented for test purposes (the ranges look like real
 * public allocations of the right region, but no claim is made that they are located there).
 *
 * <p>Addresses drawn from {@link #UNMAPPED_RANGES} (private ranges and a few public ranges that are in no network)
 * have no country; the generator reports them as {@code unknown}. So does the restricted address
 * {@link #RESTRICTED_IP}, which lies outside every network.
 */
public final class GeneratorNetworks {

  /** One network of the table. {@code cidr} is {@code a.b.c.d/n} or an IPv6 prefix such as {@code 2003:e0::/32}. */
  public record Network(
      String cidr,
      String countryIso,
      String countryName,
      String subdivisionIso,
      String subdivisionName,
      String city) {

    /** True for IPv6 prefixes. */
    public boolean isIpv6() {
      return cidr.indexOf(':') >= 0;
    }

    /** Prefix length. */
    public int prefixLength() {
      return Integer.parseInt(cidr.substring(cidr.indexOf('/') + 1));
    }
  }

  /** The single restricted address of the original warehouse. In no network of the table. */
  public static final String RESTRICTED_IP = "194.30.0.184";

  /** Countries excluded by default (Russia, Iran, North Korea). */
  public static final Set<String> EXCLUDED_COUNTRIES = Set.of("RU", "IR", "KP");

  private static final List<Network> NETWORKS;
  /** Relative weight of each network when a server's address is drawn (same order as NETWORKS). */
  private static final int[] WEIGHTS;

  /** Ranges that are deliberately in no network: private IPv4, two unmapped public IPv4 ranges, two IPv6 ranges. */
  public static final List<String> UNMAPPED_RANGES = List.of(
      "10.0.0.0/8",
      "192.168.0.0/16",
      "172.16.0.0/12",
      "45.76.0.0/16",
      "160.20.0.0/16",
      "2001:db8::/32",
      "fd12:3456::/32");

  static {
    List<Network> n = new ArrayList<>();
    List<Integer> w = new ArrayList<>();
    // IPv4
    add(n, w, 14, "24.48.0.0/14", "US", "United States", "US-CA", "California", "Los Angeles");
    add(n, w, 12, "68.32.0.0/13", "US", "United States", "US-NY", "New York", "New York");
    add(n, w, 10, "98.192.0.0/13", "US", "United States", "US-TX", "Texas", "Austin");
    add(n, w, 8, "173.160.0.0/14", "US", "United States", "US-WA", "Washington", "Seattle");
    add(n, w, 5, "142.112.0.0/13", "CA", "Canada", "CA-ON", "Ontario", "Toronto");
    add(n, w, 3, "207.6.0.0/16", "CA", "Canada", "CA-BC", "British Columbia", "Vancouver");
    add(n, w, 5, "177.32.0.0/13", "BR", "Brazil", "BR-SP", "São Paulo", "São Paulo");
    add(n, w, 2, "187.128.0.0/12", "MX", "Mexico", "MX-CMX", "Mexico City", "Mexico City");
    add(n, w, 8, "91.0.0.0/14", "DE", "Germany", "DE-BE", "Berlin", "Berlin");
    add(n, w, 6, "217.224.0.0/13", "DE", "Germany", "DE-BY", "Bavaria", "Munich");
    add(n, w, 6, "90.0.0.0/13", "FR", "France", "FR-IDF", "Île-de-France", "Paris");
    add(n, w, 6, "86.128.0.0/12", "GB", "United Kingdom", "GB-ENG", "England", "London");
    add(n, w, 4, "83.80.0.0/13", "NL", "Netherlands", "NL-NH", "North Holland", "Amsterdam");
    add(n, w, 3, "88.0.0.0/13", "ES", "Spain", "ES-MD", "Madrid", "Madrid");
    add(n, w, 3, "93.32.0.0/13", "IT", "Italy", "IT-62", "Lazio", "Rome");
    add(n, w, 3, "83.0.0.0/13", "PL", "Poland", "PL-14", "Mazovia", "Warsaw");
    add(n, w, 2, "81.224.0.0/12", "SE", "Sweden", "SE-AB", "Stockholm County", "Stockholm");
    add(n, w, 2, "85.0.0.0/14", "CH", "Switzerland", "CH-ZH", "Zurich", "Zurich");
    add(n, w, 5, "126.0.0.0/12", "JP", "Japan", "JP-13", "Tokyo", "Tokyo");
    add(n, w, 3, "153.128.0.0/12", "JP", "Japan", "JP-27", "Osaka", "Osaka");
    add(n, w, 5, "117.192.0.0/12", "IN", "India", "IN-MH", "Maharashtra", "Mumbai");
    add(n, w, 4, "49.200.0.0/13", "IN", "India", "IN-KA", "Karnataka", "Bengaluru");
    add(n, w, 4, "121.208.0.0/12", "AU", "Australia", "AU-NSW", "New South Wales", "Sydney");
    add(n, w, 3, "121.128.0.0/12", "KR", "South Korea", "KR-11", "Seoul", "Seoul");
    add(n, w, 2, "116.86.0.0/15", "SG", "Singapore", "SG-01", "Central Singapore", "Singapore");
    add(n, w, 2, "105.224.0.0/12", "ZA", "South Africa", "ZA-GP", "Gauteng", "Johannesburg");
    add(n, w, 3, "95.24.0.0/13", "RU", "Russia", "RU-MOW", "Moscow", "Moscow");
    add(n, w, 2, "178.64.0.0/12", "RU", "Russia", "RU-SPE", "Saint Petersburg", "Saint Petersburg");
    add(n, w, 2, "5.112.0.0/12", "IR", "Iran", "IR-23", "Tehran", "Tehran");
    add(n, w, 1, "175.45.176.0/22", "KP", "North Korea", "KP-01", "Pyongyang", "Pyongyang");
    // IPv6
    add(n, w, 4, "2601:600::/32", "US", "United States", "US-OR", "Oregon", "Portland");
    add(n, w, 3, "2003:e0::/32", "DE", "Germany", "DE-NW", "North Rhine-Westphalia", "Cologne");
    add(n, w, 2, "240b:10::/32", "JP", "Japan", "JP-13", "Tokyo", "Tokyo");
    add(n, w, 2, "2a02:c7c::/32", "GB", "United Kingdom", "GB-SCT", "Scotland", "Edinburgh");
    add(n, w, 2, "2a01:cb00::/32", "FR", "France", "FR-ARA", "Auvergne-Rhône-Alpes", "Lyon");
    add(n, w, 2, "2409:4040::/32", "IN", "India", "IN-DL", "Delhi", "New Delhi");
    add(n, w, 1, "2a0e:97c0:1d0::/48", "NL", "Netherlands", "NL-ZH", "South Holland", "Rotterdam");
    add(n, w, 1, "2a00:1fa0::/32", "RU", "Russia", "RU-MOW", "Moscow", "Moscow");
    NETWORKS = Collections.unmodifiableList(n);
    WEIGHTS = w.stream().mapToInt(Integer::intValue).toArray();
  }

  private static void add(List<Network> n, List<Integer> w, int weight, String cidr, String iso, String name,
      String subIso, String subName, String city) {
    n.add(new Network(cidr, iso, name, subIso, subName, city));
    w.add(weight);
  }

  // Parsed prefixes: [hi, lo] of the 128-bit (IPv6) or low 32 bits in lo (IPv4).
  private static final Parsed[] PARSED;
  private static final Parsed[] UNMAPPED_PARSED;

  static {
    PARSED = new Parsed[NETWORKS.size()];
    for (int i = 0; i < PARSED.length; i++) {
      PARSED[i] = Parsed.of(NETWORKS.get(i).cidr());
    }
    UNMAPPED_PARSED = new Parsed[UNMAPPED_RANGES.size()];
    for (int i = 0; i < UNMAPPED_PARSED.length; i++) {
      UNMAPPED_PARSED[i] = Parsed.of(UNMAPPED_RANGES.get(i));
    }
  }

  private GeneratorNetworks() {}

  /** All networks, in a fixed order (the index is stable and used by the generator). */
  public static List<Network> all() {
    return NETWORKS;
  }

  /** The draw weight of network {@code index} (relative). */
  static int weight(int index) {
    return WEIGHTS[index];
  }

  /** True if network {@code index} is in an excluded country (RU, IR, KP). */
  static boolean isExcludedCountry(int index) {
    return index >= 0 && EXCLUDED_COUNTRIES.contains(NETWORKS.get(index).countryIso());
  }

  /** A random address inside {@code network} (never its first or last address). */
  public static String randomAddress(Network network, RandomGenerator random) {
    int i = NETWORKS.indexOf(network);
    Parsed p = i >= 0 ? PARSED[i] : Parsed.of(network.cidr());
    return p.random(random);
  }

  /** A random address inside network number {@code index} of {@link #all()}. */
  public static String randomAddress(int index, RandomGenerator random) {
    return PARSED[index].random(random);
  }

  /** A random address inside {@link #UNMAPPED_RANGES}{@code .get(index)}. Never {@link #RESTRICTED_IP}. */
  public static String randomUnmappedAddress(int index, RandomGenerator random) {
    return UNMAPPED_PARSED[index].random(random);
  }

  /**
   * The network containing {@code ip}, or empty if the address is in none (or is not an IP literal).
   * Accepts dotted IPv4 and any IPv6 text form.
   */
  public static Optional<Network> lookup(String ip) {
    int i = indexOf(ip);
    return i < 0 ? Optional.empty() : Optional.of(NETWORKS.get(i));
  }

  /** Country ISO code of {@code ip}, or null if the address is in no network. */
  public static String countryIsoOf(String ip) {
    int i = indexOf(ip);
    return i < 0 ? null : NETWORKS.get(i).countryIso();
  }

  /** Index into {@link #all()} of the network containing {@code ip}, or -1. */
  static int indexOf(String ip) {
    long[] a = parseAddress(ip);
    if (a == null) {
      return -1;
    }
    boolean v6 = a[2] == 6;
    for (int i = 0; i < PARSED.length; i++) {
      if (PARSED[i].v6 == v6 && PARSED[i].contains(a[0], a[1])) {
        return i;
      }
    }
    return -1;
  }

  /** Returns {hi, lo, version} or null. IPv4 goes into lo. */
  private static long[] parseAddress(String ip) {
    if (ip == null || ip.isEmpty()) {
      return null;
    }
    if (ip.indexOf(':') < 0) {
      long v = parseIpv4(ip);
      return v < 0 ? null : new long[] {0, v, 4};
    }
    try {
      byte[] b = InetAddress.getByName(ip).getAddress(); // IPv6 literals never trigger a DNS lookup
      if (b.length != 16) {
        return null;
      }
      long hi = 0;
      long lo = 0;
      for (int k = 0; k < 8; k++) {
        hi = (hi << 8) | (b[k] & 0xff);
        lo = (lo << 8) | (b[k + 8] & 0xff);
      }
      return new long[] {hi, lo, 6};
    } catch (UnknownHostException | RuntimeException e) {
      return null;
    }
  }

  private static long parseIpv4(String s) {
    long v = 0;
    int parts = 0;
    int cur = -1;
    for (int i = 0; i <= s.length(); i++) {
      char c = i < s.length() ? s.charAt(i) : '.';
      if (c == '.') {
        if (cur < 0 || cur > 255) {
          return -1;
        }
        v = (v << 8) | cur;
        parts++;
        cur = -1;
      } else if (c >= '0' && c <= '9') {
        cur = (cur < 0 ? 0 : cur * 10) + (c - '0');
        if (cur > 255) {
          return -1;
        }
      } else {
        return -1;
      }
    }
    return parts == 4 ? v : -1;
  }

  /** A parsed prefix. */
  private static final class Parsed {
    final boolean v6;
    final long hi;
    final long lo;
    final int prefix;

    private Parsed(boolean v6, long hi, long lo, int prefix) {
      this.v6 = v6;
      this.hi = hi;
      this.lo = lo;
      this.prefix = prefix;
    }

    static Parsed of(String cidr) {
      int slash = cidr.indexOf('/');
      String addr = cidr.substring(0, slash);
      int prefix = Integer.parseInt(cidr.substring(slash + 1));
      long[] a = parseAddress(addr);
      if (a == null) {
        throw new IllegalArgumentException("bad CIDR " + cidr);
      }
      return new Parsed(a[2] == 6, a[0], a[1], prefix);
    }

    boolean contains(long h, long l) {
      if (!v6) {
        long mask = prefix == 0 ? 0 : (0xffffffffL << (32 - prefix)) & 0xffffffffL;
        return (l & mask) == (lo & mask);
      }
      if (prefix <= 64) {
        long mask = prefix == 0 ? 0 : -1L << (64 - prefix);
        return (h & mask) == (hi & mask);
      }
      long mask = -1L << (128 - prefix);
      return h == hi && (l & mask) == (lo & mask);
    }

    String random(RandomGenerator r) {
      if (!v6) {
        long size = 1L << (32 - prefix);
        for (;;) {
          long a = lo + 1 + r.nextLong(size - 2);
          String s = ((a >>> 24) & 0xff) + "." + ((a >>> 16) & 0xff) + "." + ((a >>> 8) & 0xff) + "." + (a & 0xff);
          if (!s.equals(RESTRICTED_IP)) {
            return s;
          }
        }
      }
      long h = hi;
      long l = r.nextLong();
      if (prefix < 64) {
        long keep = -1L << (64 - prefix);
        h = (hi & keep) | (r.nextLong() & ~keep);
      } else if (prefix > 64) {
        long keep = -1L << (128 - prefix);
        l = (lo & keep) | (l & ~keep);
      }
      if (l == 0) {
        l = 1;
      }
      return formatIpv6(h, l);
    }
  }

  /** RFC 5952 text form: lowercase, no leading zeros, the longest run (2+) of zero groups as "::". */
  static String formatIpv6(long hi, long lo) {
    int[] g = new int[8];
    for (int k = 0; k < 4; k++) {
      g[k] = (int) ((hi >>> (48 - 16 * k)) & 0xffff);
      g[k + 4] = (int) ((lo >>> (48 - 16 * k)) & 0xffff);
    }
    int bestStart = -1;
    int bestLen = 0;
    for (int i = 0; i < 8; ) {
      if (g[i] == 0) {
        int j = i;
        while (j < 8 && g[j] == 0) {
          j++;
        }
        if (j - i > bestLen) {
          bestStart = i;
          bestLen = j - i;
        }
        i = j;
      } else {
        i++;
      }
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

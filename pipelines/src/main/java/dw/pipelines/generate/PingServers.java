package dw.pipelines.generate;

import static dw.pipelines.generate.SecurityPingGenerator.mix;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The server population of {@link SecurityPingGenerator}: each server's id, category (normal or one
 * exclusion reason), build, edition, database, OS, user counts, distribution and address, drawn from
 * the seed, numbered in id order (so the truth rows are written in one pass), plus the builds and
 * address changes the schedule asks for. Column arrays, one entry per server.
 */
final class PingServers {
  static final byte NORMAL = 0;
  static final byte RAN_TESTS = 1;
  static final byte CUSTOM = 2;
  static final byte AUC_GT_UC = 3;
  static final byte BAD_ID = 4;
  static final byte RESTRICTED = 5;
  static final byte EXCL_COUNTRY = 6;
  static final String[] CATEGORY_NAMES =
      {"normal", "ran_unit_tests", "custom_build", "auc_exceeds_uc", "invalid_id", "restricted_ip", "excluded_country"};

  static final int NET_RESTRICTED = -2;
  static final int NET_UNKNOWN = -1;

  static final String ID_ALPHABET = "ybndrfg8ejkmcpqxot1uwisza345h769";
  static final String[] RELEASES = {
    "7.8.15", "8.1.13", "9.0.6", "9.3.4", "9.5.3", "9.5.11", "9.8.2", "9.11.6", "10.0.3", "10.2.1", "10.5.1",
    "10.5.4", "10.7.2", "10.8.1", "10.9.0"};
  static final int[] RELEASE_WEIGHTS = {1, 2, 2, 2, 5, 4, 4, 7, 6, 6, 8, 9, 8, 10, 6};
  static final String[] CUSTOM_BUILDS = {
    "9.8.0.dev", "9.5.3.9.5", "10.0.0.abc", "9.11.1.123456789", "7.8.100", "10.2.0.cloud-2024-4-30-1",
    "9.5.3.9.5.3.1"};

  static final List<String> DBS = Arrays.asList("unknown", "postgres", "mysql");
  static final List<String> OSES = Arrays.asList("unknown", "linux", "windows", "darwin", "freebsd");

  /** Edge locations per country (first three letters are an airport code near the client). */
  static final Map<String, String[]> EDGES = new HashMap<>();

  static {
    EDGES.put("US", new String[] {"IAD89-C1", "SFO53-P1", "DFW56-P1", "SEA19-C1", "JFK50-P2"});
    EDGES.put("CA", new String[] {"YTO50-C1", "YVR52-P1"});
    EDGES.put("BR", new String[] {"GRU3-C1", "GIG51-C1"});
    EDGES.put("MX", new String[] {"QRO51-C1"});
    EDGES.put("DE", new String[] {"FRA56-P5", "MUC50-P1", "TXL50-P1", "DUS51-C1"});
    EDGES.put("FR", new String[] {"CDG52-P2", "MRS52-P1"});
    EDGES.put("GB", new String[] {"LHR61-P3", "MAN51-C1"});
    EDGES.put("NL", new String[] {"AMS1-C1", "AMS58-P2"});
    EDGES.put("ES", new String[] {"MAD53-P1"});
    EDGES.put("IT", new String[] {"MXP64-P1", "FCO50-C1"});
    EDGES.put("PL", new String[] {"WAW51-P1"});
    EDGES.put("SE", new String[] {"ARN56-P1"});
    EDGES.put("CH", new String[] {"ZRH55-P1"});
    EDGES.put("JP", new String[] {"NRT57-P2", "KIX56-P1"});
    EDGES.put("IN", new String[] {"BOM78-P1", "BLR50-C1", "DEL54-C1"});
    EDGES.put("AU", new String[] {"SYD62-P1", "MEL50-C2"});
    EDGES.put("KR", new String[] {"ICN57-P1"});
    EDGES.put("SG", new String[] {"SIN2-C1"});
    EDGES.put("ZA", new String[] {"JNB50-C1"});
    EDGES.put("RU", new String[] {"HEL51-P1", "ARN56-P1"});
    EDGES.put("IR", new String[] {"FRA56-P5", "IST52-P1"});
    EDGES.put("KP", new String[] {"HKG62-C1", "NRT57-P2"});
    EDGES.put("", new String[] {"IAD89-C1", "FRA56-P5", "LHR61-P3", "SIN2-C1"});
  }

  /** A build string with the values the truth needs, computed once. */
  static final class Build {
    final String text;
    final String versionFull;
    final String majorMinor;
    final boolean custom;
    int majorMinorIdx = -1;

    Build(String text) {
      this.text = text;
      this.versionFull = GeneratorRules.versionFull(text);
      this.majorMinor = GeneratorRules.majorMinor(text);
      this.custom = !GeneratorRules.isAcceptedBuild(text);
    }
  }

  private final SecurityPingGenerator.Config cfg;
  private final PingCounters counters;
  final int n;

  String[] ids;
  byte[] category;
  byte[] uaIdx;
  byte[] be; // 1 true, 0 false, -1 missing
  String[] db; // null = missing
  String[] os; // "" = empty
  int[] baseUc;
  int[] growth;
  int[] baseTc;
  float[] activeRatio;
  byte[] dist;
  Build[] build;
  /** Reasons that depend only on the server (unit tests, id length). */
  int[] serverBits;
  byte[] dbIdx;
  byte[] osIdx;
  String[] ip;
  int[] net;

  // allowed networks for normal servers
  final boolean[] excludedNet = new boolean[GeneratorNetworks.all().size()];
  final String[][] edgesByNet = new String[GeneratorNetworks.all().size() + 2][];
  private int[] v4Allowed;
  private int[] v6Allowed;
  private int[] excludedNets;
  private long[] v4Cum;
  private long[] v6Cum;
  private long[] exCum;
  /** The major.minor versions of the accepted builds, in order of first use (the truth's version index). */
  final List<String> majorMinors = new ArrayList<>();

  PingServers(SecurityPingGenerator.Config cfg, PingCounters counters) {
    this.cfg = cfg;
    this.counters = counters;
    this.n = cfg.servers();
  }

  void createServers() {
    SplittableRandom r = new SplittableRandom(mix(cfg.seed(), 0x5E17E5, 0));
    ids = new String[n];
    category = new byte[n];
    uaIdx = new byte[n];
    be = new byte[n];
    db = new String[n];
    os = new String[n];
    baseUc = new int[n];
    growth = new int[n];
    baseTc = new int[n];
    activeRatio = new float[n];
    dist = new byte[n];
    build = new Build[n];
    serverBits = new int[n];
    dbIdx = new byte[n];
    osIdx = new byte[n];
    ip = new String[n];
    net = new int[n];
    buildNetworkPools();

    // categories by count on a shuffled order, so that every category exists even in small runs
    int[] perm = new int[n];
    for (int i = 0; i < n; i++) {
      perm[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      int t = perm[i];
      perm[i] = perm[j];
      perm[j] = t;
    }
    double[] catFrac = {0, cfg.ranUnitTestsFraction, cfg.customBuildFraction, cfg.aucExceedsUcFraction,
        cfg.invalidIdFraction, cfg.restrictedIpFraction, cfg.excludedCountryFraction};
    int pos = 0;
    for (byte c = 1; c < catFrac.length; c++) {
      int cnt = atLeastOne(catFrac[c] * n, catFrac[c]);
      if (c == BAD_ID && cnt == 1) {
        cnt = 2; // one 25-char and one 27-char id
      }
      for (int k = 0; k < cnt && pos < n; k++) {
        category[perm[pos++]] = c;
      }
    }
    int normalStart = pos;
    int missingBe = atLeastOne(cfg.missingBeFraction * n, cfg.missingBeFraction);
    int missingDb = atLeastOne(cfg.missingDbFraction * n, cfg.missingDbFraction);
    int emptyOs = atLeastOne(cfg.emptyOsFraction * n, cfg.emptyOsFraction);
    Set<Integer> beMissingSet = new HashSet<>();
    Set<Integer> dbMissingSet = new HashSet<>();
    Set<Integer> osEmptySet = new HashSet<>();
    for (int k = 0; k < missingBe && pos < n; k++) {
      beMissingSet.add(perm[pos++]);
    }
    for (int k = 0; k < missingDb && pos < n; k++) {
      dbMissingSet.add(perm[pos++]);
    }
    for (int k = 0; k < emptyOs && pos < n; k++) {
      osEmptySet.add(perm[pos++]);
    }
    if (normalStart > n / 2 + 1) {
      // tiny populations: keep the majority normal
      for (int i = 0; i < n; i++) {
        if (i % 2 == 0) {
          category[i] = NORMAL;
        }
      }
    }

    for (byte c = 0; c < CATEGORY_NAMES.length; c++) {
      int cnt = 0;
      for (int s = 0; s < n; s++) {
        cnt += category[s] == c ? 1 : 0;
      }
      counters.bump("servers_" + CATEGORY_NAMES[c], cnt);
    }
    Set<String> seen = new HashSet<>(n * 2);
    int[] perCategoryIndex = new int[CATEGORY_NAMES.length];
    for (int s = 0; s < n; s++) {
      byte c = category[s];
      initServer(s, c, perCategoryIndex[c]++, r, seen, beMissingSet.contains(s), dbMissingSet.contains(s),
          osEmptySet.contains(s));
    }
    renumberInIdOrder();
  }

  /** Draws the attributes of server {@code s} (category {@code c}, {@code ci}-th of its category). */
  private void initServer(int s, byte c, int ci, SplittableRandom r, Set<String> seen, boolean beMissing,
      boolean dbMissing, boolean osEmpty) {
    int len = c == BAD_ID ? (ci % 2 == 0 ? 25 : 27) : 26;
    String id;
    do {
      char[] ch = new char[len];
      for (int k = 0; k < len; k++) {
        ch[k] = ID_ALPHABET.charAt(r.nextInt(32));
      }
      id = new String(ch);
    } while (!seen.add(id));
    ids[s] = id;
    uaIdx[s] = (byte) (r.nextDouble() < 0.6 ? 0 : 1);
    be[s] = beMissing ? -1 : (byte) (r.nextDouble() < 0.65 ? 1 : 0);
    db[s] = dbMissing ? null : r.nextDouble() < 0.8 ? "postgres" : "mysql";
    double o = r.nextDouble();
    os[s] = osEmpty ? "" : o < 0.9 ? "linux" : o < 0.95 ? "windows" : o < 0.98 ? "darwin" : "freebsd";
    long uc = Math.round(Math.exp(2.6 + 1.6 * r.nextGaussian()));
    baseUc[s] = (int) Math.max(1, Math.min(150_000, uc));
    growth[s] = r.nextInt(3);
    baseTc[s] = 1 + (int) (Math.sqrt(baseUc[s]) * r.nextDouble() / 2);
    activeRatio[s] = (float) (0.05 + 0.8 * r.nextDouble());
    dist[s] = (byte) r.nextInt(cfg.distributions());
    if (c == CUSTOM) {
      build[s] = build(CUSTOM_BUILDS[ci % CUSTOM_BUILDS.length]);
    } else if (c == RAN_TESTS && ci % 4 != 1) {
      build[s] = build("9.8.0.dev");
    } else {
      build[s] = build(acceptedBuild(r));
    }
    serverBits[s] = (c == RAN_TESTS ? GeneratorRules.RAN_UNIT_TESTS : 0)
        | (id.length() != 26 ? GeneratorRules.INVALID_ID : 0);
    dbIdx[s] = (byte) DBS.indexOf(GeneratorRules.orUnknown(db[s]));
    osIdx[s] = (byte) OSES.indexOf(GeneratorRules.orUnknown(os[s]));
    assignAddress(s, r);
  }

  /**
   * Renumbers the servers so that server index order is server id order: the truth rows (sorted by id) are then
   * written in one sequential pass. Sorts primitive keys (an order-preserving 40-bit prefix of the id plus the
   * index) and orders the rare runs with equal prefixes by the full id.
   */
  private void renumberInIdOrder() {
    if (n >= 1 << 23) {
      throw new IllegalArgumentException("at most " + ((1 << 23) - 1) + " servers");
    }
    String sortedAlphabet = ID_ALPHABET.chars().sorted()
        .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    long[] keys = new long[n];
    for (int s = 0; s < n; s++) {
      long prefix = 0;
      for (int k = 0; k < 8; k++) {
        prefix = (prefix << 5) | sortedAlphabet.indexOf(ids[s].charAt(k));
      }
      keys[s] = (prefix << 23) | s;
    }
    Arrays.sort(keys);
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = (int) (keys[i] & ((1 << 23) - 1));
    }
    for (int i = 0; i < n; ) {
      int j = i + 1;
      while (j < n && keys[j] >>> 23 == keys[i] >>> 23) {
        j++;
      }
      if (j - i > 1) {
        Integer[] run = new Integer[j - i];
        for (int k = i; k < j; k++) {
          run[k - i] = order[k];
        }
        Arrays.sort(run, Comparator.comparing(x -> ids[x]));
        for (int k = i; k < j; k++) {
          order[k] = run[k - i];
        }
      }
      i = j;
    }
    ids = permute(ids, order, String[]::new);
    build = permute(build, order, Build[]::new);
    db = permute(db, order, String[]::new);
    os = permute(os, order, String[]::new);
    ip = permute(ip, order, String[]::new);
    category = permute(category, order);
    uaIdx = permute(uaIdx, order);
    be = permute(be, order);
    dist = permute(dist, order);
    dbIdx = permute(dbIdx, order);
    osIdx = permute(osIdx, order);
    baseUc = permute(baseUc, order);
    growth = permute(growth, order);
    baseTc = permute(baseTc, order);
    net = permute(net, order);
    serverBits = permute(serverBits, order);
    float[] ar = new float[n];
    for (int i = 0; i < n; i++) {
      ar[i] = activeRatio[order[i]];
    }
    activeRatio = ar;
  }

  static <T> T[] permute(T[] a, int[] order, java.util.function.IntFunction<T[]> make) {
    T[] r = make.apply(a.length);
    for (int i = 0; i < a.length; i++) {
      r[i] = a[order[i]];
    }
    return r;
  }

  static byte[] permute(byte[] a, int[] order) {
    byte[] r = new byte[a.length];
    for (int i = 0; i < a.length; i++) {
      r[i] = a[order[i]];
    }
    return r;
  }

  static int[] permute(int[] a, int[] order) {
    int[] r = new int[a.length];
    for (int i = 0; i < a.length; i++) {
      r[i] = a[order[i]];
    }
    return r;
  }

  static int atLeastOne(double expected, double fraction) {
    if (fraction <= 0) {
      return 0;
    }
    return (int) Math.max(1, Math.round(expected));
  }

  private void buildNetworkPools() {
    List<GeneratorNetworks.Network> all = GeneratorNetworks.all();
    List<Integer> v4 = new ArrayList<>();
    List<Integer> v6 = new ArrayList<>();
    List<Integer> ex = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      excludedNet[i] = GeneratorNetworks.isExcludedCountry(i);
      edgesByNet[i + 2] = EDGES.getOrDefault(all.get(i).countryIso(), EDGES.get(""));
    }
    edgesByNet[0] = EDGES.get("");
    edgesByNet[1] = EDGES.get("");
    for (int i = 0; i < all.size(); i++) {
      if (GeneratorNetworks.isExcludedCountry(i)) {
        ex.add(i);
      } else if (all.get(i).isIpv6()) {
        v6.add(i);
      } else {
        v4.add(i);
      }
    }
    v4Allowed = v4.stream().mapToInt(Integer::intValue).toArray();
    v6Allowed = v6.stream().mapToInt(Integer::intValue).toArray();
    excludedNets = ex.stream().mapToInt(Integer::intValue).toArray();
    v4Cum = cumulative(v4Allowed);
    v6Cum = cumulative(v6Allowed);
    exCum = cumulative(excludedNets);
  }

  static long[] cumulative(int[] nets) {
    long[] c = new long[nets.length];
    long t = 0;
    for (int i = 0; i < nets.length; i++) {
      t += GeneratorNetworks.weight(nets[i]);
      c[i] = t;
    }
    return c;
  }

  static int pickWeighted(int[] nets, long[] cum, SplittableRandom r) {
    long x = r.nextLong(cum[cum.length - 1]);
    for (int i = 0; i < cum.length; i++) {
      if (x < cum[i]) {
        return nets[i];
      }
    }
    return nets[nets.length - 1];
  }

  /** Sets ip/net of server s to a fresh address suitable for its category. */
  void assignAddress(int s, SplittableRandom r) {
    byte c = category[s];
    if (c == RESTRICTED) {
      ip[s] = GeneratorNetworks.RESTRICTED_IP;
      net[s] = NET_RESTRICTED;
      return;
    }
    if (c == EXCL_COUNTRY) {
      int k = pickWeighted(excludedNets, exCum, r);
      ip[s] = GeneratorNetworks.randomAddress(k, r);
      net[s] = k;
      return;
    }
    double x = r.nextDouble();
    if (x < cfg.unknownNetworkFraction) {
      int u = r.nextInt(GeneratorNetworks.UNMAPPED_RANGES.size());
      ip[s] = GeneratorNetworks.randomUnmappedAddress(u, r);
      net[s] = NET_UNKNOWN;
    } else if (x < cfg.unknownNetworkFraction + cfg.ipv6Fraction) {
      int k = pickWeighted(v6Allowed, v6Cum, r);
      ip[s] = GeneratorNetworks.randomAddress(k, r);
      net[s] = k;
    } else {
      int k = pickWeighted(v4Allowed, v4Cum, r);
      ip[s] = GeneratorNetworks.randomAddress(k, r);
      net[s] = k;
    }
  }

  private final Map<String, Build> builds = new HashMap<>();

  Build build(String text) {
    Build b = builds.get(text);
    if (b == null) {
      b = new Build(text);
      if (!b.custom) {
        int i = majorMinors.indexOf(b.majorMinor);
        if (i < 0) {
          i = majorMinors.size();
          majorMinors.add(b.majorMinor);
        }
        b.majorMinorIdx = i;
      }
      builds.put(text, b);
    }
    return b;
  }

  private String acceptedBuild(SplittableRandom r) {
    int total = 0;
    for (int w : RELEASE_WEIGHTS) {
      total += w;
    }
    int x = r.nextInt(total);
    int i = 0;
    while (x >= RELEASE_WEIGHTS[i]) {
      x -= RELEASE_WEIGHTS[i++];
    }
    String v = RELEASES[i];
    double f = r.nextDouble();
    if (f < 0.40) {
      return v + "." + v; // six parts
    } else if (f < 0.55) {
      return v;
    } else if (f < 0.90) {
      return v + "." + buildNumber(r);
    } else {
      LocalDate day = cfg.from().minusDays(10 + r.nextInt(80));
      return v + ".cloud-" + day + "-" + (1 + r.nextInt(3));
    }
  }

  static String buildNumber(SplittableRandom r) {
    return Long.toString(10_000_000_000L + r.nextLong(89_999_999_999L));
  }

  /** The next patch release in the same build format, or the same build if there is none. */
  String upgraded(String b, SplittableRandom r) {
    String[] p = b.split("\\.");
    int patch = Integer.parseInt(p[2]);
    if (patch >= 99) {
      return b;
    }
    String v = p[0] + "." + p[1] + "." + (patch + 1);
    if (p.length == 3) {
      return v;
    }
    if (p.length == 6) {
      return v + "." + v;
    }
    if (p[3].startsWith("cloud-")) {
      return v + ".cloud-" + cfg.from().minusDays(1 + r.nextInt(9)) + "-1";
    }
    return v + "." + buildNumber(r);
  }
}

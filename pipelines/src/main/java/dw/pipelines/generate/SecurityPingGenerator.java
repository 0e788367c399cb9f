package dw.pipelines.generate;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Deterministic generator of CloudFront standard access logs for the Mattermost security-update-check pings
 * (domain.md §1), together with the ground truth computed from the generator's own model.
 *
 * <p>Output under {@link Config#output()}:
 * <ul>
 *   <li>{@code <dist>/<dist>.YYYY-MM-DD-HH.<8 hex>.gz}: gzip, TAB-separated, {@code #Version}/{@code #Fields}
 *       headers, one request per line. Distribution 0 uses the older 26-field layout on the first day.</li>
 *   <li>{@code _truth/security_daily_totals.csv}, {@code _truth/security_server_daily.csv},
 *       {@code _truth/summary.json}.</li>
 * </ul>
 *
 * <p>The same {@link Config} (including the seed) always gives byte-identical output.
 */
public final class SecurityPingGenerator {

  /** The #Fields names of the current 33-field layout (AWS docs, verbatim). */
  public static final List<String> FIELDS_33 = List.of(
      "date", "time", "x-edge-location", "sc-bytes", "c-ip", "cs-method", "cs(Host)", "cs-uri-stem", "sc-status",
      "cs(Referer)", "cs(User-Agent)", "cs-uri-query", "cs(Cookie)", "x-edge-result-type", "x-edge-request-id",
      "x-host-header", "cs-protocol", "cs-bytes", "time-taken", "x-forwarded-for", "ssl-protocol", "ssl-cipher",
      "x-edge-response-result-type", "cs-protocol-version", "fle-status", "fle-encrypted-fields", "c-port",
      "time-to-first-byte", "x-edge-detailed-result-type", "sc-content-type", "sc-content-len", "sc-range-start",
      "sc-range-end");
  /** The older 26-field layout: the first 26 names. */
  public static final List<String> FIELDS_26 = FIELDS_33.subList(0, 26);

  public static final String VERSION_HEADER = "#Version: 1.0";
  public static final String FIELDS_HEADER_33 = "#Fields: " + String.join(" ", FIELDS_33);
  public static final String FIELDS_HEADER_26 = "#Fields: " + String.join(" ", FIELDS_26);

  /** Folder for the ground truth; never matches the CloudFront file-name pattern. */
  public static final String TRUTH_DIR = "_truth";
  public static final String DAILY_TOTALS_CSV = "security_daily_totals.csv";
  public static final String SERVER_DAILY_CSV = "security_server_daily.csv";
  public static final String SUMMARY_JSON = "summary.json";

  public static final String DAILY_TOTALS_HEADER = "log_date,version,edition,database_type,operating_system,"
      + "country_iso,active_servers,active_users,max_active_users,registered_users";
  public static final String SERVER_DAILY_HEADER = "log_date,server_id,pings,active_users,max_active_users,"
      + "distinct_ips,distinct_versions,exclusion_reasons,latest_version_full,latest_country_iso";

  /** Filter counters, in the pipeline's precedence order. */
  public static final List<String> FILTER_REASONS =
      List.of("not_security_path", "not_get", "not_go_client", "test_query", "missing_server_id");
  /** Dead-letter counters. Garbage lines (one token, no TAB) are counted as too_few_fields. */
  public static final List<String> DEAD_LETTER_REASONS =
      List.of("too_few_fields", "bad_timestamp", "bad_number_auc", "bad_number_uc", "bad_number_tc");

  private static final Pattern LOG_NAME = Pattern.compile("(.+)\\.\\d{4}-\\d{2}-\\d{2}-\\d{2}\\.[0-9a-f]{8}\\.gz");
  private static final String[] DIST_IDS = {"E1ABCDEF2GHIJK", "E2XYZ7QRSTUVWL", "E3MNBV4CXZLKJH", "E4POIU5YTREWQA"};
  private static final String[] DIST_HOSTS = {
    "d2hxq6v3example.cloudfront.net", "d3kq7w1zexample.cloudfront.net",
    "d1pm4r8nexample.cloudfront.net", "d9tz2c5vexample.cloudfront.net"};

  // ------------------------------------------------------------------------------------------------------------
  // Config and Result
  // ------------------------------------------------------------------------------------------------------------

  /** Generator settings. Fluent setters; every knob has a default. */
  public static final class Config {
    private Path output;
    private LocalDate from = LocalDate.of(2026, 10, 1);
    private LocalDate to = LocalDate.of(2026, 10, 3);
    private int servers = 2000;
    private long seed = 42;
    private int distributions = 2;
    private int filesPerHour = 2;
    private boolean overwrite;
    private boolean oldLayoutFirstDay = true;
    private int threads = Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()));

    // server population (fractions of all servers; each excluded category gets at least one server)
    private double activeDayProbability = 0.95;
    private double twoPingFraction = 0.22;
    private double threePingFraction = 0.08;
    private double ipv6Fraction = 0.08;
    private double unknownNetworkFraction = 0.04;
    private double ranUnitTestsFraction = 0.01;
    private double customBuildFraction = 0.01;
    private double aucExceedsUcFraction = 0.005;
    private double invalidIdFraction = 0.004;
    private double restrictedIpFraction = 0.002;
    private double excludedCountryFraction = 0.02;
    private double missingBeFraction = 0.002;
    private double missingDbFraction = 0.002;
    private double emptyOsFraction = 0.002;
    // ping features (each happens at least once per day)
    private double missingCountsFraction = 0.03;
    private double duplicateFraction = 0.004;
    private double boundaryFraction = 0.003;
    private double status000Fraction = 0.003;
    private double strayTabFraction = 0.002;
    private double ipChangeFraction = 0.05;
    private double versionChangeFraction = 0.03;
    private double overnightIpChangeFraction = 0.01;
    private double overnightUpgradeFraction = 0.003;
    // noise lines per ping line (each category at least once per day)
    private double bulletinRate = 0.03;
    private double faviconRate = 0.01;
    private double otherPathRate = 0.002;
    private double nonGoClientRate = 0.004;
    private double testQueryRate = 0.002;
    private double notGetRate = 0.002;
    private double missingIdRate = 0.006;
    // malformed lines per ping line
    private double truncatedRate = 0.002;
    private double garbageRate = 0.003;
    private double badTimestampRate = 0.0008;
    private double badNumberRate = 0.0008;

    public Config(Path output) {
      this.output = Objects.requireNonNull(output, "output");
    }

    public Path output() { return output; }
    public LocalDate from() { return from; }
    public LocalDate to() { return to; }
    public int servers() { return servers; }
    public long seed() { return seed; }
    public int distributions() { return distributions; }
    public int filesPerHour() { return filesPerHour; }
    public boolean overwrite() { return overwrite; }
    public boolean oldLayoutFirstDay() { return oldLayoutFirstDay; }
    public int threads() { return threads; }

    public Config output(Path v) { output = Objects.requireNonNull(v); return this; }
    public Config from(LocalDate v) { from = Objects.requireNonNull(v); return this; }
    public Config to(LocalDate v) { to = Objects.requireNonNull(v); return this; }
    public Config servers(int v) { servers = v; return this; }
    public Config seed(long v) { seed = v; return this; }
    public Config distributions(int v) { distributions = v; return this; }
    public Config filesPerHour(int v) { filesPerHour = v; return this; }
    /** Replace earlier generated logs and truth in the output folder (only files named like them). */
    public Config overwrite(boolean v) { overwrite = v; return this; }
    /** Distribution 0 writes the older 26-field layout on the first day (default true). */
    public Config oldLayoutFirstDay(boolean v) { oldLayoutFirstDay = v; return this; }
    /** Threads that gzip files (output does not depend on it). Default min(2, cores). */
    public Config threads(int v) { threads = v; return this; }

    public Config activeDayProbability(double v) { activeDayProbability = v; return this; }
    public Config twoPingFraction(double v) { twoPingFraction = v; return this; }
    public Config threePingFraction(double v) { threePingFraction = v; return this; }
    public Config ipv6Fraction(double v) { ipv6Fraction = v; return this; }
    public Config unknownNetworkFraction(double v) { unknownNetworkFraction = v; return this; }
    public Config ranUnitTestsFraction(double v) { ranUnitTestsFraction = v; return this; }
    public Config customBuildFraction(double v) { customBuildFraction = v; return this; }
    public Config aucExceedsUcFraction(double v) { aucExceedsUcFraction = v; return this; }
    public Config invalidIdFraction(double v) { invalidIdFraction = v; return this; }
    public Config restrictedIpFraction(double v) { restrictedIpFraction = v; return this; }
    public Config excludedCountryFraction(double v) { excludedCountryFraction = v; return this; }
    public Config missingBeFraction(double v) { missingBeFraction = v; return this; }
    public Config missingDbFraction(double v) { missingDbFraction = v; return this; }
    public Config emptyOsFraction(double v) { emptyOsFraction = v; return this; }
    public Config missingCountsFraction(double v) { missingCountsFraction = v; return this; }
    public Config duplicateFraction(double v) { duplicateFraction = v; return this; }
    public Config boundaryFraction(double v) { boundaryFraction = v; return this; }
    public Config status000Fraction(double v) { status000Fraction = v; return this; }
    public Config strayTabFraction(double v) { strayTabFraction = v; return this; }
    public Config ipChangeFraction(double v) { ipChangeFraction = v; return this; }
    public Config versionChangeFraction(double v) { versionChangeFraction = v; return this; }
    public Config overnightIpChangeFraction(double v) { overnightIpChangeFraction = v; return this; }
    public Config overnightUpgradeFraction(double v) { overnightUpgradeFraction = v; return this; }
    public Config bulletinRate(double v) { bulletinRate = v; return this; }
    public Config faviconRate(double v) { faviconRate = v; return this; }
    public Config otherPathRate(double v) { otherPathRate = v; return this; }
    public Config nonGoClientRate(double v) { nonGoClientRate = v; return this; }
    public Config testQueryRate(double v) { testQueryRate = v; return this; }
    public Config notGetRate(double v) { notGetRate = v; return this; }
    public Config missingIdRate(double v) { missingIdRate = v; return this; }
    public Config truncatedRate(double v) { truncatedRate = v; return this; }
    public Config garbageRate(double v) { garbageRate = v; return this; }
    public Config badTimestampRate(double v) { badTimestampRate = v; return this; }
    public Config badNumberRate(double v) { badNumberRate = v; return this; }

    /** Distribution ids used for this config. */
    public List<String> distributionIds() {
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < distributions; i++) {
        ids.add(distributionId(i, seed));
      }
      return ids;
    }

    void validate() {
      if (to.isBefore(from)) {
        throw new IllegalArgumentException("to (" + to + ") is before from (" + from + ")");
      }
      if (servers < 1) {
        throw new IllegalArgumentException("servers must be >= 1");
      }
      if (distributions < 1 || distributions > 26) {
        throw new IllegalArgumentException("distributions must be 1..26");
      }
      if (filesPerHour < 1 || filesPerHour > 64) {
        throw new IllegalArgumentException("filesPerHour must be 1..64");
      }
      if (threads < 1 || threads > 64) {
        throw new IllegalArgumentException("threads must be 1..64");
      }
    }
  }

  /** What was written, with the counts a pipeline reading the logs must arrive at. */
  public record Result(
      Path output,
      Path dailyTotalsCsv,
      Path serverDailyCsv,
      Path summaryJson,
      int files,
      long linesRead,
      long headerLines,
      long parsedPings,
      Map<String, Long> filtered,
      long deadLettered,
      Map<String, Long> deadLetterReasons,
      Map<String, Long> generated,
      long elapsedNanos) {

    public long filteredTotal() {
      return filtered.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Lines (including headers) written per second of wall time. */
    public double linesPerSecond() {
      return elapsedNanos <= 0 ? 0 : linesRead * 1e9 / elapsedNanos;
    }

    /** The summary.json content (without timing). */
    public Map<String, Object> summary() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("files", files);
      m.put("lines_read", linesRead);
      m.put("header_lines", headerLines);
      m.put("parsed_pings", parsedPings);
      m.put("filtered", filtered);
      m.put("dead_lettered", deadLettered);
      m.put("dead_letter_reasons", deadLetterReasons);
      m.put("generated", generated);
      return m;
    }

    /** One-line JSON with the summary, the paths and the speed. */
    public String toJson() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("output", output.toString());
      m.putAll(summary());
      m.put("truth", List.of(dailyTotalsCsv.toString(), serverDailyCsv.toString(), summaryJson.toString()));
      m.put("seconds", Math.round(elapsedNanos / 1e6) / 1e3);
      m.put("lines_per_second", Math.round(linesPerSecond()));
      try {
        return new ObjectMapper().writeValueAsString(m);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  // ------------------------------------------------------------------------------------------------------------
  // Model
  // ------------------------------------------------------------------------------------------------------------

  private static final byte NORMAL = 0;
  private static final byte RAN_TESTS = 1;
  private static final byte CUSTOM = 2;
  private static final byte AUC_GT_UC = 3;
  private static final byte BAD_ID = 4;
  private static final byte RESTRICTED = 5;
  private static final byte EXCL_COUNTRY = 6;
  private static final String[] CATEGORY_NAMES =
      {"normal", "ran_unit_tests", "custom_build", "auc_exceeds_uc", "invalid_id", "restricted_ip", "excluded_country"};

  private static final int NET_RESTRICTED = -2;
  private static final int NET_UNKNOWN = -1;

  private static final String ID_ALPHABET = "ybndrfg8ejkmcpqxot1uwisza345h769";
  private static final String[] RELEASES = {
    "7.8.15", "8.1.13", "9.0.6", "9.3.4", "9.5.3", "9.5.11", "9.8.2", "9.11.6", "10.0.3", "10.2.1", "10.5.1",
    "10.5.4", "10.7.2", "10.8.1", "10.9.0"};
  private static final int[] RELEASE_WEIGHTS = {1, 2, 2, 2, 5, 4, 4, 7, 6, 6, 8, 9, 8, 10, 6};
  private static final String[] CUSTOM_BUILDS = {
    "9.8.0.dev", "9.5.3.9.5", "10.0.0.abc", "9.11.1.123456789", "7.8.100", "10.2.0.cloud-2024-4-30-1",
    "9.5.3.9.5.3.1"};
  private static final String[] GO_UA = {"Go-http-client/1.1", "Go-http-client/2.0"};
  private static final String[] NON_GO_UA = {
    "curl/7.81.0",
    "Mozilla/5.0%20(Windows%20NT%2010.0;%20Win64;%20x64)%20AppleWebKit/537.36%20(KHTML,%20like%20Gecko)"
        + "%20Chrome/124.0.0.0%20Safari/537.36",
    "Mozilla/5.0%2520(X11;%2520Linux%2520x86_64;%2520rv:125.0)%2520Gecko/20100101%2520Firefox/125.0",
    "python-requests/2.31.0"};
  private static final String[] BROWSER_UA = {
    NON_GO_UA[1],
    "Mozilla/5.0%20(Macintosh;%20Intel%20Mac%20OS%20X%2010_15_7)%20AppleWebKit/605.1.15%20(KHTML,%20like%20Gecko)"
        + "%20Version/17.4%20Safari/605.1.15"};
  private static final String[] OTHER_PATHS = {"/", "/robots.txt", "/.env", "/wp-login.php"};

  /** Edge locations per country (first three letters are an airport code near the client). */
  private static final Map<String, String[]> EDGES = new HashMap<>();

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
  private static final class Build {
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

  /** One ping (a request that a correct pipeline keeps). */
  private static final class Ping {
    final int server;
    final int day;
    int sec;
    String ip;
    int net;
    Build build;
    int uc;
    int tc;
    int auc;
    boolean status000;
    boolean duplicate;
    boolean strayTab;
    boolean boundary;
    final long seed;

    Ping(int server, int day, int sec, long seed) {
      this.server = server;
      this.day = day;
      this.sec = sec;
      this.seed = seed;
    }
  }

  /** A request rendered into CloudFront fields. */
  private static final class Req {
    String date;
    int sec;
    /** Replaces the formatted time when not null (bad timestamps). */
    String timeText;
    String edge;
    int scBytes;
    String ip;
    String method;
    String host;
    String stem;
    String status;
    String ua;
    String query;
    String resultType;
    String detailedResultType;
    /** Pre-built request id, or null to derive it from {@link #requestIdSeed}. */
    String requestId;
    long requestIdSeed;
    int csBytes;
    int timeTakenMs;
    String sslProtocol;
    String sslCipher;
    String protocolVersion;
    int port;
    String contentType;
    String contentLen;
  }

  /** One output line: a ping, a pre-built request, or raw text. */
  private static final class Line {
    final Ping ping;
    final Req req;
    final String raw;
    final int slot;
    final boolean strayTab;

    Line(Ping ping, Req req, String raw, int slot, boolean strayTab) {
      this.ping = ping;
      this.req = req;
      this.raw = raw;
      this.slot = slot;
      this.strayTab = strayTab;
    }
  }

  private final Config cfg;
  private final int n;
  private final int days;
  private final String[] dates;
  private final int slots;

  // servers
  private String[] ids;
  private byte[] category;
  private byte[] uaIdx;
  private byte[] be; // 1 true, 0 false, -1 missing
  private String[] db; // null = missing
  private String[] os; // "" = empty
  private int[] baseUc;
  private int[] growth;
  private int[] baseTc;
  private float[] activeRatio;
  private byte[] dist;
  private Build[] build;
  /** Reasons that depend only on the server (unit tests, id length). */
  private int[] serverBits;
  private byte[] dbIdx;
  private byte[] osIdx;
  private String[] ip;
  private int[] net;
  private final Map<String, Boolean> acceptedBuildCache = new HashMap<>();

  // file writing (gzip is the bottleneck, so files are compressed on a small pool)
  private ExecutorService writers;
  private List<Future<?>> previousDayWrites = new ArrayList<>();
  private List<Future<?>> currentDayWrites = new ArrayList<>();

  // allowed networks for normal servers
  private final boolean[] excludedNet = new boolean[GeneratorNetworks.all().size()];
  private final String[][] edgesByNet = new String[GeneratorNetworks.all().size() + 2][];
  private int[] v4Allowed;
  private int[] v6Allowed;
  private int[] excludedNets;
  private long[] v4Cum;
  private long[] v6Cum;
  private long[] exCum;

  // counters
  private final long[] filtered = new long[FILTER_REASONS.size()];
  private final long[] dead = new long[DEAD_LETTER_REASONS.size()];
  /** Informational counters of what was generated (insertion order = summary order). */
  private final Map<String, long[]> generated = new LinkedHashMap<>();
  private long parsedPings;
  private long linesWritten;
  private long headerLines;
  private int files;

  // truth writers
  private AsciiOut totalsOut;
  private AsciiOut serverOut;

  public SecurityPingGenerator(Config cfg) {
    cfg.validate();
    this.cfg = cfg;
    this.n = cfg.servers();
    this.days = (int) ChronoUnit.DAYS.between(cfg.from(), cfg.to()) + 1;
    this.dates = new String[days];
    for (int d = 0; d < days; d++) {
      dates[d] = cfg.from().plusDays(d).toString();
    }
    this.slots = cfg.distributions() * cfg.filesPerHour();
  }

  /** Distribution id number {@code i} (fixed for the first four, derived from the seed beyond). */
  static String distributionId(int i, long seed) {
    if (i < DIST_IDS.length) {
      return DIST_IDS[i];
    }
    SplittableRandom r = new SplittableRandom(mix(seed, 0xD157, i));
    StringBuilder sb = new StringBuilder("E").append((char) ('A' + (i % 26)));
    String chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    while (sb.length() < 14) {
      sb.append(chars.charAt(r.nextInt(chars.length())));
    }
    return sb.toString();
  }

  private static String distributionHost(int i) {
    return i < DIST_HOSTS.length ? DIST_HOSTS[i] : "d" + Integer.toString(1000 + i, 36) + "example.cloudfront.net";
  }

  // ------------------------------------------------------------------------------------------------------------
  // Generation
  // ------------------------------------------------------------------------------------------------------------

  /** Writes the logs and the truth. */
  public Result generate() throws IOException {
    long t0 = System.nanoTime();
    Path out = cfg.output();
    prepareOutput(out);
    Path truth = out.resolve(TRUTH_DIR);
    Files.createDirectories(truth);
    List<String> distIds = cfg.distributionIds();
    for (String id : distIds) {
      Files.createDirectories(out.resolve(id));
    }
    for (String k : List.of("servers", "days", "server_days", "ping_lines", "duplicate_lines", "boundary_lines",
        "day_boundary_lines", "stray_tab_lines", "status_000_lines", "ipv6_ping_lines", "unknown_country_ping_lines",
        "missing_count_param_pings", "ip_changes_within_day", "version_changes_within_day",
        "server_days_latest_below_max", "old_layout_files", "bulletin_lines", "favicon_lines", "other_path_lines",
        "non_go_client_lines", "test_query_lines", "not_get_lines", "missing_id_lines", "truncated_lines",
        "garbage_lines", "bad_timestamp_lines", "bad_number_lines")) {
      generated.put(k, new long[1]);
    }
    for (String c : CATEGORY_NAMES) {
      generated.put("servers_" + c, new long[1]);
    }

    createServers();
    bump("servers", n);
    bump("days", days);

    Path totalsPath = truth.resolve(DAILY_TOTALS_CSV);
    Path serverPath = truth.resolve(SERVER_DAILY_CSV);
    Path summaryPath = truth.resolve(SUMMARY_JSON);
    try (OutputStream tw = Files.newOutputStream(totalsPath);
        OutputStream sw = Files.newOutputStream(serverPath)) {
      totalsOut = new AsciiOut(tw, 1 << 16);
      serverOut = new AsciiOut(sw, 1 << 16);
      totalsOut.s(DAILY_TOTALS_HEADER).c('\n');
      serverOut.s(SERVER_DAILY_HEADER).c('\n');

      writers = cfg.threads() > 1 ? Executors.newFixedThreadPool(cfg.threads(), r -> {
        Thread t = new Thread(r, "generate-gzip");
        t.setDaemon(true);
        return t;
      }) : null;
      List<Line> pendingPrevHour23 = null;
      for (int d = 0; d < days; d++) {
        @SuppressWarnings("unchecked")
        List<Line>[] hours = new List[24];
        for (int h = 0; h < 24; h++) {
          hours[h] = new ArrayList<>();
        }
        List<Line> prev = pendingPrevHour23 != null ? pendingPrevHour23 : new ArrayList<>();
        generateDay(d, hours, prev);
        if (d > 0) {
          writeHour(distIds, d - 1, 23, prev);
        }
        for (int h = 0; h < 23; h++) {
          writeHour(distIds, d, h, hours[h]);
        }
        pendingPrevHour23 = hours[23];
        // at most two days of lines in memory: wait for the previous day's files
        awaitWrites(previousDayWrites);
        previousDayWrites = currentDayWrites;
        currentDayWrites = new ArrayList<>();
      }
      writeHour(distIds, days - 1, 23, pendingPrevHour23);
      awaitWrites(previousDayWrites);
      awaitWrites(currentDayWrites);
      totalsOut.flush();
      serverOut.flush();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    } finally {
      if (writers != null) {
        writers.shutdownNow();
      }
    }

    long filteredTotal = Arrays.stream(filtered).sum();
    long deadTotal = Arrays.stream(dead).sum();
    if (linesWritten != headerLines + parsedPings + filteredTotal + deadTotal) {
      throw new IllegalStateException("line accounting broken: " + linesWritten + " != " + headerLines + "+"
          + parsedPings + "+" + filteredTotal + "+" + deadTotal);
    }
    Map<String, Long> f = new LinkedHashMap<>();
    for (int i = 0; i < filtered.length; i++) {
      f.put(FILTER_REASONS.get(i), filtered[i]);
    }
    Map<String, Long> dl = new LinkedHashMap<>();
    for (int i = 0; i < dead.length; i++) {
      dl.put(DEAD_LETTER_REASONS.get(i), dead[i]);
    }
    Result partial = new Result(out, totalsPath, serverPath, summaryPath, files, linesWritten, headerLines,
        parsedPings, f, deadTotal, dl, generatedSnapshot(), 0);
    new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(summaryPath.toFile(), partial.summary());
    return new Result(out, totalsPath, serverPath, summaryPath, files, linesWritten, headerLines, parsedPings,
        f, deadTotal, dl, generatedSnapshot(), System.nanoTime() - t0);
  }

  private void prepareOutput(Path out) throws IOException {
    if (!Files.exists(out)) {
      Files.createDirectories(out);
      return;
    }
    if (!Files.isDirectory(out)) {
      throw new IOException("output is not a directory: " + out);
    }
    boolean empty;
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(out)) {
      empty = !ds.iterator().hasNext();
    }
    if (empty) {
      return;
    }
    if (!cfg.overwrite()) {
      throw new IOException("output directory is not empty (use overwrite): " + out);
    }
    // Delete only what this generator writes: <dir>/<dir>.YYYY-MM-DD-HH.<hex>.gz and the truth files.
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(out)) {
      for (Path dir : ds) {
        if (!Files.isDirectory(dir)) {
          continue;
        }
        String dname = dir.getFileName().toString();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
          for (Path f : files) {
            var m = LOG_NAME.matcher(f.getFileName().toString());
            if ((m.matches() && m.group(1).equals(dname))
                || (dname.equals(TRUTH_DIR) && Set.of(DAILY_TOTALS_CSV, SERVER_DAILY_CSV, SUMMARY_JSON)
                    .contains(f.getFileName().toString()))) {
              Files.delete(f);
            }
          }
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
          if (!files.iterator().hasNext()) {
            Files.delete(dir);
          }
        }
      }
    }
  }

  private void bump(String key, long by) {
    generated.get(key)[0] += by;
  }

  private Map<String, Long> generatedSnapshot() {
    Map<String, Long> m = new LinkedHashMap<>();
    generated.forEach((k, v) -> m.put(k, v[0]));
    return m;
  }

  private void createServers() {
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
      bump("servers_" + CATEGORY_NAMES[c], cnt);
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

  private static <T> T[] permute(T[] a, int[] order, java.util.function.IntFunction<T[]> make) {
    T[] r = make.apply(a.length);
    for (int i = 0; i < a.length; i++) {
      r[i] = a[order[i]];
    }
    return r;
  }

  private static byte[] permute(byte[] a, int[] order) {
    byte[] r = new byte[a.length];
    for (int i = 0; i < a.length; i++) {
      r[i] = a[order[i]];
    }
    return r;
  }

  private static int[] permute(int[] a, int[] order) {
    int[] r = new int[a.length];
    for (int i = 0; i < a.length; i++) {
      r[i] = a[order[i]];
    }
    return r;
  }

  private static int atLeastOne(double expected, double fraction) {
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

  private static long[] cumulative(int[] nets) {
    long[] c = new long[nets.length];
    long t = 0;
    for (int i = 0; i < nets.length; i++) {
      t += GeneratorNetworks.weight(nets[i]);
      c[i] = t;
    }
    return c;
  }

  private static int pickWeighted(int[] nets, long[] cum, SplittableRandom r) {
    long x = r.nextLong(cum[cum.length - 1]);
    for (int i = 0; i < cum.length; i++) {
      if (x < cum[i]) {
        return nets[i];
      }
    }
    return nets[nets.length - 1];
  }

  /** Sets ip/net of server s to a fresh address suitable for its category. */
  private void assignAddress(int s, SplittableRandom r) {
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

  private Build build(String text) {
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

  private static String buildNumber(SplittableRandom r) {
    return Long.toString(10_000_000_000L + r.nextLong(89_999_999_999L));
  }

  /** The next patch release in the same build format, or the same build if there is none. */
  private String upgraded(String b, SplittableRandom r) {
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

  static long mix(long seed, long a, long b) {
    long z = seed * 0x9E3779B97F4A7C15L + a * 0xBF58476D1CE4E5B9L + b * 0x94D049BB133111EBL;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  private static int[] pickDistinct(SplittableRandom r, int size, int count) {
    count = Math.min(count, size);
    if (count <= 0) {
      return new int[0];
    }
    Set<Integer> chosen = new HashSet<>();
    int[] out = new int[count];
    int k = 0;
    while (k < count) {
      int i = r.nextInt(size);
      if (chosen.add(i)) {
        out[k++] = i;
      }
    }
    Arrays.sort(out);
    return out;
  }

  private static int countFor(double fraction, int population) {
    if (fraction <= 0 || population <= 0) {
      return 0;
    }
    return (int) Math.max(1, Math.round(fraction * population));
  }

  private void generateDay(int d, List<Line>[] hours, List<Line> prevHour23) throws IOException {
    SplittableRandom r = new SplittableRandom(mix(cfg.seed(), 0xDA7, d));
    List<Ping> pings = new ArrayList<>((int) (n * 1.4));
    List<int[]> groups = new ArrayList<>(n); // {start, end}
    int[] secs = new int[3];
    for (int s = 0; s < n; s++) {
      if (r.nextDouble() < cfg.activeDayProbability) {
        addServerDay(d, s, r, pings, groups, secs);
      }
    }

    // within-day changes on multi-ping server-days: later pings come from a new address / a newer build
    List<Integer> multiAddr = new ArrayList<>();
    List<Integer> multiNormal = new ArrayList<>();
    List<Integer> single = new ArrayList<>();
    for (int g = 0; g < groups.size(); g++) {
      int[] gr = groups.get(g);
      byte c = category[pings.get(gr[0]).server];
      if (gr[1] - gr[0] > 1) {
        if (c == NORMAL || c == EXCL_COUNTRY) {
          multiAddr.add(g);
        }
        if (c == NORMAL) {
          multiNormal.add(g);
        }
      } else {
        single.add(g);
      }
    }
    for (int gi : pickDistinct(r, multiAddr.size(), countFor(cfg.ipChangeFraction, multiAddr.size()))) {
      int[] gr = groups.get(multiAddr.get(gi));
      int s = pings.get(gr[0]).server;
      int split = gr[0] + 1 + r.nextInt(gr[1] - gr[0] - 1);
      assignAddress(s, r);
      for (int i = split; i < gr[1]; i++) {
        pings.get(i).ip = ip[s];
        pings.get(i).net = net[s];
      }
      bump("ip_changes_within_day", 1);
    }
    for (int gi : pickDistinct(r, multiNormal.size(), countFor(cfg.versionChangeFraction, multiNormal.size()))) {
      int[] gr = groups.get(multiNormal.get(gi));
      int s = pings.get(gr[0]).server;
      Build next = build(upgraded(build[s].text, r));
      if (next == build[s]) {
        continue;
      }
      build[s] = next;
      int split = gr[0] + 1 + r.nextInt(gr[1] - gr[0] - 1);
      for (int i = split; i < gr[1]; i++) {
        pings.get(i).build = next;
      }
      bump("version_changes_within_day", 1);
    }
    // requests that finish just past the hour: time HH:00:0x, written in the file of hour HH-1
    int[] boundary = pickDistinct(r, single.size(), countFor(cfg.boundaryFraction, single.size()));
    for (int bi = 0; bi < boundary.length; bi++) {
      Ping p = pings.get(groups.get(single.get(boundary[bi]))[0]);
      int h;
      if (d > 0 && bi == 0) {
        h = 0; // across the day boundary: date D+1 00:00:0x in file D-23
      } else {
        h = d > 0 ? r.nextInt(24) : 1 + r.nextInt(23);
      }
      p.sec = h * 3600 + r.nextInt(10);
      p.boundary = true;
      bump("boundary_lines", 1);
      if (h == 0) {
        bump("day_boundary_lines", 1);
      }
    }
    for (int i : pickDistinct(r, pings.size(), countFor(cfg.duplicateFraction, pings.size()))) {
      pings.get(i).duplicate = true;
    }
    for (int i : pickDistinct(r, pings.size(), countFor(cfg.status000Fraction, pings.size()))) {
      pings.get(i).status000 = true;
    }
    for (int i : pickDistinct(r, pings.size(), countFor(cfg.strayTabFraction, pings.size()))) {
      pings.get(i).strayTab = true;
    }

    writeTruth(d, pings, groups);

    // place ping lines
    int fph = cfg.filesPerHour();
    for (Ping p : pings) {
      int key = d * 24 + p.sec / 3600 - (p.boundary ? 1 : 0);
      int slot = dist[p.server] * fph + r.nextInt(fph);
      place(d, key, new Line(p, null, null, slot, p.strayTab), hours, prevHour23);
      int copies = 1;
      if (p.duplicate) {
        // the copy goes to a (possibly other) file of the same hour and distribution: identical bytes
        place(d, key, new Line(p, null, null, dist[p.server] * fph + r.nextInt(fph), p.strayTab), hours,
            prevHour23);
        copies = 2;
        bump("duplicate_lines", 1);
      }
      parsedPings += copies;
      bump("ping_lines", copies);
      if (p.strayTab) {
        bump("stray_tab_lines", copies);
      }
      if (p.status000) {
        bump("status_000_lines", copies);
      }
      if (p.ip.indexOf(':') >= 0) {
        bump("ipv6_ping_lines", copies);
      }
      if (p.net < 0) {
        bump("unknown_country_ping_lines", copies);
      }
    }
    generateNoise(d, pings.size(), r, hours);
  }

  /** The pings of server {@code s} on day {@code d}: 1–3 at distinct seconds, in time order. */
  private void addServerDay(int d, int s, SplittableRandom r, List<Ping> pings, List<int[]> groups, int[] secs) {
    byte c = category[s];
    if (d > 0 && c == NORMAL && r.nextDouble() < cfg.overnightUpgradeFraction) {
      build[s] = build(upgraded(build[s].text, r));
    }
    if (d > 0 && (c == NORMAL || c == EXCL_COUNTRY) && r.nextDouble() < cfg.overnightIpChangeFraction) {
      assignAddress(s, r);
    }
    double kx = r.nextDouble();
    int k = kx < cfg.threePingFraction ? 3 : kx < cfg.threePingFraction + cfg.twoPingFraction ? 2 : 1;
    for (int j = 0; j < k; j++) {
      int sec;
      boolean clash;
      do {
        sec = r.nextInt(86_400);
        clash = false;
        for (int q = 0; q < j; q++) {
          clash |= secs[q] == sec;
        }
      } while (clash);
      secs[j] = sec;
    }
    Arrays.sort(secs, 0, k);
    int start = pings.size();
    int uc = baseUc[s] + d * growth[s];
    for (int j = 0; j < k; j++) {
      Ping p = new Ping(s, d, secs[j], r.nextLong());
      p.ip = ip[s];
      p.net = net[s];
      p.build = build[s];
      p.uc = uc + (j > 0 && r.nextDouble() < 0.3 ? 1 : 0);
      uc = p.uc;
      p.tc = baseTc[s];
      if (c == AUC_GT_UC) {
        p.auc = p.uc + 1 + r.nextInt(Math.max(1, p.uc / 2) + 1);
      } else {
        double ratio = activeRatio[s] + (r.nextDouble() - 0.5) * 0.3;
        p.auc = (int) Math.round(p.uc * Math.max(0, Math.min(1, ratio)));
      }
      if (c != AUC_GT_UC && r.nextDouble() < cfg.missingCountsFraction) {
        double m = r.nextDouble();
        if (m < 0.4) {
          p.auc = -1;
        } else if (m < 0.6) {
          p.uc = -1;
        } else if (m < 0.7) {
          p.tc = -1;
        } else {
          p.auc = -1;
          p.uc = -1;
          p.tc = -1;
        }
        bump("missing_count_param_pings", 1);
      }
      pings.add(p);
    }
    groups.add(new int[] {start, pings.size()});
  }

  private static void place(int d, int key, Line line, List<Line>[] hours, List<Line> prevHour23) {
    if (key == d * 24 - 1) {
      prevHour23.add(line);
    } else {
      hours[key - d * 24].add(line);
    }
  }

  // ------------------------------------------------------------------------------------------------------------
  // Truth
  // ------------------------------------------------------------------------------------------------------------

  private int reasonsOf(Ping p) {
    int bits = serverBits[p.server];
    if (p.build.custom) {
      bits |= GeneratorRules.CUSTOM_BUILD;
    }
    if (p.auc > p.uc && p.auc >= 0 && p.uc >= 0) {
      bits |= GeneratorRules.AUC_EXCEEDS_UC;
    }
    if (p.net == NET_RESTRICTED) {
      bits |= GeneratorRules.RESTRICTED_IP;
    } else if (p.net >= 0 && excludedNet[p.net]) {
      bits |= GeneratorRules.EXCLUDED_COUNTRY;
    }
    return bits;
  }

  /** Number of distinct values among {@code v[0..k)} (k is tiny). */
  private static int distinct(String[] v, int k) {
    int c = 0;
    outer:
    for (int i = 0; i < k; i++) {
      for (int j = 0; j < i; j++) {
        if (v[j].equals(v[i])) {
          continue outer;
        }
      }
      c++;
    }
    return c;
  }

  private static final String[] REASON_TEXT = new String[1 << GeneratorRules.REASON_CODES.size()];

  static {
    for (int i = 0; i < REASON_TEXT.length; i++) {
      REASON_TEXT[i] = csv(GeneratorRules.reasons(i));
    }
  }

  private static final String[] EDITIONS = {"Unknown", "TE", "E0"}; // index be + 1
  private static final List<String> DBS = Arrays.asList("unknown", "postgres", "mysql");
  private static final List<String> OSES = Arrays.asList("unknown", "linux", "windows", "darwin", "freebsd");
  private String[] countryByNet; // index net + 2 (restricted, unknown, networks...)
  private final List<String> majorMinors = new ArrayList<>();

  /** Writes the security_server_daily row of one server-day and adds it to the day's totals. */
  private void truthRow(String date, List<Ping> pings, int[] gr, String[] ipv, String[] ver,
      Map<Long, long[]> totals) {
    AsciiOut o = serverOut;
    Ping latest = pings.get(gr[0]);
    int count = 0;
    int maxAuc = -1;
    int bits = 0;
    int k = 0;
    for (int i = gr[0]; i < gr[1]; i++) {
      Ping p = pings.get(i);
      if (p.sec > latest.sec) {
        latest = p;
      }
      count += p.duplicate ? 2 : 1;
      maxAuc = Math.max(maxAuc, p.auc);
      bits |= reasonsOf(p);
      ipv[k] = p.ip;
      ver[k] = p.build.versionFull;
      k++;
    }
    int distinctVersions = k > 1 ? distinct(ver, k) : 1;
    int s = latest.server;
    if (maxAuc >= 0 && latest.auc != maxAuc) {
      bump("server_days_latest_below_max", 1);
    }
    int countryIdx = latest.net + 2;
    o.s(date).c(',').s(ids[s]).c(',').num(count).c(',');
    if (latest.auc >= 0) {
      o.num(latest.auc);
    }
    o.c(',');
    if (maxAuc >= 0) {
      o.num(maxAuc);
    }
    o.c(',').num(k > 1 ? distinct(ipv, k) : 1).c(',').num(distinctVersions).c(',')
        .s(REASON_TEXT[bits]).c(',').s(latest.build.versionFull).c(',').s(countryByNet[countryIdx]).c('\n');
    if (bits == 0) {
      long key = ((long) latest.build.majorMinorIdx << 32)
          | ((long) (be[s] + 1) << 24)
          | ((long) dbIdx[s] << 20)
          | ((long) osIdx[s] << 16)
          | (countryByNet[countryIdx].equals("unknown") ? 0 : countryIdx);
      long[] acc = totals.get(key);
      if (acc == null) {
        acc = new long[4];
        totals.put(key, acc);
      }
      acc[0]++;
      acc[1] += Math.max(0, latest.auc);
      acc[2] += Math.max(0, maxAuc);
      acc[3] += Math.max(0, latest.uc);
    }
  }

  private void writeTruth(int d, List<Ping> pings, List<int[]> groups) throws IOException {
    if (countryByNet == null) {
      List<GeneratorNetworks.Network> all = GeneratorNetworks.all();
      countryByNet = new String[all.size() + 2];
      countryByNet[0] = "unknown"; // restricted IP: in no network
      countryByNet[1] = "unknown";
      for (int i = 0; i < all.size(); i++) {
        countryByNet[i + 2] = all.get(i).countryIso();
      }
    }
    String date = dates[d];
    // breakdown key packed into a long: version index, edition, db, os, country (net index + 2)
    Map<Long, long[]> totals = new HashMap<>();
    String[] ipv = new String[8];
    String[] ver = new String[8];
    for (int[] gr : groups) { // servers are numbered in id order
      truthRow(date, pings, gr, ipv, ver, totals);
    }
    bump("server_days", groups.size());
    // sort by the column values (several network indexes can share a country: merge them first)
    Map<String, long[]> byText = new HashMap<>();
    for (Map.Entry<Long, long[]> e : totals.entrySet()) {
      long key = e.getKey();
      String text = majorMinors.get((int) (key >>> 32)) + "\0" + EDITIONS[(int) (key >>> 24 & 0xff)] + "\0"
          + DBS.get((int) (key >>> 20 & 0xf)) + "\0" + OSES.get((int) (key >>> 16 & 0xf)) + "\0"
          + countryByNet[(int) (key & 0xffff)];
      long[] acc = byText.computeIfAbsent(text, x -> new long[4]);
      for (int i = 0; i < 4; i++) {
        acc[i] += e.getValue()[i];
      }
    }
    // '\0' sorts below every character in the values, so sorting the joined text sorts column by column
    List<String> keys = new ArrayList<>(byText.keySet());
    keys.sort(Comparator.naturalOrder());
    for (String key : keys) {
      long[] a = byText.get(key);
      totalsOut.s(date).c(',').s(key.replace('\0', ',')).c(',').num(a[0]).c(',').num(a[1]).c(',').num(a[2])
          .c(',').num(a[3]).c('\n');
    }
  }

  /** RFC 4180 quoting when needed. */
  static String csv(String v) {
    if (v.indexOf(',') < 0 && v.indexOf('"') < 0 && v.indexOf('\n') < 0) {
      return v;
    }
    return '"' + v.replace("\"", "\"\"") + '"';
  }

  // ------------------------------------------------------------------------------------------------------------
  // Noise and malformed lines
  // ------------------------------------------------------------------------------------------------------------

  private void generateNoise(int d, int pingCount, SplittableRandom r, List<Line>[] hours) {
    // at least one bulletin fetch per hour and distribution, so every hour of every distribution has a file
    int nBulletin = Math.max(24 * cfg.distributions(), (int) Math.round(cfg.bulletinRate * pingCount));
    int nFavicon = Math.max(1, (int) Math.round(cfg.faviconRate * pingCount));
    int nOther = Math.max(1, (int) Math.round(cfg.otherPathRate * pingCount));
    int nNonGo = Math.max(NON_GO_UA.length, (int) Math.round(cfg.nonGoClientRate * pingCount));
    int nTest = Math.max(2, (int) Math.round(cfg.testQueryRate * pingCount));
    int nNotGet = Math.max(2, (int) Math.round(cfg.notGetRate * pingCount));
    int nMissingId = Math.max(3, (int) Math.round(cfg.missingIdRate * pingCount));
    int nTrunc = Math.max(1, (int) Math.round(cfg.truncatedRate * pingCount));
    int nGarbage = Math.max(1, (int) Math.round(cfg.garbageRate * pingCount));
    int nBadTs = Math.max(2, (int) Math.round(cfg.badTimestampRate * pingCount));
    int nBadNum = Math.max(3, (int) Math.round(cfg.badNumberRate * pingCount));
    int fNotPath = FILTER_REASONS.indexOf("not_security_path");

    for (int i = 0; i < nBulletin; i++) {
      Req q = baseNoise(d, r, GO_UA[r.nextInt(2)], true);
      q.stem = "/bulletins/MMSA-" + (2023 + r.nextInt(3)) + "-00" + (100 + r.nextInt(300));
      q.query = "-";
      q.scBytes = 900 + r.nextInt(1500);
      q.contentType = "application/json";
      q.contentLen = Integer.toString(q.scBytes - 470);
      int slot = -1;
      if (i < 24 * cfg.distributions()) {
        q.sec = i / cfg.distributions() * 3600 + r.nextInt(3600);
        slot = i % cfg.distributions() * cfg.filesPerHour() + r.nextInt(cfg.filesPerHour());
      }
      addNoise(q, r, hours, fNotPath, slot);
    }
    bump("bulletin_lines", nBulletin);
    for (int i = 0; i < nFavicon; i++) {
      Req q = baseNoise(d, r, BROWSER_UA[r.nextInt(BROWSER_UA.length)], false);
      q.stem = "/favicon.ico";
      q.query = "-";
      q.status = "403";
      q.resultType = "Error";
      q.detailedResultType = "Error";
      q.contentType = "application/xml";
      q.contentLen = "-";
      q.scBytes = 520 + r.nextInt(30);
      addNoise(q, r, hours, fNotPath);
    }
    bump("favicon_lines", nFavicon);
    for (int i = 0; i < nOther; i++) {
      Req q = baseNoise(d, r, i % 2 == 0 ? NON_GO_UA[0] : NON_GO_UA[3], false);
      q.stem = OTHER_PATHS[i % OTHER_PATHS.length];
      q.query = "-";
      q.status = "403";
      q.resultType = "Error";
      q.detailedResultType = "Error";
      addNoise(q, r, hours, fNotPath);
    }
    bump("other_path_lines", nOther);
    for (int i = 0; i < nNotGet; i++) {
      Req q = baseNoise(d, r, GO_UA[r.nextInt(2)], true);
      q.method = i % 3 == 2 ? "HEAD" : "POST";
      q.query = validQuery(r, null, null);
      q.status = "403";
      addNoise(q, r, hours, FILTER_REASONS.indexOf("not_get"));
    }
    bump("not_get_lines", nNotGet);
    for (int i = 0; i < nNonGo; i++) {
      Req q = baseNoise(d, r, NON_GO_UA[i % NON_GO_UA.length], true);
      q.query = validQuery(r, null, null);
      addNoise(q, r, hours, FILTER_REASONS.indexOf("not_go_client"));
    }
    bump("non_go_client_lines", nNonGo);
    for (int i = 0; i < nTest; i++) {
      Req q = baseNoise(d, r, GO_UA[r.nextInt(2)], true);
      if (i % 2 == 0) {
        q.query = validQuery(r, "b", "BUMP_RELEASE_" + RELEASES[r.nextInt(RELEASES.length)]);
      } else {
        q.query = validQuery(r, "b", RELEASES[r.nextInt(RELEASES.length)] + ".plyr-1." + (1000 + r.nextInt(9000)));
      }
      addNoise(q, r, hours, FILTER_REASONS.indexOf("test_query"));
    }
    bump("test_query_lines", nTest);
    for (int i = 0; i < nMissingId; i++) {
      Req q = baseNoise(d, r, GO_UA[r.nextInt(2)], true);
      switch (i % 3) {
        case 0 -> q.query = validQuery(r, "id", "");
        case 1 -> q.query = validQuery(r, "id", null);
        default -> q.query = "-";
      }
      addNoise(q, r, hours, FILTER_REASONS.indexOf("missing_server_id"));
    }
    bump("missing_id_lines", nMissingId);

    // malformed
    for (int i = 0; i < nTrunc; i++) {
      Req q = baseNoise(d, r, GO_UA[r.nextInt(2)], true);
      q.query = validQuery(r, null, null);
      AsciiOut mem = new AsciiOut(null, 1024);
      appendFields(mem, q, 33, null);
      String sb = mem.toString();
      // keep 1..10 complete fields and part of the next one: at most 11 fields
      int keep = 1 + r.nextInt(10);
      int pos = -1;
      for (int t = 0; t < keep; t++) {
        pos = sb.indexOf("\t", pos + 1);
      }
      int nextTab = sb.indexOf("\t", pos + 1);
      int partial = 1 + r.nextInt(Math.max(1, nextTab - pos - 1));
      addRaw(sb.substring(0, Math.min(sb.length(), pos + 1 + partial)), q.sec, r, hours);
    }
    bump("truncated_lines", nTrunc);
    String garbageChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=%_-";
    for (int i = 0; i < nGarbage; i++) {
      int len = 3 + r.nextInt(60);
      StringBuilder sb = new StringBuilder(len);
      sb.append(garbageChars.charAt(r.nextInt(52))); // never '#', never empty
      for (int k = 1; k < len; k++) {
        sb.append(garbageChars.charAt(r.nextInt(garbageChars.length())));
      }
      addRaw(sb.toString(), r.nextInt(86_400), r, hours);
    }
    bump("garbage_lines", nGarbage);
    for (int i = 0; i < nBadTs; i++) {
      Req q = baseNoise(d, r, GO_UA[r.nextInt(2)], true);
      q.query = validQuery(r, null, null);
      if (i % 2 == 0) {
        q.date = "2026-13-45";
      } else {
        q.timeText = "25:61:" + (q.sec % 60 < 10 ? "0" : "") + q.sec % 60;
      }
      addNoise(q, r, hours, -1);
      dead[1]++;
    }
    bump("bad_timestamp_lines", nBadTs);
    String[][] badNums = {{"auc", "abc"}, {"uc", "lots"}, {"tc", "x1"}};
    for (int i = 0; i < nBadNum; i++) {
      Req q = baseNoise(d, r, GO_UA[r.nextInt(2)], true);
      int which = i < 3 ? i : (r.nextDouble() < 0.6 ? 0 : 1 + r.nextInt(2));
      q.query = validQuery(r, badNums[which][0], badNums[which][1]);
      addNoise(q, r, hours, -1);
      dead[2 + which]++;
    }
    bump("bad_number_lines", nBadNum);
  }

  /** A /security GET from a random known server's address (caller overrides what differs). */
  private Req baseNoise(int d, SplittableRandom r, String ua, boolean json) {
    int s = r.nextInt(n);
    Req q = new Req();
    q.date = dates[d];
    q.sec = r.nextInt(86_400);
    q.ip = ip[s];
    q.edge = edgeFor(net[s], r.nextLong());
    q.method = "GET";
    q.host = distributionHost(r.nextInt(cfg.distributions()));
    q.stem = "/security";
    q.status = "200";
    q.ua = ua;
    q.resultType = "Miss";
    q.detailedResultType = "Miss";
    q.requestId = requestId(r.nextLong());
    q.timeTakenMs = 20 + r.nextInt(250);
    q.sslProtocol = "TLSv1.3";
    q.sslCipher = "TLS_AES_128_GCM_SHA256";
    q.protocolVersion = ua.endsWith("/2.0") || (!ua.startsWith("Go-") && r.nextBoolean()) ? "HTTP/2.0" : "HTTP/1.1";
    q.port = 1024 + r.nextInt(64_512);
    q.contentType = json ? "application/json" : "text/html";
    q.contentLen = "2";
    q.scBytes = 480 + r.nextInt(40);
    return q;
  }

  /**
   * A well-formed ping query of a random known server; {@code param} (if not null) is replaced by {@code value}
   * ({@code value == null} drops the parameter).
   */
  private String validQuery(SplittableRandom r, String param, String value) {
    int s = r.nextInt(n);
    int uc = baseUc[s];
    String[] v = {
      Integer.toString((int) (uc * activeRatio[s])), build[s].text, be[s] < 0 ? null : be[s] == 1 ? "true" : "false",
      db[s], ids[s], os[s], Integer.toString(baseTc[s]), Integer.toString(uc), category[s] == RAN_TESTS ? "1" : "0"};
    String[] names = {"auc", "b", "be", "db", "id", "os", "tc", "uc", "ut"};
    StringBuilder sb = new StringBuilder(160);
    for (int i = 0; i < names.length; i++) {
      String val = names[i].equals(param) ? value : v[i];
      if (val == null) {
        continue;
      }
      if (sb.length() > 0) {
        sb.append('&');
      }
      sb.append(names[i]).append('=').append(val);
    }
    return sb.toString();
  }

  private void addNoise(Req q, SplittableRandom r, List<Line>[] hours, int filterIdx) {
    addNoise(q, r, hours, filterIdx, -1);
  }

  private void addNoise(Req q, SplittableRandom r, List<Line>[] hours, int filterIdx, int slot) {
    q.csBytes = 180 + q.query.length() + q.ua.length() / 4;
    boolean stray = r.nextDouble() < cfg.strayTabFraction;
    if (stray) {
      bump("stray_tab_lines", 1);
    }
    hours[q.sec / 3600].add(new Line(null, q, null, slot >= 0 ? slot : r.nextInt(slots), stray));
    if (filterIdx >= 0) {
      filtered[filterIdx]++;
    }
  }

  /** A malformed line with too few fields (truncated or garbage). */
  private void addRaw(String raw, int sec, SplittableRandom r, List<Line>[] hours) {
    hours[sec / 3600].add(new Line(null, null, raw, r.nextInt(slots), false));
    dead[DEAD_LETTER_REASONS.indexOf("too_few_fields")]++;
  }

  // ------------------------------------------------------------------------------------------------------------
  // Rendering and writing
  // ------------------------------------------------------------------------------------------------------------

  private static final byte[] RID =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".getBytes(StandardCharsets.US_ASCII);

  /** A 52-character CloudFront-style request id plus "==", derived from {@code seed}. */
  private static void appendRequestId(AsciiOut o, long seed) {
    long x = seed;
    int k = 0;
    while (k < 52) {
      x = mix(x, 0x1D, k);
      long v = x;
      for (int j = 0; j < 10 && k < 52; j++, k++) {
        o.b(RID[(int) (v & 63)]);
        v >>>= 6;
      }
    }
    o.b((byte) '=').b((byte) '=');
  }

  private static String requestId(long seed) {
    AsciiOut o = new AsciiOut(null, 64);
    appendRequestId(o, seed);
    return o.toString();
  }

  /**
   * A byte buffer for ASCII text (everything this generator writes is ASCII), flushed to {@code out} when full,
   * or kept in memory when {@code out} is null. Avoids a char encoder on the hot path.
   */
  static final class AsciiOut {
    private final OutputStream out;
    private byte[] buf;
    private int len;
    private long flushed;
    private final byte[] digits = new byte[20];

    AsciiOut(OutputStream out, int size) {
      this.out = out;
      this.buf = new byte[size];
    }

    private void room(int n) {
      if (len + n > buf.length) {
        makeRoom(n);
      }
    }

    private void makeRoom(int n) {
      if (out != null) {
        flush();
      }
      if (len + n > buf.length) {
        buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
      }
    }

    void flush() {
      try {
        out.write(buf, 0, len);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      flushed += len;
      len = 0;
    }

    /** Bytes appended so far. */
    long written() {
      return flushed + len;
    }

    AsciiOut b(byte c) {
      room(1);
      buf[len++] = c;
      return this;
    }

    AsciiOut c(char c) {
      return b((byte) c);
    }

    @SuppressWarnings("deprecation")
    AsciiOut s(String v) {
      int l = v.length();
      room(l);
      v.getBytes(0, l, buf, len); // ASCII only: the low byte of each char
      len += l;
      return this;
    }

    AsciiOut s(CharSequence v) {
      if (v instanceof String str) {
        return s(str);
      }
      int l = v.length();
      room(l);
      for (int i = 0; i < l; i++) {
        buf[len++] = (byte) v.charAt(i);
      }
      return this;
    }

    AsciiOut num(long v) {
      if (v < 0) {
        c('-');
        v = -v;
      }
      int k = 0;
      do {
        digits[k++] = (byte) ('0' + v % 10);
        v /= 10;
      } while (v > 0);
      room(k);
      while (k > 0) {
        buf[len++] = digits[--k];
      }
      return this;
    }

    AsciiOut two(int v) {
      room(2);
      buf[len++] = (byte) ('0' + v / 10);
      buf[len++] = (byte) ('0' + v % 10);
      return this;
    }

    AsciiOut millis(int ms) {
      room(5);
      buf[len++] = '0';
      buf[len++] = '.';
      buf[len++] = (byte) ('0' + ms / 100);
      buf[len++] = (byte) ('0' + ms / 10 % 10);
      buf[len++] = (byte) ('0' + ms % 10);
      return this;
    }

    @Override
    public String toString() {
      return new String(buf, 0, len, StandardCharsets.US_ASCII);
    }
  }

  private String edgeFor(int netIdx, long seed) {
    String[] e = edgesByNet[netIdx + 2];
    return e[(int) Long.remainderUnsigned(seed, e.length)];
  }

  /** Fills {@code q} for a ping line. All randomness comes from the ping's seed, so copies are identical. */
  private void fillPing(Req q, Ping p) {
    int s = p.server;
    long x = p.seed;
    q.date = dates[p.day];
    q.sec = p.sec;
    q.edge = edgeFor(p.net, x);
    x = mix(x, 1, 1);
    q.ip = p.ip;
    q.method = "GET";
    q.host = distributionHost(dist[s]);
    q.stem = "/security";
    q.ua = GO_UA[uaIdx[s]];
    q.query = null;
    q.requestId = null;
    q.requestIdSeed = x;
    x = mix(x, 2, 2);
    q.timeTakenMs = 20 + (int) Long.remainderUnsigned(x, 250);
    q.port = 1024 + (int) Long.remainderUnsigned(x >>> 16, 64_512);
    boolean tls12 = (x >>> 40) % 10 == 0;
    q.sslProtocol = tls12 ? "TLSv1.2" : "TLSv1.3";
    q.sslCipher = tls12 ? "ECDHE-RSA-AES128-GCM-SHA256" : "TLS_AES_128_GCM_SHA256";
    q.protocolVersion = uaIdx[s] == 1 ? "HTTP/2.0" : "HTTP/1.1";
    q.csBytes = 0; // set while the query is written
    if (p.status000) {
      q.status = "000";
      q.scBytes = 0;
      q.resultType = "Error";
      q.detailedResultType = "ClientCommError";
      q.contentType = "-";
      q.contentLen = "-";
    } else {
      q.status = "200";
      q.scBytes = 480 + (int) ((x >>> 50) % 40);
      q.resultType = "Miss";
      q.detailedResultType = "Miss";
      q.contentType = "application/json";
      q.contentLen = "2";
    }
  }

  /** The query string Go's url.Values.Encode() produces for a ping (keys sorted, omitted counts left out). */
  private void appendPingQuery(AsciiOut o, Ping p) {
    int s = p.server;
    if (p.auc >= 0) {
      o.s("auc=").num(p.auc).c('&');
    }
    o.s("b=").s(p.build.text);
    if (be[s] >= 0) {
      o.s(be[s] == 1 ? "&be=true" : "&be=false");
    }
    if (db[s] != null) {
      o.s("&db=").s(db[s]);
    }
    o.s("&id=").s(ids[s]).s("&os=").s(os[s]);
    if (p.tc >= 0) {
      o.s("&tc=").num(p.tc);
    }
    if (p.uc >= 0) {
      o.s("&uc=").num(p.uc);
    }
    o.s(category[s] == RAN_TESTS ? "&ut=1" : "&ut=0");
  }

  /** Appends the first {@code nFields} fields of {@code q}; the query comes from {@code q.query} or {@code ping}. */
  private void appendFields(AsciiOut o, Req q, int nFields, Ping ping) {
    o.s(q.date).c('\t');
    if (q.timeText != null) {
      o.s(q.timeText);
    } else {
      o.two(q.sec / 3600).c(':').two(q.sec / 60 % 60).c(':').two(q.sec % 60);
    }
    o.c('\t').s(q.edge)
        .c('\t').num(q.scBytes)
        .c('\t').s(q.ip)
        .c('\t').s(q.method)
        .c('\t').s(q.host)
        .c('\t').s(q.stem)
        .c('\t').s(q.status)
        .s("\t-\t").s(q.ua)
        .c('\t');
    if (q.query != null) {
      o.s(q.query);
    } else {
      long before = o.written();
      appendPingQuery(o, ping);
      q.csBytes = 185 + (int) (o.written() - before);
    }
    o.s("\t-\t").s(q.resultType)
        .c('\t');
    if (q.requestId != null) {
      o.s(q.requestId);
    } else {
      appendRequestId(o, q.requestIdSeed);
    }
    o.s("\tsecurityupdatecheck.mattermost.com\thttps\t").num(q.csBytes)
        .c('\t').millis(q.timeTakenMs)
        .s("\t-\t").s(q.sslProtocol)
        .c('\t').s(q.sslCipher)
        .c('\t').s(q.resultType)
        .c('\t').s(q.protocolVersion)
        .s("\t-\t-");
    if (nFields <= 26) {
      return;
    }
    o.c('\t').num(q.port)
        .c('\t').millis(q.timeTakenMs)
        .c('\t').s(q.detailedResultType)
        .c('\t').s(q.contentType)
        .c('\t').s(q.contentLen)
        .s("\t-\t-");
  }

  private static final class ExposedGzip extends GZIPOutputStream {
    ExposedGzip(OutputStream out) throws IOException {
      super(out, 1 << 16);
      def.setLevel(Deflater.BEST_SPEED);
    }
  }

  private void writeHour(List<String> distIds, int d, int h, List<Line> lines) throws IOException {
    if (lines.isEmpty()) {
      return;
    }
    @SuppressWarnings("unchecked")
    List<Line>[] bySlot = new List[slots];
    for (Line l : lines) {
      if (bySlot[l.slot] == null) {
        bySlot[l.slot] = new ArrayList<>();
      }
      bySlot[l.slot].add(l);
    }
    String stamp = dates[d] + "-" + (h < 10 ? "0" : "") + h;
    Set<String> usedIds = new HashSet<>();
    for (int slot = 0; slot < slots; slot++) {
      List<Line> fileLines = bySlot[slot];
      if (fileLines == null) {
        continue;
      }
      int di = slot / cfg.filesPerHour();
      SplittableRandom fr = new SplittableRandom(mix(cfg.seed(), 0xF11E, (long) (d * 24 + h) * 64 + slot));
      String hex;
      do {
        hex = hex8(fr.nextInt());
      } while (!usedIds.add(hex));
      // not strictly time-ordered: shuffle
      for (int i = fileLines.size() - 1; i > 0; i--) {
        int j = fr.nextInt(i + 1);
        Line t = fileLines.get(i);
        fileLines.set(i, fileLines.get(j));
        fileLines.set(j, t);
      }
      boolean old = cfg.oldLayoutFirstDay() && di == 0 && d == 0;
      if (old) {
        bump("old_layout_files", 1);
      }
      String distId = distIds.get(di);
      Path file = cfg.output().resolve(distId).resolve(distId + "." + stamp + "." + hex + ".gz");
      files++;
      headerLines += 2;
      linesWritten += 2 + fileLines.size();
      if (writers == null) {
        writeFile(file, fileLines, old);
      } else {
        currentDayWrites.add(writers.submit(() -> {
          writeFile(file, fileLines, old);
          return null;
        }));
      }
    }
  }

  private static String hex8(int v) {
    String h = Integer.toHexString(v);
    return "00000000".substring(h.length()) + h;
  }

  private static void awaitWrites(List<Future<?>> writes) throws IOException {
    try {
      for (Future<?> f : writes) {
        f.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new IllegalStateException(e.getCause());
    }
    writes.clear();
  }

  /** Writes one gzip log file. Uses only immutable server data and the lines, so it may run on any thread. */
  private void writeFile(Path file, List<Line> fileLines, boolean old) throws IOException {
    int nFields = old ? 26 : 33;
    Req scratch = new Req();
    try (OutputStream fos = Files.newOutputStream(file);
        ExposedGzip gz = new ExposedGzip(fos)) {
      AsciiOut o = new AsciiOut(gz, 1 << 16);
      o.s(VERSION_HEADER).c('\n').s(old ? FIELDS_HEADER_26 : FIELDS_HEADER_33).c('\n');
      for (Line l : fileLines) {
        if (l.raw != null) {
          o.s(l.raw);
        } else if (l.ping != null) {
          fillPing(scratch, l.ping);
          appendFields(o, scratch, nFields, l.ping);
        } else {
          appendFields(o, l.req, nFields, null);
        }
        if (l.strayTab) {
          o.c('\t');
        }
        o.c('\n');
      }
      o.flush();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}

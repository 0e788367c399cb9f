package dw.pipelines.generate;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;

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
 *
 * <p>This class holds the settings, the result and the order of work; each concern has its own class:
 * {@link PingServers} (the population), {@link PingSchedule} (when each server pings, and the odd
 * lines among the pings), {@link PingNoise} (lines a pipeline filters or dead-letters), {@link
 * PingRendering} (CloudFront lines and gzip files) and {@link PingTruth} (the oracle: the expected
 * tables, computed from the model).
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

  // ------------------------------------------------------------------------------------------------------------
  // Config and Result
  // ------------------------------------------------------------------------------------------------------------

  /** Generator settings. Fluent setters; every knob has a default. */
  public static final class Config {
    Path output;
    LocalDate from = LocalDate.of(2026, 10, 1);
    LocalDate to = LocalDate.of(2026, 10, 3);
    int servers = 2000;
    long seed = 42;
    int distributions = 2;
    int filesPerHour = 2;
    boolean overwrite;
    boolean oldLayoutFirstDay = true;
    int threads = Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()));

    // server population (fractions of all servers; each excluded category gets at least one server)
    double activeDayProbability = 0.95;
    double twoPingFraction = 0.22;
    double threePingFraction = 0.08;
    double ipv6Fraction = 0.08;
    double unknownNetworkFraction = 0.04;
    double ranUnitTestsFraction = 0.01;
    double customBuildFraction = 0.01;
    double aucExceedsUcFraction = 0.005;
    double invalidIdFraction = 0.004;
    double restrictedIpFraction = 0.002;
    double excludedCountryFraction = 0.02;
    double missingBeFraction = 0.002;
    double missingDbFraction = 0.002;
    double emptyOsFraction = 0.002;
    // ping features (each happens at least once per day)
    double missingCountsFraction = 0.03;
    double duplicateFraction = 0.004;
    double boundaryFraction = 0.003;
    double status000Fraction = 0.003;
    double strayTabFraction = 0.002;
    double ipChangeFraction = 0.05;
    double versionChangeFraction = 0.03;
    double overnightIpChangeFraction = 0.01;
    double overnightUpgradeFraction = 0.003;
    // noise lines per ping line (each category at least once per day)
    double bulletinRate = 0.03;
    double faviconRate = 0.01;
    double otherPathRate = 0.002;
    double nonGoClientRate = 0.004;
    double testQueryRate = 0.002;
    double notGetRate = 0.002;
    double missingIdRate = 0.006;
    // malformed lines per ping line
    double truncatedRate = 0.002;
    double garbageRate = 0.003;
    double badTimestampRate = 0.0008;
    double badNumberRate = 0.0008;

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

  private final Config cfg;
  private final int n;
  private final int days;
  private final String[] dates;
  private final int slots;

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

  // ------------------------------------------------------------------------------------------------------------
  // Generation: the concerns are PingServers (population), PingSchedule (when servers ping), PingNoise (lines a
  // pipeline filters or dead-letters), PingRendering (CloudFront lines and files) and PingTruth (the oracle)
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
    PingCounters counters = new PingCounters();
    PingServers servers = new PingServers(cfg, counters);
    servers.createServers();
    counters.bump("servers", n);
    counters.bump("days", days);

    Path totalsPath = truth.resolve(DAILY_TOTALS_CSV);
    Path serverPath = truth.resolve(SERVER_DAILY_CSV);
    Path summaryPath = truth.resolve(SUMMARY_JSON);
    ExecutorService writers = null;
    try (OutputStream tw = Files.newOutputStream(totalsPath);
        OutputStream sw = Files.newOutputStream(serverPath)) {
      AsciiOut totalsOut = new AsciiOut(tw, 1 << 16);
      AsciiOut serverOut = new AsciiOut(sw, 1 << 16);
      totalsOut.s(DAILY_TOTALS_HEADER).c('\n');
      serverOut.s(SERVER_DAILY_HEADER).c('\n');

      writers = cfg.threads() > 1 ? Executors.newFixedThreadPool(cfg.threads(), r -> {
        Thread t = new Thread(r, "generate-gzip");
        t.setDaemon(true);
        return t;
      }) : null;
      PingRendering rendering = new PingRendering(cfg, dates, slots, servers, counters, writers);
      PingNoise noise = new PingNoise(cfg, dates, slots, servers, rendering, counters);
      PingTruth oracle = new PingTruth(dates, servers, counters, serverOut, totalsOut);
      PingSchedule schedule = new PingSchedule(cfg, servers, oracle, noise, counters);
      List<PingSchedule.Line> pendingPrevHour23 = null;
      for (int d = 0; d < days; d++) {
        @SuppressWarnings("unchecked")
        List<PingSchedule.Line>[] hours = new List[24];
        for (int h = 0; h < 24; h++) {
          hours[h] = new ArrayList<>();
        }
        List<PingSchedule.Line> prev = pendingPrevHour23 != null ? pendingPrevHour23 : new ArrayList<>();
        schedule.generateDay(d, hours, prev);
        if (d > 0) {
          rendering.writeHour(distIds, d - 1, 23, prev);
        }
        for (int h = 0; h < 23; h++) {
          rendering.writeHour(distIds, d, h, hours[h]);
        }
        pendingPrevHour23 = hours[23];
        rendering.endDay();
      }
      rendering.writeHour(distIds, days - 1, 23, pendingPrevHour23);
      rendering.finish();
      totalsOut.flush();
      serverOut.flush();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    } finally {
      if (writers != null) {
        writers.shutdownNow();
      }
    }

    long filteredTotal = Arrays.stream(counters.filtered).sum();
    long deadTotal = Arrays.stream(counters.dead).sum();
    if (counters.linesWritten != counters.headerLines + counters.parsedPings + filteredTotal + deadTotal) {
      throw new IllegalStateException("line accounting broken: " + counters.linesWritten + " != "
          + counters.headerLines + "+" + counters.parsedPings + "+" + filteredTotal + "+" + deadTotal);
    }
    Map<String, Long> f = new LinkedHashMap<>();
    for (int i = 0; i < counters.filtered.length; i++) {
      f.put(FILTER_REASONS.get(i), counters.filtered[i]);
    }
    Map<String, Long> dl = new LinkedHashMap<>();
    for (int i = 0; i < counters.dead.length; i++) {
      dl.put(DEAD_LETTER_REASONS.get(i), counters.dead[i]);
    }
    Result partial = new Result(out, totalsPath, serverPath, summaryPath, counters.files, counters.linesWritten,
        counters.headerLines, counters.parsedPings, f, deadTotal, dl, counters.generatedSnapshot(), 0);
    new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(summaryPath.toFile(), partial.summary());
    return new Result(out, totalsPath, serverPath, summaryPath, counters.files, counters.linesWritten,
        counters.headerLines, counters.parsedPings, f, deadTotal, dl, counters.generatedSnapshot(),
        System.nanoTime() - t0);
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

  static long mix(long seed, long a, long b) {
    long z = seed * 0x9E3779B97F4A7C15L + a * 0xBF58476D1CE4E5B9L + b * 0x94D049BB133111EBL;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}

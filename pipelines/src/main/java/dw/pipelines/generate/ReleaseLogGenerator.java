package dw.pipelines.generate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;

/**
 * Deterministic CloudFront logs of the download CDN plus their ground truth (domain.md §3). Every
 * line is built from a catalogue whose expected type, OS, version and user-agent families are
 * written out by hand here: the generator shares no rule code with the pipeline, so the truth is an
 * independent statement of the rules (including the fix for majors containing a 0: 10.x and 11.x
 * downloads are in the truth).
 *
 * <p>Output: {@code <output>/<dist>/<dist>.YYYY-MM-DD-HH.<8 hex>.gz} for the hours of {@code
 * from..to} plus 23:00 of the day before, and {@code <output>/_truth/}: {@value #DOWNLOADS_JSONL}
 * and {@value #DAILY_JSONL} (one JSON array per row, the columns the tests compare), and {@value
 * #SUMMARY_JSON} (the run summary a backfill of {@code from..to} must print). The logs hold
 * downloads of server archives and desktop apps of many versions and OSes, non-downloads of every
 * filter reason, small and 4xx responses, request ids logged in two files (also across midnight),
 * bots, broken lines, one file in the older 26-field layout and the previous day's 23:00 file.
 */
public final class ReleaseLogGenerator {
  public static final String DOWNLOADS_JSONL = "release_downloads.jsonl";
  public static final String DAILY_JSONL = "release_downloads_daily.jsonl";
  public static final String SUMMARY_JSON = "releases_summary.json";
  public static final String DIST = "E9RELEASES0DL";

  /** Columns of {@value #DOWNLOADS_JSONL}. */
  public static final List<String> DOWNLOAD_COLUMNS =
      List.of(
          "request_id", "log_date", "event_time", "uri", "download_type", "operating_system", "version",
          "version_major", "version_minor", "version_patch", "response_bytes", "client_ip", "country_iso",
          "ua_browser_family", "ua_os_family", "is_bot", "referrer_host");

  /** Columns of {@value #DAILY_JSONL}. */
  public static final List<String> DAILY_COLUMNS =
      List.of(
          "log_date", "download_type", "operating_system", "version", "country_iso", "downloads",
          "distinct_clients", "bytes");

  // ---------------------------------------------------------------- the catalogue (hand-written truth)

  /** A file name pattern ({@code {v}} = version) with the type and OS it must give. */
  private record Form(String pattern, String type, String os) {}

  private static final List<String> SERVER_VERSIONS =
      List.of("7.8.15", "9.5.3", "9.7.1", "9.11.6", "10.0.0", "10.5.1", "10.11.2", "11.0.0");
  private static final List<String> DESKTOP_VERSIONS = List.of("5.7.0", "5.10.2", "5.13.0", "6.0.1");

  private static final List<Form> SERVER_FORMS =
      List.of(
          new Form("/{v}/mattermost-{v}-linux-amd64.tar.gz", "enterprise", "linux"),
          new Form("/{v}/mattermost-team-{v}-linux-amd64.tar.gz", "team", "linux"),
          new Form("/{v}/mattermost-{v}-linux-arm64.tar.gz", "enterprise", "linux"),
          new Form("/{v}/mattermost-{v}-windows-amd64.zip", "enterprise", "windows"),
          new Form("/{v}/mattermost-team-{v}-windows-amd64.zip", "team", "windows"),
          new Form("/{v}/mattermost-{v}-darwin-amd64.tar.gz", "enterprise", "unknown"));
  private static final List<Form> DESKTOP_FORMS =
      List.of(
          new Form("/desktop/{v}/mattermost-desktop-setup-{v}-win.exe", "desktop", "windows"),
          new Form("/desktop/{v}/mattermost-desktop-{v}-x64.msi", "desktop", "windows"),
          new Form("/desktop/{v}/mattermost-desktop-{v}-win64.zip", "desktop", "windows"),
          new Form("/desktop/{v}/mattermost-desktop-{v}-win-x64.zip", "desktop", "windows"),
          new Form("/desktop/{v}/mattermost-desktop-{v}-mac.dmg", "desktop", "mac"),
          new Form("/desktop/{v}/mattermost-desktop-{v}-osx.tar.gz", "desktop", "mac"),
          new Form("/desktop/{v}/mattermost-desktop-{v}-linux-x64.AppImage", "desktop", "linux"),
          new Form("/desktop/{v}/mattermost-desktop-{v}-mac-universal.zip", "desktop", "unknown"));

  /** URIs that name no release (big, 200, GET: filtered no_version). */
  private static final List<String> NO_VERSION_URIS =
      List.of(
          "/latest/mattermost-linux-amd64.tar.gz",
          "/desktop/latest/mattermost-desktop-setup.exe",
          "/0.9.1/mattermost-0.9.1-linux-amd64.tar.gz",
          "/9.7/mattermost-9.7-linux-amd64.tar.gz",
          "/1000.1.1/mattermost-1000.1.1-linux-amd64.tar.gz",
          "/mobile/2.15.0/mattermost-2.15.0.apk");

  /** A user agent with the families ua-parser gives it and whether it is a bot. */
  private record Agent(String text, String browser, String os, boolean bot) {}

  private static final List<Agent> AGENTS =
      List.of(
          new Agent("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36", "Chrome", "Windows", false),
          new Agent("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15", "Safari", "Mac OS X", false),
          new Agent("Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0", "Firefox", "Ubuntu", false),
          new Agent("Wget/1.21.2", "Wget", "Other", false),
          new Agent("curl/7.81.0", "curl", "Other", false),
          new Agent("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", "Googlebot", "Other", true),
          new Agent("Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)", "bingbot", "Other", true),
          new Agent(null, null, null, false));

  /** Referrer values with the host they must give. */
  private static final String[][] REFERRERS = {
    {"-", null},
    {"https://mattermost.com/download/", "mattermost.com"},
    {"https://docs.mattermost.com/install/install-tar.html", "docs.mattermost.com"},
    {"https://GitHub.com/mattermost/mattermost/releases", "github.com"}
  };

  private static final String[] EDGES = {"IAD89-C1", "FRA56-P5", "LHR61-P3", "SFO53-P1", "NRT57-P2"};

  // ---------------------------------------------------------------- configuration

  /** What to generate. */
  public static final class Config extends DatasetConfig<Config> {
    int downloadsPerDay = 150;

    public Config(Path output) {
      super(output, LocalDate.parse("2026-10-01"), LocalDate.parse("2026-10-02"), 42L);
    }



    public Config downloadsPerDay(int n) {
      downloadsPerDay = n;
      return this;
    }


    void validate() {
      if (to.isBefore(from)) {
        throw new IllegalArgumentException("--to is before --from");
      }
      if (downloadsPerDay < 10) {
        throw new IllegalArgumentException("downloadsPerDay must be at least 10");
      }
    }
  }

  /** One download as the truth knows it. */
  private record Download(
      String requestId, long millis, String uri, String type, String os, String version, long bytes,
      String ip, String country, Agent agent, String referrerHost) {}

  private final Config cfg;
  private final SplittableRandom random;
  /** File key (hour millis * 10 + file index) → lines. */
  private final TreeMap<Long, List<String>> files = new TreeMap<>();
  private final Map<String, Download> unique = new LinkedHashMap<>();
  private final Map<String, Long> filtered = new TreeMap<>();
  private long parsed;
  private long dead;
  private long copies;
  private final Set<String> usedIds = new HashSet<>();
  private final long firstHour;
  private final long lastHour;
  private final long fromMillis;
  private final long toEndMillis;

  public ReleaseLogGenerator(Config cfg) {
    cfg.validate();
    this.cfg = cfg;
    this.random = new SplittableRandom(cfg.seed);
    this.fromMillis = cfg.from.toEpochDay() * 86_400_000L;
    this.toEndMillis = (cfg.to.toEpochDay() + 1) * 86_400_000L;
    this.firstHour = fromMillis - 3_600_000L;
    this.lastHour = toEndMillis - 3_600_000L;
    for (String r : List.of("not_get", "not_2xx", "too_small", "no_version", "outside_date_range")) {
      filtered.put(r, 0L);
    }
  }

  /** Writes the logs and the truth; returns the truth summary. */
  public ObjectNode generate() throws IOException {
    for (LocalDate d = cfg.from; !d.isAfter(cfg.to); d = d.plusDays(1)) {
      generateDay(d.toEpochDay() * 86_400_000L);
    }
    // the previous day's 23:00 file: downloads of that day (outside the range) and of the first
    // day's first seconds (logged past the hour boundary)
    for (int i = 0; i < 6; i++) {
      long t = fromMillis - 3_600_000L + random.nextLong(3_590_000L);
      Download d = newDownload(t);
      addLine(firstHour, 0, line(d, d.requestId()));
      count(d, false);
    }
    for (int i = 0; i < 3; i++) {
      Download d = newDownload(fromMillis + i * 1000L);
      addLine(firstHour, 0, line(d, d.requestId()));
      count(d, false);
    }
    return write();
  }

  private void generateDay(long dayStart) {
    int n = cfg.downloadsPerDay;
    for (int i = 0; i < n; i++) {
      long t = dayStart + random.nextLong(86_400_000L / 1000) * 1000L;
      Download d = newDownload(t);
      long hour = Math.floorDiv(t, 3_600_000L) * 3_600_000L;
      int file = random.nextInt(2);
      addLine(hour, file, line(d, d.requestId()));
      count(d, false);
      if (random.nextInt(100) < 6) { // the same request in the hour's other file
        addLine(hour, 1 - file, line(d, d.requestId()));
        count(d, true);
      }
    }
    // a request of the day's last seconds logged in its hour's file and in the next day's first file
    long late = dayStart + 86_400_000L - 5_000L;
    Download d = newDownload(late);
    addLine(late - late % 3_600_000L, 0, line(d, d.requestId()));
    count(d, false);
    if (dayStart + 86_400_000L < toEndMillis) {
      addLine(dayStart + 86_400_000L, 1, line(d, d.requestId()));
      count(d, true);
    }
    // non-downloads, one per filter reason and form
    for (int i = 0; i < n / 10; i++) {
      long t = dayStart + random.nextLong(86_400_000L / 1000) * 1000L;
      long hour = t - t % 3_600_000L;
      Download base = newDownload(t);
      usedIds.remove(base.requestId());
      String[] f;
      String reason;
      switch (i % 7) {
        case 0 -> {
          f = fields(base, "HEAD", 200, 0, base.uri(), newId());
          reason = "not_get";
        }
        case 1 -> {
          f = fields(base, "GET", 404, 512, base.uri(), newId());
          reason = "not_2xx";
        }
        case 2 -> {
          f = fields(base, "GET", 304, 0, base.uri(), newId());
          reason = "not_2xx";
        }
        case 3 -> {
          f = fields(base, "GET", 200, 420, base.uri() + ".sig", newId());
          reason = "too_small";
        }
        case 4 -> {
          f = fields(base, "GET", 206, 1_000_000, base.uri(), newId());
          reason = "too_small";
        }
        case 5 -> {
          f = fields(base, "POST", 403, 300, "/api/v4/upload", newId());
          reason = "not_get";
        }
        default -> {
          String uri = NO_VERSION_URIS.get(random.nextInt(NO_VERSION_URIS.size()));
          f = fields(base, "GET", 200, 50_000_000, uri, newId());
          reason = "no_version";
        }
      }
      addLine(hour, random.nextInt(2), String.join("\t", f));
      filtered.merge(reason, 1L, Long::sum);
    }
    // broken lines: truncated, bad time, a download without request id
    long hour = dayStart + 12 * 3_600_000L;
    Download b = newDownload(hour + 60_000L);
    usedIds.remove(b.requestId());
    String[] f = fields(b, "GET", 200, b.bytes(), b.uri(), b.requestId());
    addLine(hour, 0, String.join("\t", java.util.Arrays.copyOf(f, 9)));
    f[1] = "25:61:00";
    addLine(hour, 0, String.join("\t", f));
    addLine(hour, 1, String.join("\t", fields(b, "GET", 200, b.bytes(), b.uri(), "-")));
    dead += 3;
  }

  private void count(Download d, boolean copy) {
    if (d.millis() < fromMillis || d.millis() >= toEndMillis) {
      filtered.merge("outside_date_range", 1L, Long::sum);
      return;
    }
    parsed++;
    if (copy) {
      copies++;
    } else {
      unique.put(d.requestId(), d);
    }
  }

  private Download newDownload(long millis) {
    boolean desktop = random.nextInt(10) < 3;
    String version = desktop
        ? DESKTOP_VERSIONS.get(random.nextInt(DESKTOP_VERSIONS.size()))
        : SERVER_VERSIONS.get(random.nextInt(SERVER_VERSIONS.size()));
    List<Form> forms = desktop ? DESKTOP_FORMS : SERVER_FORMS;
    Form form = forms.get(random.nextInt(forms.size()));
    String ip;
    String country;
    if (random.nextInt(10) == 0) {
      ip = GeneratorNetworks.randomUnmappedAddress(random.nextInt(GeneratorNetworks.UNMAPPED_RANGES.size()), random);
      country = null;
    } else {
      // a small pool of clients per network, so clients download more than once a day
      int net = random.nextInt(GeneratorNetworks.all().size());
      ip = GeneratorNetworks.randomAddress(net, new SplittableRandom(net * 31L + random.nextInt(4)));
      country = GeneratorNetworks.all().get(net).countryIso();
    }
    String[] ref = REFERRERS[random.nextInt(REFERRERS.length)];
    return new Download(
        newId(), millis, form.pattern().replace("{v}", version), form.type(), form.os(), version,
        1_000_001L + random.nextLong(400_000_000L), ip, country, AGENTS.get(random.nextInt(AGENTS.size())),
        ref[1] == null ? null : ref[0] + "|" + ref[1]);
  }

  private String newId() {
    String chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
    while (true) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < 52; i++) {
        sb.append(chars.charAt(random.nextInt(chars.length())));
      }
      String id = sb.append("==").toString();
      if (usedIds.add(id)) {
        return id;
      }
    }
  }

  private String line(Download d, String requestId) {
    return String.join("\t", fields(d, "GET", 200, d.bytes(), d.uri(), requestId));
  }

  /** The 33 fields of a line (the 26-field files drop the last 7). */
  private String[] fields(Download d, String method, int status, long bytes, String uri, String requestId) {
    LocalDateTime t = LocalDateTime.ofEpochSecond(Math.floorDiv(d.millis(), 1000L), 0, ZoneOffset.UTC);
    String ua = d.agent().text() == null ? "-" : encodeAgent(d.agent().text(), requestId.hashCode() % 3 == 0);
    String referrer = d.referrerHost() == null ? "-" : d.referrerHost().substring(0, d.referrerHost().indexOf('|'));
    return new String[] {
      t.toLocalDate().toString(), t.toLocalTime().toString().length() == 5 ? t.toLocalTime() + ":00" : t.toLocalTime().toString(),
      EDGES[Math.floorMod(requestId.hashCode(), EDGES.length)], Long.toString(bytes), d.ip(), method,
      "d3rel7example.cloudfront.net", uri, Integer.toString(status), referrer, ua, "-", "-", "Hit", requestId,
      "releases.mattermost.com", "https", "190", "3.210", "-", "TLSv1.3", "TLS_AES_128_GCM_SHA256", "Hit",
      "HTTP/2.0", "-", "-", "44318", "0.010", "Hit", "application/octet-stream", Long.toString(bytes), "-", "-"
    };
  }

  /** CloudFront's encoding of the user agent: spaces as %20, sometimes double-encoded (%2520). */
  private static String encodeAgent(String ua, boolean twice) {
    return ua.replace(" ", twice ? "%2520" : "%20");
  }

  private void addLine(long hour, int file, String line) {
    if (hour < firstHour || hour > lastHour) {
      return; // a copy in a file outside the generated hours
    }
    files.computeIfAbsent(hour * 10 + file, k -> new ArrayList<>()).add(line);
  }

  // ---------------------------------------------------------------- output

  private ObjectNode write() throws IOException {
    Path dir = cfg.output.resolve(DIST);
    Files.createDirectories(dir);
    long lines = 0;
    long headers = 0;
    int n = 0;
    boolean oldLayoutDone = false;
    for (Map.Entry<Long, List<String>> e : files.entrySet()) {
      long hour = e.getKey() / 10;
      LocalDateTime t = LocalDateTime.ofEpochSecond(hour / 1000, 0, ZoneOffset.UTC);
      String stamp = String.format("%04d-%02d-%02d-%02d", t.getYear(), t.getMonthValue(), t.getDayOfMonth(), t.getHour());
      String id = String.format("%08x", new SplittableRandom(cfg.seed * 1_000_003L + e.getKey()).nextInt() & 0x7fffffff);
      boolean old = !oldLayoutDone && hour >= fromMillis + 6 * 3_600_000L;
      oldLayoutDone |= old;
      try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(dir.resolve(DIST + "." + stamp + "." + id + ".gz")));
          Writer w = new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8)) {
        w.write(SecurityPingGenerator.VERSION_HEADER + "\n");
        w.write((old ? SecurityPingGenerator.FIELDS_HEADER_26 : SecurityPingGenerator.FIELDS_HEADER_33) + "\n");
        headers += 2;
        for (String l : e.getValue()) {
          if (old) {
            String[] f = l.split("\t", -1);
            l = String.join("\t", java.util.Arrays.copyOf(f, Math.min(f.length, 26)));
          }
          w.write(l + "\n");
          lines++;
        }
      }
      n++;
    }
    ObjectMapper json = new ObjectMapper();
    Path truth = cfg.output.resolve(SecurityPingGenerator.TRUTH_DIR);
    Files.createDirectories(truth);
    TreeMap<List<String>, long[]> daily = new TreeMap<>(ReleaseLogGenerator::compare);
    TreeMap<List<String>, Set<String>> clients = new TreeMap<>(ReleaseLogGenerator::compare);
    try (Writer w = Files.newBufferedWriter(truth.resolve(DOWNLOADS_JSONL))) {
      for (Download d : unique.values()) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(d.millis() / 1000, 0, ZoneOffset.UTC);
        String[] v = d.version().split("\\.");
        List<Object> row = new ArrayList<>();
        row.add(d.requestId());
        row.add(t.toLocalDate().toString());
        row.add(t.toLocalDate() + " " + String.format("%02d:%02d:%02d", t.getHour(), t.getMinute(), t.getSecond()));
        row.add(d.uri());
        row.add(d.type());
        row.add(d.os());
        row.add(d.version());
        row.add(Integer.parseInt(v[0]));
        row.add(Integer.parseInt(v[1]));
        row.add(Integer.parseInt(v[2]));
        row.add(d.bytes());
        row.add(d.ip());
        row.add(d.country());
        row.add(d.agent().browser());
        row.add(d.agent().os());
        row.add(d.agent().bot());
        row.add(d.referrerHost() == null ? null : d.referrerHost().substring(d.referrerHost().indexOf('|') + 1));
        w.write(json.writeValueAsString(row) + "\n");
        List<String> key = List.of(t.toLocalDate().toString(), d.type(), d.os(), d.version(), d.country() == null ? "unknown" : d.country());
        long[] s = daily.computeIfAbsent(key, k -> new long[2]);
        s[0]++;
        s[1] += d.bytes();
        clients.computeIfAbsent(key, k -> new HashSet<>()).add(d.ip());
      }
    }
    try (Writer w = Files.newBufferedWriter(truth.resolve(DAILY_JSONL))) {
      for (Map.Entry<List<String>, long[]> e : daily.entrySet()) {
        List<Object> row = new ArrayList<>(e.getKey());
        row.add(e.getValue()[0]);
        row.add(clients.get(e.getKey()).size());
        row.add(e.getValue()[1]);
        w.write(json.writeValueAsString(row) + "\n");
      }
    }
    ObjectNode s = json.createObjectNode();
    s.put("files", n);
    s.put("lines_read", lines + headers);
    s.put("header_lines", headers);
    s.put("parsed_downloads", parsed);
    ObjectNode f = s.putObject("filtered");
    long filteredTotal = 0;
    for (Map.Entry<String, Long> e : filtered.entrySet()) {
      if (e.getValue() > 0) {
        f.put(e.getKey(), e.getValue());
        filteredTotal += e.getValue();
      }
    }
    s.put("filtered_total", filteredTotal);
    s.put("dead_lettered", dead);
    s.put("duplicate_request_ids", copies);
    s.put("downloads", unique.size());
    json.writeValue(truth.resolve(SUMMARY_JSON).toFile(), s);
    return s;
  }

  private static int compare(List<String> a, List<String> b) {
    for (int i = 0; i < a.size(); i++) {
      int c = a.get(i).compareTo(b.get(i));
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }
}

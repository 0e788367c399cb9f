package dw.pipelines.generate;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * A tiny, test-local reader of the generated CloudFront logs. It re-derives everything from the files with the
 * rules of domain.md §1 (split on TAB, map by #Fields, filter precedence, latest ping per server-day), without
 * using the generator's model, so the truth files can be checked against it.
 */
final class LocalLogReader {

  static final Pattern FILE_NAME =
      Pattern.compile("(E[0-9A-Z]{13})\\.(\\d{4}-\\d{2}-\\d{2})-(\\d{2})\\.([0-9a-f]{8})\\.gz");

  /** The four accepted build formats, written as the warehouse's regexes. */
  static final List<Pattern> ACCEPTED_BUILDS = List.of(
      Pattern.compile("^\\d{1,2}\\.\\d{1,2}\\.\\d{1,2}\\.\\d{1,2}\\.\\d{1,2}\\.\\d{1,2}$"),
      Pattern.compile("^\\d{1,2}\\.\\d{1,2}\\.\\d{1,2}$"),
      Pattern.compile("^\\d{1,2}\\.\\d{1,2}\\.\\d{1,2}\\.cloud-\\d{4}-\\d{2}-\\d{2}-\\d+$"),
      Pattern.compile("^\\d{1,2}\\.\\d{1,2}\\.\\d{1,2}\\.\\d{10,}$"));

  /** A kept ping. */
  record Ping(LocalDate date, LocalTime time, String fileDate, int fileHour, String id, String ip,
      Map<String, String> q, String status, String line) {
    LocalDateTime at() {
      return date.atTime(time);
    }
  }

  /** A data line with its file context. */
  record DataLine(Path file, List<String> fields, String line) {}

  final Map<String, Long> filtered = new LinkedHashMap<>();
  final Map<String, Long> dead = new LinkedHashMap<>();
  final List<Ping> pings = new ArrayList<>();
  final List<DataLine> allLines = new ArrayList<>();
  final Map<Path, List<String>> headers = new HashMap<>();
  long linesRead;
  long headerLines;
  int files;

  LocalLogReader() {
    for (String k : List.of("not_security_path", "not_get", "not_go_client", "test_query", "missing_server_id")) {
      filtered.put(k, 0L);
    }
    for (String k : List.of("too_few_fields", "bad_timestamp", "bad_number_auc", "bad_number_uc", "bad_number_tc")) {
      dead.put(k, 0L);
    }
  }

  static List<Path> logFiles(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(Files::isRegularFile)
          .filter(p -> FILE_NAME.matcher(p.getFileName().toString()).matches())
          .sorted()
          .collect(Collectors.toList());
    }
  }

  LocalLogReader read(Path root) throws IOException {
    for (Path f : logFiles(root)) {
      readFile(f);
    }
    return this;
  }

  private void readFile(Path f) throws IOException {
    files++;
    var m = FILE_NAME.matcher(f.getFileName().toString());
    m.matches();
    String fileDate = m.group(2);
    int fileHour = Integer.parseInt(m.group(3));
    List<String> fields = null;
    List<String> hdr = new ArrayList<>();
    try (BufferedReader br = new BufferedReader(new InputStreamReader(
        new GZIPInputStream(Files.newInputStream(f)), StandardCharsets.UTF_8))) {
      String line;
      while ((line = br.readLine()) != null) {
        linesRead++;
        if (line.startsWith("#")) {
          headerLines++;
          hdr.add(line);
          if (line.startsWith("#Fields: ")) {
            fields = List.of(line.substring("#Fields: ".length()).split(" "));
          }
          continue;
        }
        allLines.add(new DataLine(f, fields, line));
        classify(line, fields, fileDate, fileHour);
      }
    }
    headers.put(f, hdr);
  }

  private void classify(String line, List<String> fields, String fileDate, int fileHour) {
    String[] parts = line.split("\t", -1);
    if (fields == null || parts.length < fields.size()) {
      bump(dead, "too_few_fields");
      return;
    }
    Map<String, String> v = new HashMap<>();
    for (int i = 0; i < fields.size(); i++) {
      v.put(fields.get(i), parts[i]);
    }
    LocalDate date;
    LocalTime time;
    try {
      date = LocalDate.parse(v.get("date"));
      time = LocalTime.parse(v.get("time"));
    } catch (DateTimeParseException e) {
      bump(dead, "bad_timestamp");
      return;
    }
    if (!"/security".equals(v.get("cs-uri-stem"))) {
      bump(filtered, "not_security_path");
      return;
    }
    if (!"GET".equals(v.get("cs-method"))) {
      bump(filtered, "not_get");
      return;
    }
    if (!v.get("cs(User-Agent)").startsWith("Go-http-client/")) {
      bump(filtered, "not_go_client");
      return;
    }
    String query = v.get("cs-uri-query");
    if (query.contains("BUMP_RELEASE") || query.contains("plyr-1")) {
      bump(filtered, "test_query");
      return;
    }
    Map<String, String> q = parseQuery(query);
    String id = q.get("id");
    if (id == null || id.isEmpty()) {
      bump(filtered, "missing_server_id");
      return;
    }
    for (String k : List.of("auc", "uc", "tc")) {
      String n = q.get(k);
      if (n != null && !n.isEmpty() && !n.chars().allMatch(Character::isDigit)) {
        bump(dead, "bad_number_" + k);
        return;
      }
    }
    pings.add(new Ping(date, time, fileDate, fileHour, id, v.get("c-ip"), q, v.get("sc-status"), line));
  }

  /** parse_qs(keep_blank_values=True), first value wins; "-" is empty. */
  static Map<String, String> parseQuery(String query) {
    Map<String, String> q = new HashMap<>();
    if (query == null || query.isEmpty() || query.equals("-")) {
      return q;
    }
    for (String pair : query.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String val = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      q.putIfAbsent(k, val);
    }
    return q;
  }

  private static void bump(Map<String, Long> m, String k) {
    m.merge(k, 1L, Long::sum);
  }

  static boolean accepted(String b) {
    return b != null && ACCEPTED_BUILDS.stream().anyMatch(p -> p.matcher(b).matches());
  }

  static String parts(String b, int n) {
    String[] p = b.split("\\.", -1);
    return String.join(".", java.util.Arrays.asList(p).subList(0, Math.min(n, p.length)));
  }

  static Integer num(String s) {
    return s == null || s.isEmpty() ? null : Integer.valueOf(s);
  }

  static String unknown(String s) {
    return s == null || s.isEmpty() ? "unknown" : s;
  }

  static String csv(String s) {
    return s.contains(",") ? "\"" + s + "\"" : s;
  }

  /** Reasons of one ping, as codes in the stable order. */
  static List<String> reasons(Ping p) {
    List<String> r = new ArrayList<>();
    Integer ut = num(p.q().get("ut"));
    if (ut != null && ut == 1) {
      r.add("ran_unit_tests");
    }
    if (!accepted(p.q().get("b"))) {
      r.add("custom_build_format");
    }
    Integer auc = num(p.q().get("auc"));
    Integer uc = num(p.q().get("uc"));
    if (auc != null && uc != null && auc > uc) {
      r.add("active_users_exceed_registered");
    }
    if (p.id().length() != 26) {
      r.add("invalid_server_id");
    }
    if ("194.30.0.184".equals(p.ip())) {
      r.add("restricted_ip");
    }
    String c = GeneratorNetworks.lookup(p.ip()).map(GeneratorNetworks.Network::countryIso).orElse(null);
    if (c != null && Set.of("RU", "IR", "KP").contains(c)) {
      r.add("excluded_country");
    }
    return r;
  }

  static final List<String> ORDER = List.of("ran_unit_tests", "custom_build_format",
      "active_users_exceed_registered", "invalid_server_id", "restricted_ip", "excluded_country");

  /** Expected security_server_daily.csv and security_daily_totals.csv lines (with headers). */
  List<List<String>> expectedTruth() {
    TreeMap<String, TreeMap<String, List<Ping>>> byDay = new TreeMap<>();
    for (Ping p : pings) {
      byDay.computeIfAbsent(p.date().toString(), k -> new TreeMap<>())
          .computeIfAbsent(p.id(), k -> new ArrayList<>()).add(p);
    }
    List<String> server = new ArrayList<>();
    List<String> totals = new ArrayList<>();
    server.add(SecurityPingGenerator.SERVER_DAILY_HEADER);
    totals.add(SecurityPingGenerator.DAILY_TOTALS_HEADER);
    Comparator<List<String>> keyOrder = (a, b) -> {
      for (int i = 0; i < a.size(); i++) {
        int c = a.get(i).compareTo(b.get(i));
        if (c != 0) {
          return c;
        }
      }
      return 0;
    };
    for (var day : byDay.entrySet()) {
      TreeMap<List<String>, long[]> agg = new TreeMap<>(keyOrder);
      for (var e : day.getValue().entrySet()) {
        List<Ping> ps = e.getValue();
        LocalDateTime maxAt = ps.stream().map(Ping::at).max(Comparator.naturalOrder()).orElseThrow();
        List<Ping> atMax = ps.stream().filter(p -> p.at().equals(maxAt)).collect(Collectors.toList());
        Set<String> distinctLatest = atMax.stream().map(Ping::line).collect(Collectors.toSet());
        if (distinctLatest.size() != 1) {
          throw new AssertionError("two different pings share the latest second: " + distinctLatest);
        }
        Ping latest = atMax.get(0);
        Set<String> reasons = new HashSet<>();
        Integer max = null;
        Set<String> ips = new HashSet<>();
        Set<String> versions = new HashSet<>();
        for (Ping p : ps) {
          reasons.addAll(reasons(p));
          Integer a = num(p.q().get("auc"));
          if (a != null && (max == null || a > max)) {
            max = a;
          }
          ips.add(p.ip());
          versions.add(parts(p.q().get("b"), 3));
        }
        String reasonText = ORDER.stream().filter(reasons::contains).collect(Collectors.joining(","));
        Integer latestAuc = num(latest.q().get("auc"));
        Integer latestUc = num(latest.q().get("uc"));
        String country = unknown(GeneratorNetworks.lookup(latest.ip())
            .map(GeneratorNetworks.Network::countryIso).orElse(null));
        server.add(String.join(",", day.getKey(), e.getKey(), Integer.toString(ps.size()),
            latestAuc == null ? "" : latestAuc.toString(), max == null ? "" : max.toString(),
            Integer.toString(ips.size()), Integer.toString(versions.size()), csv(reasonText),
            parts(latest.q().get("b"), 3), country));
        if (reasons.isEmpty()) {
          String be = latest.q().get("be");
          String edition = be == null ? "Unknown" : be.equals("true") ? "E0" : "TE";
          List<String> key = List.of(parts(latest.q().get("b"), 2), edition, unknown(latest.q().get("db")),
              unknown(latest.q().get("os")), country);
          long[] acc = agg.computeIfAbsent(key, k -> new long[4]);
          acc[0]++;
          acc[1] += latestAuc == null ? 0 : latestAuc;
          acc[2] += max == null ? 0 : max;
          acc[3] += latestUc == null ? 0 : latestUc;
        }
      }
      for (var a : agg.entrySet()) {
        totals.add(day.getKey() + "," + String.join(",", a.getKey()) + "," + a.getValue()[0] + ","
            + a.getValue()[1] + "," + a.getValue()[2] + "," + a.getValue()[3]);
      }
    }
    return List.of(server, totals);
  }
}

package dw.pipelines.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecurityPingGeneratorTest {

  private static final LocalDate FROM = LocalDate.of(2026, 10, 1);
  private static final LocalDate TO = LocalDate.of(2026, 10, 2);

  /** The #Fields line of original-system.md §7.1 / known-problems.md §4.1, verbatim. */
  private static final String FIELDS_33 = "#Fields: date time x-edge-location sc-bytes c-ip cs-method cs(Host) "
      + "cs-uri-stem sc-status cs(Referer) cs(User-Agent) cs-uri-query cs(Cookie) x-edge-result-type "
      + "x-edge-request-id x-host-header cs-protocol cs-bytes time-taken x-forwarded-for ssl-protocol ssl-cipher "
      + "x-edge-response-result-type cs-protocol-version fle-status fle-encrypted-fields c-port time-to-first-byte "
      + "x-edge-detailed-result-type sc-content-type sc-content-len sc-range-start sc-range-end";
  private static final String FIELDS_26 = FIELDS_33.substring(0, FIELDS_33.indexOf(" c-port"));

  @TempDir static Path tmp;
  private static Path small;
  private static SecurityPingGenerator.Result result;
  private static LocalLogReader reader;

  /** The "default small run": 200 servers, 2 days, default seed and knobs. */
  @BeforeAll
  static void generateSmallRun() throws IOException {
    small = tmp.resolve("small");
    result = new SecurityPingGenerator(smallConfig(small)).generate();
    reader = new LocalLogReader().read(small);
  }

  private static SecurityPingGenerator.Config smallConfig(Path out) {
    return new SecurityPingGenerator.Config(out).from(FROM).to(TO).servers(200);
  }

  private static Map<String, byte[]> snapshot(Path root) throws IOException {
    Map<String, byte[]> m = new TreeMap<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.filter(Files::isRegularFile).collect(Collectors.toList())) {
        m.put(root.relativize(p).toString(), Files.readAllBytes(p));
      }
    }
    return m;
  }

  @Test
  void sameSeedGivesByteIdenticalFilesAndTruth() throws IOException {
    Path again = tmp.resolve("again");
    new SecurityPingGenerator(smallConfig(again)).generate();
    Map<String, byte[]> a = snapshot(small);
    Map<String, byte[]> b = snapshot(again);
    assertEquals(a.keySet(), b.keySet());
    for (String k : a.keySet()) {
      assertArrayEquals(a.get(k), b.get(k), k);
    }
  }

  @Test
  void outputDoesNotDependOnTheNumberOfWriterThreads() throws IOException {
    Path single = tmp.resolve("single-thread");
    new SecurityPingGenerator(smallConfig(single).threads(1)).generate();
    Path three = tmp.resolve("three-threads");
    new SecurityPingGenerator(smallConfig(three).threads(3)).generate();
    Map<String, byte[]> a = snapshot(single);
    Map<String, byte[]> b = snapshot(three);
    Map<String, byte[]> c = snapshot(small);
    assertEquals(a.keySet(), b.keySet());
    assertEquals(a.keySet(), c.keySet());
    for (String k : a.keySet()) {
      assertArrayEquals(a.get(k), b.get(k), k);
      assertArrayEquals(a.get(k), c.get(k), k);
    }
  }

  @Test
  void differentSeedGivesDifferentOutput() throws IOException {
    Path other = tmp.resolve("other-seed");
    new SecurityPingGenerator(smallConfig(other).seed(43)).generate();
    Map<String, byte[]> a = snapshot(small);
    Map<String, byte[]> b = snapshot(other);
    assertNotEquals(a.keySet(), b.keySet(), "file ids depend on the seed");
    assertFalse(Arrays_equals(a.get("_truth/security_server_daily.csv"), b.get("_truth/security_server_daily.csv")));
    assertFalse(Arrays_equals(a.get("_truth/security_daily_totals.csv"), b.get("_truth/security_daily_totals.csv")));
  }

  private static boolean Arrays_equals(byte[] a, byte[] b) {
    return java.util.Arrays.equals(a, b);
  }

  @Test
  void fileNamesAndHeaderLines() throws IOException {
    List<Path> files = LocalLogReader.logFiles(small);
    assertEquals(result.files(), files.size());
    List<String> dists = new SecurityPingGenerator.Config(small).distributionIds();
    assertEquals(List.of("E1ABCDEF2GHIJK", "E2XYZ7QRSTUVWL"), dists);
    Set<String> hours = new java.util.HashSet<>();
    try (Stream<Path> s = Files.walk(small)) {
      List<Path> all = s.filter(Files::isRegularFile).collect(Collectors.toList());
      for (Path p : all) {
        String rel = small.relativize(p).toString();
        if (rel.startsWith("_truth/")) {
          continue;
        }
        var m = LocalLogReader.FILE_NAME.matcher(p.getFileName().toString());
        assertTrue(m.matches(), rel);
        assertEquals(m.group(1), p.getParent().getFileName().toString(), "file sits in its distribution folder");
        assertTrue(dists.contains(m.group(1)), rel);
        LocalDate d = LocalDate.parse(m.group(2));
        assertFalse(d.isBefore(FROM) || d.isAfter(TO), rel);
        hours.add(m.group(1) + m.group(2) + m.group(3));
      }
    }
    assertEquals(2 * 2 * 24, hours.size(), "every hour of every distribution has a file");
    int old = 0;
    for (Path f : files) {
      List<String> h = reader.headers.get(f);
      assertEquals(2, h.size(), f.toString());
      assertEquals("#Version: 1.0", h.get(0));
      boolean firstDayDist0 = f.getFileName().toString().startsWith("E1ABCDEF2GHIJK.2026-10-01-");
      assertEquals(firstDayDist0 ? FIELDS_26 : FIELDS_33, h.get(1), f.toString());
      old += firstDayDist0 ? 1 : 0;
    }
    assertEquals(old, result.generated().get("old_layout_files"));
    assertTrue(old > 0);
    // data lines follow the header exactly (26 or 33 fields), apart from stray trailing tabs and dead lines
    for (LocalLogReader.DataLine l : reader.allLines) {
      int n = l.line().split("\t", -1).length;
      assertTrue(n <= l.fields().size() + 1, l.line());
    }
  }

  @Test
  void independentRecountEqualsDailyTotalsAndServerDaily() throws IOException {
    List<List<String>> expected = reader.expectedTruth();
    List<String> serverDaily = Files.readAllLines(result.serverDailyCsv(), StandardCharsets.UTF_8);
    List<String> totals = Files.readAllLines(result.dailyTotalsCsv(), StandardCharsets.UTF_8);
    assertEquals(expected.get(0), serverDaily);
    assertEquals(expected.get(1), totals);
    assertTrue(totals.size() > 50, "a real breakdown, not a handful of rows");
  }

  @Test
  void independentRecountEqualsSummary() throws IOException {
    JsonNode s = new ObjectMapper().readTree(result.summaryJson().toFile());
    assertEquals(reader.files, s.get("files").asInt());
    assertEquals(reader.linesRead, s.get("lines_read").asLong());
    assertEquals(reader.headerLines, s.get("header_lines").asLong());
    assertEquals(reader.pings.size(), s.get("parsed_pings").asLong());
    Map<String, Long> filtered = new HashMap<>();
    s.get("filtered").fields().forEachRemaining(e -> filtered.put(e.getKey(), e.getValue().asLong()));
    assertEquals(reader.filtered, filtered);
    Map<String, Long> dead = new HashMap<>();
    s.get("dead_letter_reasons").fields().forEachRemaining(e -> dead.put(e.getKey(), e.getValue().asLong()));
    assertEquals(reader.dead, dead);
    assertEquals(reader.dead.values().stream().mapToLong(Long::longValue).sum(), s.get("dead_lettered").asLong());
    // and the returned Result says the same
    assertEquals(reader.linesRead, result.linesRead());
    assertEquals(reader.pings.size(), result.parsedPings());
    assertEquals(reader.filtered, result.filtered());
    assertEquals(reader.dead, result.deadLetterReasons());
  }

  @Test
  void linesReadIdentityHolds() throws IOException {
    JsonNode s = new ObjectMapper().readTree(result.summaryJson().toFile());
    long filtered = 0;
    for (JsonNode v : s.get("filtered")) {
      filtered += v.asLong();
    }
    long dead = 0;
    for (JsonNode v : s.get("dead_letter_reasons")) {
      dead += v.asLong();
    }
    assertEquals(dead, s.get("dead_lettered").asLong());
    assertEquals(s.get("lines_read").asLong(),
        s.get("header_lines").asLong() + s.get("parsed_pings").asLong() + filtered + s.get("dead_lettered").asLong());
    assertEquals(2L * s.get("files").asLong(), s.get("header_lines").asLong());
  }

  @Test
  void everyCategoryOccursInTheSmallRun() throws IOException {
    for (var e : reader.filtered.entrySet()) {
      assertTrue(e.getValue() > 0, "filter " + e.getKey());
    }
    for (var e : reader.dead.entrySet()) {
      assertTrue(e.getValue() > 0, "dead letter " + e.getKey());
    }
    List<String> lines = reader.allLines.stream().map(LocalLogReader.DataLine::line).collect(Collectors.toList());
    // noise variants
    assertTrue(lines.stream().anyMatch(l -> l.contains("\t/bulletins/MMSA-") && l.contains("\tGo-http-client/")));
    assertTrue(lines.stream().anyMatch(l -> l.contains("\t/favicon.ico\t")));
    assertTrue(lines.stream().anyMatch(l -> l.contains("\tcurl/7.81.0\t") && l.contains("\t/security\t")));
    assertTrue(lines.stream().anyMatch(l -> l.contains("\tMozilla/5.0%20(")));
    assertTrue(lines.stream().anyMatch(l -> l.contains("\tMozilla/5.0%2520(")));
    assertTrue(lines.stream().anyMatch(l -> l.contains("b=BUMP_RELEASE")));
    assertTrue(lines.stream().anyMatch(l -> l.contains("plyr-1")));
    assertTrue(lines.stream().anyMatch(l -> l.contains("\tPOST\t") && l.contains("\t/security\t")));
    assertTrue(lines.stream().anyMatch(l -> l.contains("&id=&")));
    assertTrue(lines.stream().anyMatch(l -> l.contains("\t/security\t") && l.contains("\tGo-http-client/")
        && l.split("\t")[11].equals("-")));
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("2026-13-45\t")));
    assertTrue(lines.stream().anyMatch(l -> l.contains("auc=abc")));
    assertTrue(lines.stream().anyMatch(l -> !l.contains("\t")), "garbage token");
    assertTrue(lines.stream().anyMatch(l -> l.contains("\t") && l.split("\t", -1).length < 12), "truncated");
    assertTrue(reader.allLines.stream().anyMatch(l -> l.line().split("\t", -1).length == l.fields().size() + 1
        && l.line().endsWith("\t")), "stray trailing tab");

    // pings
    List<LocalLogReader.Ping> pings = reader.pings;
    assertTrue(pings.stream().anyMatch(p -> p.status().equals("000")), "status 000 ping");
    assertTrue(pings.stream().anyMatch(p -> p.ip().contains(":")), "IPv6");
    assertTrue(pings.stream().anyMatch(p -> GeneratorNetworks.lookup(p.ip()).isEmpty()
        && !p.ip().equals(GeneratorNetworks.RESTRICTED_IP)), "unknown country");
    assertTrue(pings.stream().anyMatch(p -> p.ip().startsWith("10.") || p.ip().startsWith("192.168.")
        || p.ip().startsWith("172.")), "private address");
    assertTrue(pings.stream().anyMatch(p -> !p.q().containsKey("auc")), "missing auc");
    assertTrue(pings.stream().anyMatch(p -> !p.q().containsKey("uc")), "missing uc");
    assertTrue(pings.stream().anyMatch(p -> !p.q().containsKey("tc")), "missing tc");
    assertTrue(pings.stream().anyMatch(p -> !p.q().containsKey("be")), "missing be");
    assertTrue(pings.stream().anyMatch(p -> !p.q().containsKey("db")), "missing db");
    assertTrue(pings.stream().anyMatch(p -> "".equals(p.q().get("os"))), "empty os");
    for (String os : List.of("linux", "windows", "darwin", "freebsd")) {
      assertTrue(pings.stream().anyMatch(p -> os.equals(p.q().get("os"))), os);
    }
    for (String db : List.of("postgres", "mysql")) {
      assertTrue(pings.stream().anyMatch(p -> db.equals(p.q().get("db"))), db);
    }
    assertTrue(pings.stream().anyMatch(p -> p.q().get("b").matches("\\d+\\.\\d+\\.\\d+\\.\\d+\\.\\d+\\.\\d+")));
    assertTrue(pings.stream().anyMatch(p -> p.q().get("b").matches("\\d+\\.\\d+\\.\\d+")));
    assertTrue(pings.stream().anyMatch(p -> p.q().get("b").matches("\\d+\\.\\d+\\.\\d+\\.cloud-.*")));
    assertTrue(pings.stream().anyMatch(p -> p.q().get("b").matches("\\d+\\.\\d+\\.\\d+\\.\\d{10,}")));
    assertTrue(pings.stream().anyMatch(p -> p.q().get("b").equals("9.8.0.dev") && "1".equals(p.q().get("ut"))));
    assertTrue(pings.stream().anyMatch(p -> p.id().length() == 25));
    assertTrue(pings.stream().anyMatch(p -> p.id().length() == 27));
    assertTrue(pings.stream().anyMatch(p -> p.ip().equals("194.30.0.184")));
    for (String c : List.of("RU", "IR", "KP")) {
      assertTrue(pings.stream().anyMatch(p -> c.equals(GeneratorNetworks.countryIsoOf(p.ip()))), c);
    }

    // duplicates: the same line twice
    Map<String, Long> lineCounts = pings.stream().collect(Collectors.groupingBy(
        p -> p.line().replaceAll("\t$", ""), Collectors.counting()));
    assertTrue(lineCounts.values().stream().anyMatch(c -> c > 1), "exact duplicate");

    // time vs file hour: same hour, or just past it (HH:00:0x) in the file of the hour before
    boolean pastHour = false;
    boolean pastDay = false;
    for (LocalLogReader.Ping p : pings) {
      assertFalse(p.date().isBefore(FROM) || p.date().isAfter(TO), p.line());
      LocalDateTime fileStart = LocalDate.parse(p.fileDate()).atTime(p.fileHour(), 0);
      if (p.at().isBefore(fileStart.plusHours(1))) {
        assertFalse(p.at().isBefore(fileStart), p.line());
      } else {
        assertTrue(p.at().isBefore(fileStart.plusHours(1).plusSeconds(10)), p.line());
        pastHour = true;
        pastDay |= !p.date().toString().equals(p.fileDate());
      }
    }
    assertTrue(pastHour, "a request finishing just past the hour");
    assertTrue(pastDay, "a request finishing just past midnight, in the previous day's 23h file");

    // not time-ordered within files
    Map<Path, List<LocalTime>> times = new HashMap<>();
    for (LocalLogReader.DataLine l : reader.allLines) {
      String[] f = l.line().split("\t");
      if (f.length > 2 && f[1].matches("([01]\\d|2[0-3]):[0-5]\\d:[0-5]\\d")) {
        times.computeIfAbsent(l.file(), k -> new ArrayList<>()).add(LocalTime.parse(f[1]));
      }
    }
    assertTrue(times.values().stream().anyMatch(t -> {
      for (int i = 1; i < t.size(); i++) {
        if (t.get(i).isBefore(t.get(i - 1))) {
          return true;
        }
      }
      return false;
    }), "lines are not strictly time-ordered");

    // server-day features, from the truth file
    List<String[]> rows = Files.readAllLines(result.serverDailyCsv()).stream().skip(1)
        .map(l -> l.split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)", -1)).collect(Collectors.toList());
    for (String reason : LocalLogReader.ORDER) {
      assertTrue(rows.stream().anyMatch(r -> r[7].contains(reason)), reason);
    }
    assertTrue(rows.stream().anyMatch(r -> r[7].startsWith("\"")), "several reasons on one server-day");
    assertTrue(rows.stream().anyMatch(r -> r[7].equals("ran_unit_tests")), "unit tests with an accepted build");
    assertTrue(rows.stream().anyMatch(r -> !r[3].isEmpty() && !r[4].isEmpty()
        && Integer.parseInt(r[3]) < Integer.parseInt(r[4])), "latest auc below the day's max");
    assertTrue(rows.stream().anyMatch(r -> Integer.parseInt(r[5]) > 1), "IP change within a day");
    assertTrue(rows.stream().anyMatch(r -> Integer.parseInt(r[6]) > 1), "version change within a day");
    assertTrue(rows.stream().anyMatch(r -> Integer.parseInt(r[2]) == 3), "three pings");
    assertTrue(rows.stream().anyMatch(r -> r[3].isEmpty()), "latest auc missing");
    assertTrue(rows.stream().anyMatch(r -> r[9].equals("unknown")), "unknown country");

    List<String> totals = Files.readAllLines(result.dailyTotalsCsv());
    assertTrue(totals.stream().anyMatch(l -> l.contains(",Unknown,")), "edition Unknown");
    assertTrue(totals.stream().anyMatch(l -> l.contains(",E0,")));
    assertTrue(totals.stream().anyMatch(l -> l.contains(",TE,")));
    assertTrue(totals.stream().anyMatch(l -> l.split(",")[5].equals("unknown")), "country unknown in totals");
    assertTrue(totals.stream().noneMatch(l -> Set.of("RU", "IR", "KP").contains(l.split(",")[5])));
  }

  @Test
  void refusesNonEmptyOutputUnlessOverwrite() throws IOException {
    Path out = tmp.resolve("overwrite");
    SecurityPingGenerator.Config cfg = smallConfig(out).servers(50).to(FROM);
    new SecurityPingGenerator(cfg).generate();
    Path keep = out.resolve("notes.txt");
    Files.writeString(keep, "keep me");
    assertThrows(IOException.class, () -> new SecurityPingGenerator(cfg).generate());
    Map<String, byte[]> before = snapshot(out);
    new SecurityPingGenerator(cfg.overwrite(true)).generate();
    assertEquals(before.keySet(), snapshot(out).keySet());
    assertTrue(Files.exists(keep), "files the generator did not write are left alone");
  }
}

package dw.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dw.io.warehouse.DuckDbStore;
import dw.io.warehouse.WarehouseUrl;
import dw.pipelines.generate.SecurityPingGenerator;
import dw.transforms.cloudfront.TestLines;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole security-pings backfill on embedded Flink over a folder where good files (the
 * generator's, with their ground truth) sit beside hostile ones: truncated gzip, a file that is not
 * gzip, an empty gzip, a zero-byte object, binary garbage, CRLF, non-UTF-8 bytes, a 10 MB line, a
 * header in the middle, headers only, {@code #Fields} with unknown and with duplicate fields, wrong
 * field counts, invalid dates and times, a leap second, IPv6 zone ids, percent-escapes that do not
 * decode, repeated and empty query keys, absurd numbers.
 *
 * <p>Each hostile file states what it holds ({@link Hostile}: lines, header lines, pings, filtered
 * lines and the dead letters by line number), counted from how the test wrote it. The run must
 * complete; the summary must balance and equal the ground truth plus the hostile files' counts;
 * every dead letter must have its file, line and reason; and the good days' tables must equal the
 * ground truth (a broken file never stops or changes the others).
 *
 * <p>The corpus is built from a {@link Format} (how a valid line, a header and a file name look)
 * so that another pipeline's test is one more {@link Format} and one run like {@link
 * #securityPingsSurviveEveryHostileFile()}.
 */
class HostileInputTest {
  @TempDir static Path dir;

  @AfterAll
  static void close() {
    DuckDbStore.closeAll();
  }

  /** What a pipeline's input looks like, for building hostile files of it. */
  record Format(
      List<String> headerLines,
      Function<Integer, String> validLine,
      Function<String, String> fileName,
      java.util.function.BiFunction<String, String, String> withQuery) {}

  /** A hostile file and what the test wrote into it. */
  record Hostile(
      String name,
      byte[] bytes,
      long lines,
      long headers,
      long pings,
      long filtered,
      Map<Long, String> deadByLine) {
    Hostile {
      deadByLine = new TreeMap<>(deadByLine);
    }
  }

  /** The day of the hostile files (the generator's days are 2026-09-01 and -02). */
  static final String HOSTILE_DAY = "2026-09-03";

  static final Format CLOUDFRONT =
      new Format(
          List.of(TestLines.VERSION_HEADER, TestLines.FIELDS_HEADER_33),
          n -> TestLines.NORMAL_EARLY
              .replace("2024-05-06", HOSTILE_DAY)
              .replace("wj3drgzdpnf54rxf5d8qd3dqne", String.format("hostile%019d", n)),
          tag -> "EHOSTILE/EHOSTILE." + HOSTILE_DAY + "-05." + tag + ".gz",
          (line, query) -> {
            String[] f = line.split("\t", -1);
            f[11] = query; // cs-uri-query
            return String.join("\t", f);
          });

  @Test
  void securityPingsSurviveEveryHostileFile() throws Exception {
    Path logs = dir.resolve("logs");
    GroundTruth.generateTwoDays(logs, 60, 23);
    List<Hostile> corpus = new ArrayList<>(corpus(CLOUDFRONT));
    corpus.addAll(queryCorpus(CLOUDFRONT, 0x40));
    for (Hostile h : corpus) {
      Path p = logs.resolve(h.name());
      Files.createDirectories(p.getParent());
      Files.write(p, h.bytes());
    }
    Path truncated = logs.resolve(CLOUDFRONT.fileName().apply("0000000f"));
    Files.write(truncated, truncatedGzip(CLOUDFRONT));

    Path mmdb = DemoGeoDatabase.write(dir.resolve("geo.mmdb"));
    Path w = dir.resolve("hostile.duckdb");
    RunSummary s =
        SecurityPingsCommand.execute(
                PipelineSupport.parse(
                    new String[] {
                      "--input=" + logs,
                      "--from=2026-09-01",
                      "--to=" + HOSTILE_DAY,
                      "--warehouse=" + w,
                      "--geoipCityDatabase=" + mmdb,
                      "--parallelism=2"
                    },
                    SecurityPingsOptions.class))
            .summary();
    WarehouseUrl url = WarehouseUrl.parse(w.toString());
    assertTrue(s.balanced(), s.toJsonLine());
    assertDeadLetters(s, url, corpus);
    // The truncated gzip: the lines before the damage, then one unreadable_file dead letter.
    List<String> truncatedDead =
        GroundTruth.query(url, "SELECT reason FROM dead_letters WHERE file LIKE '%.0000000f.gz'");
    assertEquals(1, truncatedDead.size(), truncatedDead.toString());
    assertTrue(truncatedDead.get(0).startsWith("unreadable_file: "), truncatedDead.toString());

    // Totals: the ground truth plus what the hostile files hold (the truncated file: 1..41 lines).
    JsonNode truth = GroundTruth.summary(logs);
    long lines = truth.get("lines_read").asLong() + corpus.stream().mapToLong(Hostile::lines).sum();
    long truncatedLines = s.json().get("lines_read").asLong() - lines;
    assertTrue(truncatedLines >= 1 && truncatedLines <= 41, "truncated file lines " + truncatedLines);
    long extraHeaders =
        s.json().get("header_lines").asLong()
            - truth.get("header_lines").asLong()
            - corpus.stream().mapToLong(Hostile::headers).sum();
    assertTrue(extraHeaders >= 0 && extraHeaders <= 2, "truncated file headers " + extraHeaders);
    assertEquals(
        truth.get("dead_lettered").asLong() + corpus.stream().mapToLong(h -> h.deadByLine().size()).sum() + 1,
        s.json().get("dead_lettered").asLong(),
        s.toJsonLine());
    long pingsBeyondTruth = s.json().get("parsed_pings").asLong() - truth.get("parsed_pings").asLong();
    long hostilePings = corpus.stream().mapToLong(Hostile::pings).sum();
    assertTrue(
        pingsBeyondTruth >= hostilePings && pingsBeyondTruth <= hostilePings + 39,
        "pings beyond the truth " + pingsBeyondTruth + ", hostile " + hostilePings);
    assertEquals(
        sum(truth.get("filtered")) + corpus.stream().mapToLong(Hostile::filtered).sum(),
        s.json().get("filtered_total").asLong(),
        s.toJsonLine());

    // The good days are exactly the ground truth: no hostile file stopped or changed them.
    List<String> totals = new ArrayList<>();
    for (String row : GroundTruth.query(url, GroundTruth.TOTALS_SQL)) {
      if (!row.startsWith(HOSTILE_DAY)) {
        totals.add(row);
      }
    }
    GroundTruth.assertSameRows(GroundTruth.csv(logs, SecurityPingGenerator.DAILY_TOTALS_CSV), totals, "good days");
    // Absurd counts never wrap around: no total of the hostile day is negative.
    List<String> negative =
        GroundTruth.query(
            url,
            "SELECT * FROM security_daily_totals WHERE active_users < 0 OR registered_users < 0"
                + " OR max_active_users < 0");
    assertEquals(List.of(), negative);
    // The hostile day's servers are the ones whose pings the test wrote as valid.
    List<String> hostileServers =
        GroundTruth.query(
            url, "SELECT server_id FROM security_server_daily WHERE log_date = DATE '" + HOSTILE_DAY + "'");
    assertTrue(hostileServers.size() >= 1 && hostileServers.size() <= hostilePings + 39, hostileServers.toString());
  }

  // ------------------------------------------------------------------------------ the corpus

  static List<Hostile> corpus(Format f) throws IOException {
    List<Hostile> out = new ArrayList<>();
    List<String> head = f.headerLines();
    String h = String.join("\n", head) + "\n";
    int tag = 0x10;

    // CRLF line ends: headers and three pings
    StringBuilder crlf = new StringBuilder();
    for (String l : head) {
      crlf.append(l).append("\r\n");
    }
    for (int i = 0; i < 3; i++) {
      crlf.append(f.validLine().apply(100 + i)).append("\r\n");
    }
    out.add(new Hostile(f.fileName().apply(hex(tag++)), gzip(crlf.toString()), 5, 2, 3, 0, Map.of()));

    // non-UTF-8 bytes in the user agent (Latin-1 é, a lone 0xFF)
    ByteArrayOutputStream latin = new ByteArrayOutputStream();
    latin.write(h.getBytes(StandardCharsets.UTF_8));
    latin.write(withUserAgentSuffix(f.validLine().apply(110), " caf\u00e9").getBytes(StandardCharsets.ISO_8859_1));
    latin.write('\n');
    latin.write(withUserAgentSuffix(f.validLine().apply(111), "\u00ff").getBytes(StandardCharsets.ISO_8859_1));
    latin.write('\n');
    out.add(new Hostile(f.fileName().apply(hex(tag++)), gzip(latin.toByteArray()), 4, 2, 2, 0, Map.of()));

    // a 10 MB line between two pings
    char[] big = new char[10 * 1024 * 1024];
    Arrays.fill(big, 'A');
    String tenMb = h + f.validLine().apply(120) + "\n" + new String(big) + "\n" + f.validLine().apply(121) + "\n";
    out.add(new Hostile(f.fileName().apply(hex(tag++)), gzip(tenMb), 5, 2, 2, 0, Map.of(4L, "too_few_fields")));

    // a header in the middle: a second #Version/#Fields with an older (26-field) layout
    String[] fields = f.validLine().apply(131).split("\t", -1);
    String middle =
        h + f.validLine().apply(130) + "\n" + TestLines.VERSION_HEADER + "\n" + TestLines.fieldsHeader(26) + "\n"
            + String.join("\t", Arrays.copyOf(fields, 26)) + "\n";
    out.add(new Hostile(f.fileName().apply(hex(tag++)), gzip(middle), 6, 4, 2, 0, Map.of()));

    // headers only
    out.add(new Hostile(f.fileName().apply(hex(tag++)), gzip(h), 2, 2, 0, 0, Map.of()));

    // #Fields with unknown fields (kept, not mapped) and lines with their extra values
    String unknown =
        TestLines.VERSION_HEADER + "\n" + TestLines.FIELDS_HEADER_33 + " x-future-field c-country\n"
            + f.validLine().apply(140) + "\tfuture\tDE\n";
    out.add(new Hostile(f.fileName().apply(hex(tag++)), gzip(unknown), 3, 2, 1, 0, Map.of()));

    // #Fields naming a field twice: the header and the lines under it are dead letters
    String duplicate =
        TestLines.VERSION_HEADER + "\n" + TestLines.FIELDS_HEADER_33.replace("time ", "time date ") + "\n"
            + f.validLine().apply(150) + "\n" + f.validLine().apply(151) + "\n"
            + TestLines.FIELDS_HEADER_33 + "\n" + f.validLine().apply(152) + "\n";
    out.add(
        new Hostile(
            f.fileName().apply(hex(tag++)), gzip(duplicate), 6, 2, 1, 0,
            Map.of(2L, "bad_fields_header", 3L, "bad_fields_header", 4L, "bad_fields_header")));

    // wrong field counts: too few, too many (extra trailing fields are accepted), a lone tab
    String counts =
        h + String.join("\t", Arrays.copyOf(fields, 10)) + "\n" + f.validLine().apply(160) + "\tx\ty\tz\n" + "\t\n";
    out.add(
        new Hostile(
            f.fileName().apply(hex(tag++)), gzip(counts), 5, 2, 1, 0,
            Map.of(3L, "too_few_fields", 5L, "empty_line")));

    // invalid dates and times, a leap second
    StringBuilder times = new StringBuilder(h);
    String[] badStamps = {
      "2026-02-30\t00:00:00", "2026-13-01\t00:00:00", HOSTILE_DAY + "\t25:00:00", HOSTILE_DAY + "\t23:59:60",
      "2026-9-3\t00:00:00", HOSTILE_DAY + "\t1:2:3", "20260903\t00:00:00"
    };
    Map<Long, String> timeDead = new TreeMap<>();
    for (int i = 0; i < badStamps.length; i++) {
      times.append(f.validLine().apply(170 + i).replace(HOSTILE_DAY + "\t00:12:41", badStamps[i])).append('\n');
      timeDead.put(3L + i, "bad_timestamp");
    }
    out.add(new Hostile(f.fileName().apply(hex(tag++)), gzip(times.toString()), 2 + badStamps.length, 2, 0, 0, timeDead));

    // IPv6 zone ids and other odd client addresses: kept pings, geo unknown
    StringBuilder ips = new StringBuilder(h);
    String[] oddIps = {"fe80::1%eth0", "fe80::1%25eth0", "::ffff:203.0.113.7", "999.1.1.1", "-"};
    for (int i = 0; i < oddIps.length; i++) {
      ips.append(f.validLine().apply(180 + i).replace("203.0.113.25", oddIps[i])).append('\n');
    }
    out.add(new Hostile(f.fileName().apply(hex(tag++)), gzip(ips.toString()), 2 + oddIps.length, 2, oddIps.length, 0, Map.of()));

    // binary garbage (gzip-compressed random bytes, no '#' first, '\n' separated)
    Map<Long, String> garbageDead = new TreeMap<>();
    for (int i = 0; i < 40; i++) {
      garbageDead.put(i + 1L, "too_few_fields");
    }
    byte[] garbage = garbage(new Random(42), 40, 300, (b, j) -> b == '\t' || b == ' ' || (j == 0 && b == '#'));
    out.add(new Hostile(f.fileName().apply(hex(tag++)), gzip(garbage), 40, 0, 0, 0, garbageDead));

    // an empty gzip (no lines), a zero-byte object, a file that is not gzip at all
    out.add(new Hostile(f.fileName().apply(hex(tag++)), gzip(""), 0, 0, 0, 0, Map.of()));
    out.add(new Hostile(f.fileName().apply(hex(tag++)), new byte[0], 1, 0, 0, 0, Map.of(1L, "unreadable_file")));
    out.add(
        new Hostile(
            f.fileName().apply(hex(tag++)), (h + f.validLine().apply(220) + "\n").getBytes(StandardCharsets.UTF_8),
            1, 0, 0, 0, Map.of(1L, "unreadable_file")));
    return out;
  }

  /** The line with {@code suffix} appended to its {@code cs(User-Agent)} (the standard layout's 11th field). */
  static String withUserAgentSuffix(String line, String suffix) {
    String[] f = line.split("\t", -1);
    f[10] = f[10] + suffix;
    return String.join("\t", f);
  }

  /**
   * The security pings' own hostile files: query strings (percent-escapes that do not decode,
   * repeated and empty keys, absurd numbers); tags from {@code tag}.
   */
  static List<Hostile> queryCorpus(Format f, int tag) throws IOException {
    List<Hostile> out = new ArrayList<>();
    String h = String.join("\n", f.headerLines()) + "\n";
    // percent-escapes that do not decode: kept literally; a count that does not decode to a number
    String escapes =
        h + f.validLine().apply(190).replace("id=hostile", "id=%zz%hostile") + "\n"
            + f.validLine().apply(191).replace("auc=37", "auc=%4") + "\n"
            + f.validLine().apply(192).replace("b=9.5.3.9.5.3", "b=9.5.%C3%28.%FF%") + "\n";
    out.add(new Hostile(f.fileName().apply(hex(tag++)), gzip(escapes), 5, 2, 2, 0, Map.of(4L, "bad_number_auc")));

    // repeated and empty query keys: first value wins; no id at all is filtered
    String repeated =
        h + f.withQuery().apply(f.validLine().apply(200), "id=" + String.format("hostile%019d", 200)
            + "&id=other&=x&&auc=&auc=5&uc=&=") + "\n"
            + f.withQuery().apply(f.validLine().apply(201), "=&&&=&id=") + "\n";
    out.add(new Hostile(f.fileName().apply(hex(tag++)), gzip(repeated), 4, 2, 1, 1, Map.of()));

    // absurd numbers: negative, the largest long, overflowing
    String absurd =
        h + f.validLine().apply(210).replace("auc=37", "auc=-5") + "\n"
            + f.validLine().apply(211).replace("auc=37", "auc=9223372036854775807").replace("uc=212", "uc=9223372036854775807") + "\n"
            + f.validLine().apply(212).replace("auc=37", "auc=9223372036854775807").replace("uc=212", "uc=9223372036854775807") + "\n"
            + f.validLine().apply(213).replace("uc=212", "uc=99999999999999999999") + "\n"
            + f.validLine().apply(214).replace("tc=4", "tc=-9223372036854775809") + "\n";
    out.add(
        new Hostile(
            f.fileName().apply(hex(tag++)), gzip(absurd), 7, 2, 3, 0,
            Map.of(6L, "bad_number_uc", 7L, "bad_number_tc")));

    return out;
  }

  /**
   * Every dead letter names its file, a line number and a reason; there are as many as the summary
   * counts; each hostile file has exactly its dead letters, by line and reason ({@code
   * unreadable_file: <error>} compared without the error).
   */
  static void assertDeadLetters(RunSummary s, WarehouseUrl url, List<Hostile> corpus) throws Exception {
    List<String> dead = GroundTruth.query(url, "SELECT file, line_number, reason FROM dead_letters");
    for (String row : dead) {
      String[] f = row.split("\\|", -1);
      assertFalse(f[0].isEmpty(), row);
      assertTrue(Long.parseLong(f[1]) > 0, row);
      assertFalse(f[2].isEmpty(), row);
    }
    assertEquals(s.json().get("dead_lettered").asLong(), dead.size(), s.toJsonLine());
    for (Hostile h : corpus) {
      List<String> expected = new ArrayList<>();
      h.deadByLine().forEach((line, reason) -> expected.add(line + "|" + reason));
      java.util.Collections.sort(expected);
      List<String> actual =
          GroundTruth.query(
              url,
              "SELECT line_number, CASE WHEN reason LIKE 'unreadable_file%' THEN 'unreadable_file' ELSE reason END"
                  + " FROM dead_letters WHERE file LIKE '%/" + h.name().substring(h.name().lastIndexOf('/') + 1) + "'");
      GroundTruth.assertSameRows(expected, actual, "dead letters of " + h.name());
    }
  }

  /**
   * {@code lines} lines of 1..{@code maxLength} random bytes, each ended by {@code '\n'}; the bytes
   * {@code replaced} accepts (given the byte and its place in the line) become {@code 'x'}.
   */
  static byte[] garbage(Random r, int lines, int maxLength, java.util.function.BiPredicate<Byte, Integer> replaced) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < lines; i++) {
      byte[] l = new byte[1 + r.nextInt(maxLength)];
      r.nextBytes(l);
      for (int j = 0; j < l.length; j++) {
        if (l[j] == '\n' || l[j] == '\r' || replaced.test(l[j], j)) {
          l[j] = 'x';
        }
      }
      out.write(l, 0, l.length);
      out.write('\n');
    }
    return out.toByteArray();
  }

  /** 40 pings and headers, gzip-compressed, cut in the middle of the deflate stream. */
  static byte[] truncatedGzip(Format f) throws IOException {
    StringBuilder sb = new StringBuilder(String.join("\n", f.headerLines())).append('\n');
    Random r = new Random(7);
    for (int i = 0; i < 38; i++) {
      // varied text so that the compressed stream is long enough to cut in the middle
      sb.append(f.validLine().apply(300 + i).replace("6IRRlaG5uBxnm92y", Long.toHexString(r.nextLong()))).append('\n');
    }
    byte[] full = gzip(sb.toString());
    return Arrays.copyOf(full, full.length / 2);
  }

  static long sum(JsonNode counts) {
    long n = 0;
    for (JsonNode v : counts) {
      n += v.asLong();
    }
    return n;
  }

  static String hex(int tag) {
    return String.format("%08x", tag);
  }

  static byte[] gzip(String text) throws IOException {
    return gzip(text.getBytes(StandardCharsets.UTF_8));
  }

  static byte[] gzip(byte[] bytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(bytes);
    }
    return out.toByteArray();
  }
}

package dw.pipelines;

import static dw.pipelines.HostileInputTest.gzip;
import static dw.pipelines.HostileInputTest.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dw.geo.IpAddresses;
import dw.io.warehouse.DuckDbStore;
import dw.io.warehouse.WarehouseUrl;
import dw.pipelines.HostileInputTest.Hostile;
import dw.pipelines.generate.LicenseExportGenerator;
import dw.pipelines.generate.PushProxyGenerator;
import dw.pipelines.generate.SecurityPingGenerator;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link HostileInputTest} for the other pipelines, and their privacy: one backfill per pipeline
 * on embedded Flink over a folder where the generator's good files sit beside hostile ones
 * (push-proxy: ALB gzip files; licenses: CSV exports). Each hostile file states what it holds
 * (lines, records, filtered lines, dead letters by line and reason), counted from how the test wrote
 * it. The run must complete; the summary must balance ({@code lines_read = header_lines + parsed +
 * filtered + dead_lettered}) and equal the ground truth plus the hostile files' counts; every dead
 * letter has its file, line and reason, and each hostile file exactly its own; the good data's rows
 * equal the ground truth (a broken file never stops or changes the others).
 *
 * <p>Privacy, with the clear-text flags off: every client address (push-proxy: each text form, as
 * {@link ClientIpPrivacyTest} searches) or e-mail address (licenses) of the input, hostile lines
 * included, is searched in every table of the warehouse (incl. {@code dead_letters}) and in
 * push-proxy's Parquet lake; none may be there.
 *
 * <p>The hostile rows are kept apart from the good ones by a name the generator never uses (a load
 * balancer {@value #HOSTILE_LB}, license ids {@code HOSTILE-…}).
 */
class PipelinesHostileInputTest {
  @TempDir static Path dir;
  static Path mmdb;

  static final String HOSTILE_LB = "push-proxy-hostile";
  static final String PUSH_DAY = "2026-10-02";

  @BeforeAll
  static void geo() throws Exception {
    mmdb = DemoGeoDatabase.write(dir.resolve("geo.mmdb"));
  }

  @AfterAll
  static void close() {
    DuckDbStore.closeAll();
  }

  // ------------------------------------------------------------------------------ push-proxy

  /** A kept push request of the hostile load balancer on {@link #PUSH_DAY}, from {@code client}. */
  static String albLine(int n, String client) {
    return "https " + PUSH_DAY + "T10:15:02.123456Z app/" + HOSTILE_LB + "/0123456789abcdef " + client
        + " 10.0.1.17:8066 0.000 0.045 0.000 200 200 812 321"
        + " \"POST https://push.example.com:443/api/v1/send_push HTTP/1.1\" \"Go-http-client/1.1\""
        + " ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2"
        + " arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/push-proxy/73e2d6bc24d8a067"
        + " \"Root=1-66389f1a-" + String.format("%024x", n) + "\" \"push.example.com\" \"arn:aws:acm:us-east-1:1:certificate/x\""
        + " 0 " + PUSH_DAY + "T10:15:02.077000Z \"forward\" \"-\" \"-\" \"10.0.1.17:8066\" \"200\" \"-\" \"-\"";
  }

  static String albLine(int n) {
    return albLine(n, "24.48.1." + (n % 250) + ":" + (4000 + n));
  }

  /** The hostile ALB files of {@link #PUSH_DAY}, named by {@code name} from a tag. */
  static List<Hostile> albCorpus(IntFunction<String> name) throws IOException {
    List<Hostile> out = new ArrayList<>();
    int tag = 0x10;
    // CRLF line ends
    StringBuilder crlf = new StringBuilder();
    for (int i = 0; i < 3; i++) {
      crlf.append(albLine(100 + i)).append("\r\n");
    }
    out.add(new Hostile(name.apply(tag++), gzip(crlf.toString()), 3, 0, 3, 0, Map.of()));

    // bytes that are not UTF-8 (Latin-1 é in the user agent, a lone 0xFF in the trace id)
    ByteArrayOutputStream latin = new ByteArrayOutputStream();
    latin.write(albLine(110).replace("Go-http-client/1.1", "Go-http-client/1.1 caf\u00e9").getBytes(StandardCharsets.ISO_8859_1));
    latin.write('\n');
    latin.write(albLine(111).replace("Root=1-", "Root=1-\u00ff").getBytes(StandardCharsets.ISO_8859_1));
    latin.write('\n');
    out.add(new Hostile(name.apply(tag++), gzip(latin.toByteArray()), 2, 0, 2, 0, Map.of()));

    // a 10 MB line (starting with a private client address) between two requests
    char[] big = new char[10 * 1024 * 1024];
    Arrays.fill(big, 'A');
    String tenMb = albLine(120) + "\n10.9.8.7:5555 " + new String(big) + "\n" + albLine(121) + "\n";
    out.add(new Hostile(name.apply(tag++), gzip(tenMb), 3, 0, 2, 0, Map.of(2L, "unknown_format")));

    // wrong field counts: cut (with a private client), extra trailing fields, a blank and a spaces-only line
    String[] tokens = albLine(130, "10.9.8.8:5555").split(" ");
    String counts =
        String.join(" ", Arrays.copyOf(tokens, 10)) + "\n" + albLine(131) + " x \"y z\" TID_1\n" + "\n" + "   \n";
    out.add(new Hostile(name.apply(tag++), gzip(counts), 4, 0, 1, 0,
        Map.of(1L, "too_few_fields", 3L, "empty_line", 4L, "empty_line")));

    // invalid dates and times; a leap second is read as the next minute's first second
    String good = PUSH_DAY + "T10:15:02.123456Z";
    String[] bad = {
      "2026-02-30T00:00:00Z", "2026-13-01T00:00:00.000000Z", PUSH_DAY + "T25:00:00Z", PUSH_DAY + "T00:00:00",
      "2026-10-2T00:00:00.000Z", "20261002T000000Z"
    };
    StringBuilder times = new StringBuilder();
    Map<Long, String> timeDead = new TreeMap<>();
    for (int i = 0; i < bad.length; i++) {
      times.append(albLine(140 + i).replace(good, bad[i])).append('\n');
      timeDead.put(1L + i, "bad_timestamp");
    }
    times.append(albLine(150).replace(good, PUSH_DAY + "T10:59:60.000000Z")).append('\n');
    out.add(new Hostile(name.apply(tag++), gzip(times.toString()), bad.length + 1, 0, 1, 0, timeDead));

    // IPv6 zone ids and other odd client addresses: kept requests, country unknown
    String[] odd = {"[fe80::1%eth0]:443", "[fe80::1%25eth0]:443", "[::ffff:203.0.113.7]:443", "999.1.1.1:5", "-", "[fd12:3456::7]:443"};
    StringBuilder ips = new StringBuilder();
    for (int i = 0; i < odd.length; i++) {
      ips.append(albLine(160 + i, odd[i])).append('\n');
    }
    out.add(new Hostile(name.apply(tag++), gzip(ips.toString()), odd.length, 0, odd.length, 0, Map.of()));

    // absurd numbers: overflowing, the largest long, negative (read as not known)
    String numbers = " 0.000 0.045 0.000 200 200 812 321 ";
    String absurd =
        albLine(170).replace(numbers, " 0.000 0.045 0.000 200 200 812 99999999999999999999 ") + "\n"
            + albLine(171).replace(numbers, " 0.000 0.045 0.000 200 200 812 9223372036854775807 ") + "\n"
            + albLine(172).replace(numbers, " 0.000 0.045 0.000 9999999999 200 812 321 ") + "\n"
            + albLine(173).replace(numbers, " 99999999999999.5 0.045 0.000 200 200 812 321 ") + "\n"
            + albLine(174).replace(numbers, " 0.000 0.045 0.000 200 200 -5 321 ") + "\n";
    out.add(new Hostile(name.apply(tag++), gzip(absurd), 5, 0, 1, 0,
        Map.of(1L, "bad_number: sent_bytes", 2L, "bad_number: sent_bytes", 3L, "bad_number: elb_status_code",
            4L, "bad_number: request_processing_time")));

    // an unterminated quote, and the other load-balancer formats (client addresses private and public)
    String formats =
        albLine(180).replace("\"Go-http-client/1.1\"", "\"Go-http-client/1.1") + "\n"
            + PUSH_DAY + "T10:15:02.123456Z my-loadbalancer 10.9.8.9:2817 10.0.0.1:80 0.000073 0.001048 0.000057 200 200 0 29"
            + " \"GET http://www.example.com:80/ HTTP/1.1\" \"curl/7.38.0\" - -\n"
            + "tls 2.0 " + PUSH_DAY + "T10:15:02 net/my-nlb/c6e77e28c25b2234 g3d4b5e8bb8464cd 91.0.3.4:51341"
            + " 172.100.100.185:443 5 2 98 246 - - - ECDHE-RSA-AES128-SHA tlsv12 - - - - - " + PUSH_DAY + "T10:15:02\n"
            + PUSH_DAY + "T10:15:02.123456Z 2001:db8::77 36280 443 TLSv1.2 ECDHE-RSA-AES128-GCM-SHA256 4 - - - Success TID_1\n";
    out.add(new Hostile(name.apply(tag++), gzip(formats), 4, 0, 0, 0,
        Map.of(1L, "unterminated_quote", 2L, "other_format: classic_elb_access_log", 3L, "other_format: nlb_access_log",
            4L, "other_format: alb_connection_log")));

    // binary garbage: one token per line (no white space or quotes), so an unknown format
    Map<Long, String> garbageDead = new TreeMap<>();
    for (int i = 0; i < 40; i++) {
      garbageDead.put(i + 1L, "unknown_format");
    }
    byte[] garbage = HostileInputTest.garbage(new Random(42), 40, 300, (b, j) -> (b >= 0 && b <= ' ') || b == '"' || b == 0x7f);
    out.add(new Hostile(name.apply(tag++), gzip(garbage), 40, 0, 0, 0, garbageDead));

    // an empty gzip, a zero-byte object, a file that is not gzip
    out.add(new Hostile(name.apply(tag++), gzip(""), 0, 0, 0, 0, Map.of()));
    out.add(new Hostile(name.apply(tag++), new byte[0], 1, 0, 0, 0, Map.of(1L, "unreadable_file")));
    out.add(new Hostile(name.apply(tag++), (albLine(190) + "\n").getBytes(StandardCharsets.UTF_8), 1, 0, 0, 0,
        Map.of(1L, "unreadable_file")));
    return out;
  }

  /** 40 requests, gzip-compressed, cut in the middle of the deflate stream. */
  static byte[] truncatedGzip(IntFunction<String> line) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 40; i++) {
      sb.append(line.apply(300 + i)).append('\n');
    }
    byte[] full = gzip(sb.toString());
    return Arrays.copyOf(full, full.length / 2);
  }

  @Test
  void pushProxySurvivesEveryHostileFileAndStoresNoClearAddress() throws Exception {
    Path logs = dir.resolve("alb");
    new PushProxyGenerator(
            new PushProxyGenerator.Config(logs)
                .from(LocalDate.parse("2026-10-01"))
                .to(LocalDate.parse("2026-10-02"))
                .requestsPerHour(20)
                .seed(13))
        .generate();
    String account;
    try (Stream<Path> s = Files.list(logs.resolve("AWSLogs"))) {
      account = s.findFirst().orElseThrow().getFileName().toString();
    }
    String folder = "AWSLogs/" + account + "/elasticloadbalancing/us-east-1/" + PUSH_DAY.replace('-', '/') + "/";
    IntFunction<String> name =
        tag -> folder + account + "_elasticloadbalancing_us-east-1_app." + HOSTILE_LB + ".0123456789abcdef_"
            + PUSH_DAY.replace("-", "") + "T1020Z_198.51.100.99_" + hex(tag) + ".log.gz";
    List<Hostile> corpus = albCorpus(name);
    write(logs, corpus);
    String truncatedName = name.apply(0x0f);
    Files.write(logs.resolve(truncatedName), truncatedGzip(n -> albLine(n).replace("0123456789abcdef ", Long.toHexString(new Random(n).nextLong()) + " ")));

    Path w = dir.resolve("push.duckdb");
    Path lake = dir.resolve("push-lake");
    RunSummary s =
        PushProxyCommand.execute(
                PipelineSupport.parse(
                    new String[] {
                      "--input=" + logs,
                      "--from=2026-10-01",
                      "--to=" + PUSH_DAY,
                      "--warehouse=" + w,
                      "--lake=" + lake,
                      "--geoipCityDatabase=" + mmdb,
                      "--deployments=" + PushProxyGenerator.DEPLOYMENTS_OPTION,
                      "--parallelism=2"
                    },
                    PushProxyOptions.class))
            .summary();
    WarehouseUrl url = WarehouseUrl.parse(w.toString());
    JsonNode truth = PushProxyTruth.summary(logs);
    assertAccounting(s, url, truth, "parsed_requests", corpus, truncatedName, 40, 0);

    // the good load balancers' rows are exactly the ground truth
    GroundTruth.assertSameRows(
        PushProxyTruth.csv(logs, PushProxyGenerator.HOURLY_CSV),
        GroundTruth.query(url, PushProxyTruth.HOURLY_SQL + " WHERE load_balancer <> 'app/" + HOSTILE_LB + "'"),
        "push_proxy_hourly");
    GroundTruth.assertSameRows(
        PushProxyTruth.csv(logs, PushProxyGenerator.BY_COUNTRY_CSV),
        GroundTruth.query(url, PushProxyTruth.BY_COUNTRY_SQL + " WHERE deployment NOT LIKE '%" + HOSTILE_LB + "%'"),
        "push_proxy_hourly_by_country");
    // absurd numbers never wrap around
    assertEquals(List.of(), GroundTruth.query(url,
        "SELECT * FROM push_proxy_hourly WHERE received_bytes < 0 OR sent_bytes < 0 OR requests < 0"));

    // privacy: no client address of the input in any table or in the lake
    Set<String> clients = albClients(logs);
    clients.addAll(List.of("10.9.8.7", "10.9.8.8", "10.9.8.9", "91.0.3.4", "2001:db8::77", "fd12:3456::7", "::ffff:203.0.113.7"));
    ClientIpPrivacyTest.AddressScanner scanner = new ClientIpPrivacyTest.AddressScanner(clients);
    assertTrue(clients.stream().anyMatch(ip -> ip.startsWith("10.")) && clients.stream().anyMatch(ip -> ip.contains(":")));
    Map<String, List<String>> tables = allTables(url);
    assertTrue(tables.keySet().containsAll(List.of("dead_letters", "push_proxy_hourly", "push_proxy_hourly_by_country")), tables.keySet().toString());
    for (Map.Entry<String, List<String>> t : tables.entrySet()) {
      assertEquals(Set.of(), scanner.find(t.getValue()), t.getKey());
    }
    String parquet = "read_parquet('" + lake + "/table=push_proxy_requests/*/*/*.parquet', hive_partitioning = true)";
    List<String> lakeRows = GroundTruth.query(WarehouseUrl.parse(dir.resolve("lake-read.duckdb").toString()), "SELECT * FROM " + parquet);
    assertEquals(s.json().get("parsed_requests").asLong(), lakeRows.size());
    assertEquals(Set.of(), scanner.find(lakeRows), "lake");
    assertEquals(Set.of(), scanLakeBytes(lake, scanner), "lake files");
    // the scan can fail: it finds an address with a port, as a dead letter would hold it in clear
    assertEquals(Set.of("10.9.8.9"), scanner.find(("x " + "10.9.8.9:2817 y").getBytes(StandardCharsets.UTF_8)));
  }

  /** Every client address (without port or brackets) of the ALB lines of the input. */
  static Set<String> albClients(Path root) throws IOException {
    Set<String> ips = new TreeSet<>();
    for (Path f : files(root, ".gz")) {
      try (BufferedReader r = reader(f)) {
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          String[] t = line.split(" ", 5);
          if (t.length < 5) {
            continue;
          }
          String client = t[3];
          int colon = client.lastIndexOf(':');
          String host = colon < 0 ? client : client.substring(0, colon);
          if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
          }
          if (host.length() > 6 && IpAddresses.isLiteral(host) && host.indexOf('%') < 0) {
            ips.add(host);
          }
        }
      } catch (IOException e) {
        // the hostile files that are not gzip: their addresses are added by hand
      }
    }
    return ips;
  }

  // ------------------------------------------------------------------------------ releases

  /** A download of the hostile version 99.99.99 on the hostile day, its forwarded-for addresses set. */
  static String releaseLine(int n) {
    return String.join("\t", HostileInputTest.HOSTILE_DAY, "00:12:41", "IAD89-C1", "412881537", "203.0.113.25", "GET",
        "d2hxq6v3example.cloudfront.net", "/99.99.99/mattermost-99.99.99-linux-amd64.tar.gz", "200",
        "https://mattermost.com/download/", "Wget/1.21.2", "-", "6IRRlaG5uBxnm92y", "Hit", String.format("hostile%06d==", n),
        "releases.mattermost.com", "https", "189", "14.223", "198.51.100.7,%202001:db8::9", "TLSv1.3",
        "TLS_AES_128_GCM_SHA256", "Hit", "HTTP/1.1", "-", "-", "44318", "14.223", "Hit", "application/x-gzip",
        "412881537", "-", "-");
  }

  static final HostileInputTest.Format RELEASES =
      new HostileInputTest.Format(
          HostileInputTest.CLOUDFRONT.headerLines(),
          PipelinesHostileInputTest::releaseLine,
          HostileInputTest.CLOUDFRONT.fileName(),
          (line, query) -> line);

  /** The line with field {@code i} (standard layout) replaced. */
  static String withField(String line, int i, String value) {
    String[] f = line.split("\t", -1);
    f[i] = value;
    return String.join("\t", f);
  }

  @Test
  void releasesSurviveEveryHostileFileAndStoreNoClearAddress() throws Exception {
    Path logs = dir.resolve("releases");
    new dw.pipelines.generate.ReleaseLogGenerator(
            new dw.pipelines.generate.ReleaseLogGenerator.Config(logs)
                .from(LocalDate.parse("2026-09-02"))
                .to(LocalDate.parse("2026-09-04"))
                .downloadsPerDay(40)
                .seed(9))
        .generate();
    Set<String> clients = ClientIpPrivacyTest.clientIpsOf(logs);
    List<Hostile> corpus = new ArrayList<>(HostileInputTest.corpus(RELEASES));
    // absurd numbers and statuses, a download without a request id
    String h = String.join("\n", RELEASES.headerLines()) + "\n";
    String absurd =
        h + withField(releaseLine(400), 3, "99999999999999999999") + "\n"
            + withField(releaseLine(401), 3, "999999999999999999") + "\n"
            + withField(releaseLine(402), 3, "-5") + "\n"
            + withField(releaseLine(403), 8, "2000") + "\n"
            + withField(releaseLine(404), 8, "-1") + "\n"
            + withField(releaseLine(405), 14, "-") + "\n";
    corpus.add(new Hostile(RELEASES.fileName().apply(hex(0x40)), gzip(absurd), 8, 2, 1, 0,
        Map.of(3L, "bad_sc_bytes", 5L, "bad_sc_bytes", 6L, "bad_status", 7L, "bad_status", 8L, "missing_request_id")));
    write(logs, corpus);
    String truncatedName = RELEASES.fileName().apply(hex(0x0f));
    Files.write(logs.resolve(truncatedName), HostileInputTest.truncatedGzip(RELEASES));

    Path w = dir.resolve("releases.duckdb");
    Files.writeString(dir.resolve("releases.key"), "0123456789abcdef0123456789abcdef");
    RunSummary s =
        ReleasesCommand.execute(
                PipelineSupport.parse(
                    new String[] {
                      "--input=" + logs,
                      "--from=2026-09-02",
                      "--to=2026-09-04",
                      "--warehouse=" + w,
                      "--geoipCityDatabase=" + mmdb,
                      "--ipHashKeyFile=" + dir.resolve("releases.key"),
                      "--parallelism=2"
                    },
                    ReleasesOptions.class))
            .summary();
    WarehouseUrl url = WarehouseUrl.parse(w.toString());
    Path truth = logs.resolve(SecurityPingGenerator.TRUTH_DIR);
    JsonNode expected = JsonTruth.summary(truth.resolve(dw.pipelines.generate.ReleaseLogGenerator.SUMMARY_JSON));
    assertAccounting(s, url, expected, "parsed_downloads", corpus, truncatedName, 40, 2);

    // the generator's downloads are exactly the ground truth (client_ip is not stored: compared without it)
    List<String> downloads = new ArrayList<>();
    for (String row : JsonTruth.rows(truth.resolve(dw.pipelines.generate.ReleaseLogGenerator.DOWNLOADS_JSONL))) {
      List<String> f = new ArrayList<>(Arrays.asList(row.split("\\|", -1)));
      f.remove(11);
      downloads.add(String.join("|", f));
    }
    GroundTruth.assertSameRows(downloads,
        GroundTruth.query(url, ReleasesFlinkTest.DOWNLOADS_SQL.replace(" client_ip,", "") + " WHERE version <> '99.99.99'"),
        "release_downloads");
    GroundTruth.assertSameRows(
        JsonTruth.rows(truth.resolve(dw.pipelines.generate.ReleaseLogGenerator.DAILY_JSONL)),
        GroundTruth.query(url, ReleasesFlinkTest.DAILY_SQL + " WHERE version <> '99.99.99'"),
        "release_downloads_daily");
    assertEquals(List.of(), GroundTruth.query(url, "SELECT * FROM release_downloads_daily WHERE bytes < 0 OR downloads < 0"));

    // privacy: no client address (c-ip, x-forwarded-for) of the input in any table
    clients.addAll(List.of("203.0.113.25", "::ffff:203.0.113.7", "198.51.100.7", "2001:db8::9"));
    ClientIpPrivacyTest.AddressScanner scanner = new ClientIpPrivacyTest.AddressScanner(clients);
    Map<String, List<String>> tables = allTables(url);
    assertTrue(tables.keySet().containsAll(List.of("dead_letters", "release_downloads", "release_downloads_daily")), tables.keySet().toString());
    for (Map.Entry<String, List<String>> t : tables.entrySet()) {
      assertEquals(Set.of(), scanner.find(t.getValue()), t.getKey());
    }
    assertFalse(GroundTruth.query(url, "SELECT raw_line FROM dead_letters WHERE raw_line LIKE '%hostile%'").isEmpty());
  }

  // ------------------------------------------------------------------------------ licenses

  static final String LICENSE_DAY = "2020-01-04";
  static final String CSV_HEADER = String.join(",", dw.transforms.licenses.LicenseCsv.REQUIRED);

  /** A valid export row of a hostile license (issued 2020-01-01, expires 2021-01-01). */
  static String csvRow(int n) {
    return "CUS-H" + n + ",Hostile Co " + n + ",+1 555 01" + n + ",h" + n + "@hostile.example,cus_h" + n
        + ",HOSTILE-" + n + ",1577836800000,1609459200000";
  }

  static List<Hostile> csvCorpus(IntFunction<String> name) throws IOException {
    List<Hostile> out = new ArrayList<>();
    int tag = 0x10;
    String h = CSV_HEADER + "\n";
    // CRLF line ends, a byte-order mark
    out.add(new Hostile(name.apply(tag++),
        ("\uFEFF" + CSV_HEADER + "\r\n" + csvRow(100) + "\r\n" + csvRow(101) + "\r\n").getBytes(StandardCharsets.UTF_8),
        3, 1, 2, 0, Map.of()));
    // bytes that are not UTF-8 (Latin-1 in the company)
    out.add(new Hostile(name.apply(tag++), (h + csvRow(110).replace("Hostile Co", "Soci\u00e9t\u00e9 \u00ff")
        + "\n").getBytes(StandardCharsets.ISO_8859_1), 2, 1, 1, 0, Map.of()));
    // a 10 MB line holding an e-mail address at its end (one token: the old redaction's worst case)
    char[] big = new char[10 * 1024 * 1024];
    Arrays.fill(big, 'a');
    out.add(new Hostile(name.apply(tag++),
        (h + csvRow(120) + "\n" + new String(big) + "big@hostile.example\n" + csvRow(121) + "\n").getBytes(StandardCharsets.UTF_8),
        4, 1, 2, 0, Map.of(3L, "wrong_field_count: 1 fields, header has 8")));
    // wrong field counts, blank lines, duplicates, missing ids
    String counts =
        h + csvRow(130) + ",extra\n" + "CUS-H131,only three,fields\n" + "\n" + "   \n" + csvRow(132) + "\n" + csvRow(132) + "\n"
            + csvRow(133).replace("HOSTILE-133", " ") + "\n" + csvRow(134).replace("CUS-H134", "") + "\n";
    out.add(new Hostile(name.apply(tag++), counts.getBytes(StandardCharsets.UTF_8), 9, 1, 1, 3,
        Map.of(2L, "wrong_field_count: 9 fields, header has 8", 3L, "wrong_field_count: 3 fields, header has 8",
            8L, "missing_license_id", 9L, "missing_customer_id")));
    // invalid dates and absurd numbers
    String[] badIssued = {"2020-01-01", "1.5", "", "-", "99999999999999999999", "9223372036854775807", "253402300800000", "+5"};
    StringBuilder dates = new StringBuilder(h);
    Map<Long, String> dateDead = new TreeMap<>();
    for (int i = 0; i < badIssued.length; i++) {
      dates.append(csvRow(140 + i).replace(",1577836800000,", "," + badIssued[i] + ",")).append('\n');
      dateDead.put(2L + i, "bad_issued_at");
    }
    dates.append(csvRow(150).replace(",1609459200000", ",-9223372036854775808")).append('\n');
    dateDead.put(2L + badIssued.length, "bad_expires_at");
    dates.append(csvRow(151).replace(",1609459200000", ",1500000000000")).append('\n');
    dateDead.put(3L + badIssued.length, "expires_before_issued");
    dates.append(csvRow(152).replace(",1609459200000", ",253402300799999")).append('\n'); // 9999-12-31: kept
    out.add(new Hostile(name.apply(tag++), dates.toString().getBytes(StandardCharsets.UTF_8), badIssued.length + 4, 1, 1, 0, dateDead));
    // quotes: a quoted field with a comma, a doubled quote and a line break (two lines, one record),
    // then a quote that never closes: the rest of the file is one bad_csv dead letter after its last line
    String quotes =
        h + csvRow(160).replace("Hostile Co 160", "\"Hostile, \"\"Quoted\"\"\nCo\"") + "\n" + csvRow(161) + "\n"
            + csvRow(162).replace("Hostile Co 162", "\"never closed") + "\n" + csvRow(163) + "\n";
    out.add(new Hostile(name.apply(tag++), quotes.getBytes(StandardCharsets.UTF_8), 7, 1, 2, 3,
        Map.of(7L, "bad_csv: unclosed quote")));
    // binary garbage: its first line is no header, so every line is a bad_header dead letter
    Map<Long, String> garbageDead = new TreeMap<>();
    for (int i = 0; i < 20; i++) {
      garbageDead.put(i + 1L, "bad_header: missing column customerid");
    }
    byte[] garbage = HostileInputTest.garbage(new Random(42), 20, 200, (b, j) -> b == '"');
    out.add(new Hostile(name.apply(tag++), garbage, 20, 0, 0, 0, garbageDead));
    // a header without expiresat; a header only; a zero-byte file
    out.add(new Hostile(name.apply(tag++), (CSV_HEADER.replace(",expiresat", "") + "\n" + csvRow(170) + "\n").getBytes(StandardCharsets.UTF_8),
        2, 0, 0, 0, Map.of(1L, "bad_header: missing column expiresat", 2L, "bad_header: missing column expiresat")));
    out.add(new Hostile(name.apply(tag++), h.getBytes(StandardCharsets.UTF_8), 1, 1, 0, 0, Map.of()));
    out.add(new Hostile(name.apply(tag++), new byte[0], 0, 0, 0, 0, Map.of()));
    return out;
  }

  @Test
  void licensesSurviveEveryHostileFileAndStoreNoClearEmail() throws Exception {
    Path exports = dir.resolve("exports");
    new LicenseExportGenerator(
            new LicenseExportGenerator.Config(exports)
                .from(LocalDate.parse("2020-01-01"))
                .to(LocalDate.parse(LICENSE_DAY))
                .licenses(40)
                .seed(5))
        .generate();
    IntFunction<String> name = tag -> LICENSE_DAY + "/hostile-" + hex(tag) + "-" + LICENSE_DAY + ".csv";
    List<Hostile> corpus = csvCorpus(name);
    write(exports, corpus);
    Path w = dir.resolve("licenses.duckdb");
    Files.writeString(dir.resolve("licenses.key"), "0123456789abcdef0123456789abcdef");
    RunSummary s =
        LicensesCommand.execute(
                PipelineSupport.parse(
                    new String[] {
                      "--input=" + exports,
                      "--from=2020-01-01",
                      "--to=" + LICENSE_DAY,
                      "--warehouse=" + w,
                      "--ipHashKeyFile=" + dir.resolve("licenses.key"),
                      "--parallelism=2"
                    },
                    LicensesOptions.class))
            .summary();
    WarehouseUrl url = WarehouseUrl.parse(w.toString());
    Path truth = exports.resolve(SecurityPingGenerator.TRUTH_DIR);
    assertAccounting(s, url, JsonTruth.summary(truth.resolve(LicenseExportGenerator.SUMMARY_JSON)), "parsed_rows", corpus, null, 0, 0);

    // the generator's licenses are exactly the ground truth (hashed e-mails: compare without them)
    String values = "customer_id, company, number, stripe_id, CAST(issued_at AS VARCHAR), CAST(expires_at AS VARCHAR)";
    List<String> snapshots = GroundTruth.query(url, "SELECT CAST(snapshot_date AS VARCHAR), license_id, " + values
        + " FROM license_snapshots WHERE license_id NOT LIKE 'HOSTILE-%'");
    List<String> expected = new ArrayList<>();
    for (String row : JsonTruth.rows(truth.resolve(LicenseExportGenerator.SNAPSHOTS_JSONL))) {
      List<String> f = new ArrayList<>(Arrays.asList(row.split("\\|", -1)));
      f.remove(5); // email
      expected.add(String.join("|", f));
    }
    GroundTruth.assertSameRows(expected, snapshots, "license_snapshots");
    // the hostile files' kept rows, each once, with the value at the edge of the years kept
    List<String> hostile = GroundTruth.query(url, "SELECT license_id FROM license_snapshots WHERE license_id LIKE 'HOSTILE-%' ORDER BY 1");
    assertEquals(corpus.stream().mapToLong(Hostile::pings).sum(), hostile.size(), hostile.toString());
    assertTrue(hostile.contains("HOSTILE-152") && hostile.contains("HOSTILE-160"), hostile.toString());
    assertEquals(List.of("Hostile, \"Quoted\"\nCo"), GroundTruth.query(url, "SELECT company FROM license_snapshots WHERE license_id = 'HOSTILE-160'"));

    // privacy: no e-mail address of the input in any table
    Set<String> emails = csvEmails(exports);
    emails.add("big@hostile.example");
    assertTrue(emails.size() > 40, emails.size() + " addresses");
    Map<String, List<String>> tables = allTables(url);
    assertTrue(tables.keySet().containsAll(List.of("dead_letters", "license_snapshots", "licenses", "license_changes")), tables.keySet().toString());
    for (Map.Entry<String, List<String>> t : tables.entrySet()) {
      String all = String.join("\n", t.getValue()).toLowerCase(Locale.ROOT);
      List<String> found = emails.stream().filter(e -> all.contains(e.toLowerCase(Locale.ROOT))).toList();
      assertEquals(List.of(), found, t.getKey());
    }
    List<String> deadRaw = GroundTruth.query(url, "SELECT raw_line FROM dead_letters WHERE raw_line LIKE '%email-hash:%'");
    assertFalse(deadRaw.isEmpty(), "dead letters keep their lines, with hashes in the e-mails' place");
  }

  /** Every e-mail-like token of the input's CSV files. */
  static Set<String> csvEmails(Path root) throws IOException {
    Set<String> emails = new TreeSet<>();
    java.util.regex.Pattern p = java.util.regex.Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)+");
    for (Path f : files(root, ".csv")) {
      for (String line : Files.readAllLines(f, StandardCharsets.ISO_8859_1)) {
        if (line.length() > 10_000) {
          continue; // the 10 MB line (its address is added by hand): the expression backtracks quadratically
        }
        java.util.regex.Matcher m = p.matcher(line);
        while (m.find()) {
          emails.add(m.group());
        }
      }
    }
    return emails;
  }

  // ------------------------------------------------------------------------------ shared checks

  static void write(Path root, List<Hostile> corpus) throws IOException {
    for (Hostile h : corpus) {
      Path p = root.resolve(h.name());
      Files.createDirectories(p.getParent());
      Files.write(p, h.bytes());
    }
  }

  /**
   * The run balances; each dead letter names file, line and reason; each hostile file has exactly
   * its dead letters; the totals are the truth's plus the corpus's (plus, for a truncated gzip
   * named {@code truncated}, 1..{@code truncatedLines} lines read before the damage and one
   * {@code unreadable_file}).
   */
  static void assertAccounting(
      RunSummary s, WarehouseUrl url, JsonNode truth, String parsed, List<Hostile> corpus, String truncated, int truncatedLines,
      int truncatedHeaders)
      throws Exception {
    assertTrue(s.balanced(), s.toJsonLine());
    HostileInputTest.assertDeadLetters(s, url, corpus);
    long extraDead = 0;
    long extraLines = 0;
    long extraParsed = 0;
    if (truncated != null) {
      String file = truncated.substring(truncated.lastIndexOf('/') + 1);
      List<String> t = GroundTruth.query(url, "SELECT reason FROM dead_letters WHERE file LIKE '%/" + file + "'");
      assertEquals(1, t.size(), t.toString());
      assertTrue(t.get(0).startsWith("unreadable_file: "), t.toString());
      extraDead = 1;
    }
    JsonNode j = s.json();
    long lines = truth.get("lines_read").asLong() + corpus.stream().mapToLong(Hostile::lines).sum();
    long headers = truth.get("header_lines").asLong() + corpus.stream().mapToLong(Hostile::headers).sum();
    if (truncated != null) {
      extraLines = j.get("lines_read").asLong() - lines;
      long extraHeaders = j.get("header_lines").asLong() - headers;
      assertTrue(extraLines >= 1 && extraLines <= truncatedLines + 1, "truncated file lines " + extraLines);
      assertTrue(extraHeaders >= 0 && extraHeaders <= truncatedHeaders, "truncated file headers " + extraHeaders);
      extraParsed = extraLines - 1 - extraHeaders; // every line read before the damage is a record or a header
    } else {
      assertEquals(lines, j.get("lines_read").asLong(), s.toJsonLine());
      assertEquals(headers, j.get("header_lines").asLong(), s.toJsonLine());
    }
    assertEquals(truth.get("dead_lettered").asLong() + corpus.stream().mapToLong(h -> h.deadByLine().size()).sum() + extraDead,
        j.get("dead_lettered").asLong(), s.toJsonLine());
    assertEquals(truth.get(parsed).asLong() + corpus.stream().mapToLong(Hostile::pings).sum() + extraParsed,
        j.get(parsed).asLong(), s.toJsonLine());
    assertEquals(HostileInputTest.sum(truth.get("filtered")) + corpus.stream().mapToLong(Hostile::filtered).sum(),
        j.get("filtered_total").asLong(), s.toJsonLine());
    assertEquals(truth.get("files").asLong() + corpus.size() + (truncated != null ? 1 : 0), j.get("files").asLong(), s.toJsonLine());
  }

  /** Every row of every table of the warehouse, all columns. */
  static Map<String, List<String>> allTables(WarehouseUrl url) throws Exception {
    Map<String, List<String>> rows = new TreeMap<>();
    for (String t : GroundTruth.query(url, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'")) {
      rows.put(t, GroundTruth.query(url, "SELECT * FROM \"" + t + "\""));
    }
    return rows;
  }

  static Set<String> scanLakeBytes(Path lake, ClientIpPrivacyTest.AddressScanner scanner) throws IOException {
    Set<String> found = new TreeSet<>();
    for (Path f : files(lake, "")) {
      found.addAll(scanner.find(Files.readAllBytes(f)));
    }
    return found;
  }

  static List<Path> files(Path root, String suffix) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(suffix))
          .filter(p -> !p.toString().contains(SecurityPingGenerator.TRUTH_DIR)).sorted().toList();
    }
  }

  static BufferedReader reader(Path f) throws IOException {
    InputStream in = new GZIPInputStream(Files.newInputStream(f));
    return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
  }
}

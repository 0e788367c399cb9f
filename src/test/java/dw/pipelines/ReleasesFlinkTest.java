package dw.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dw.io.warehouse.DuckDbStore;
import dw.io.warehouse.WarehouseUrl;
import dw.pipelines.generate.ReleaseLogGenerator;
import dw.pipelines.generate.SecurityPingGenerator;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code releases} end to end on the Flink runner (embedded mini cluster), from generated
 * download-CDN logs into the embedded warehouse: the tables equal the generator's ground truth, the
 * line accounting equals the truth's, re-runs leave the tables identical, and re-running one day
 * replaces only that day.
 */
class ReleasesFlinkTest {
  static final String DOWNLOADS_SQL =
      "SELECT request_id, CAST(log_date AS VARCHAR), CAST(event_time AS VARCHAR), uri, download_type,"
          + " operating_system, version, version_major, version_minor, version_patch, response_bytes,"
          + " client_ip, country_iso, ua_browser_family, ua_os_family, CAST(is_bot AS VARCHAR), referrer_host"
          + " FROM release_downloads";
  static final String DAILY_SQL =
      "SELECT CAST(log_date AS VARCHAR), download_type, operating_system, version, country_iso, downloads,"
          + " distinct_clients, bytes FROM release_downloads_daily";

  @TempDir static Path dir;
  static Path logs;
  static Path mmdb;
  static Path truth;

  @BeforeAll
  static void generate() throws Exception {
    logs = dir.resolve("logs");
    new ReleaseLogGenerator(
            new ReleaseLogGenerator.Config(logs)
                .from(LocalDate.parse("2026-10-01"))
                .to(LocalDate.parse("2026-10-03"))
                .downloadsPerDay(120)
                .seed(5))
        .generate();
    truth = logs.resolve(SecurityPingGenerator.TRUTH_DIR);
    mmdb = DemoGeoDatabase.write(dir.resolve("geo.mmdb"));
    java.nio.file.Files.writeString(dir.resolve("ip.key"), "0123456789abcdef0123456789abcdef");
  }

  @AfterAll
  static void close() {
    DuckDbStore.closeAll();
  }

  static RunSummary run(String from, String to, String warehouse) {
    return ReleasesCommand.execute(
            PipelineSupport.parse(
                new String[] {
                  "--input=" + logs,
                  "--from=" + from,
                  "--to=" + to,
                  "--warehouse=" + warehouse,
                  "--geoipCityDatabase=" + mmdb,
                  "--storeClientIpInClear",
                  "--ipHashKeyFile=" + dir.resolve("ip.key"),
                  "--parallelism=2"
                },
                ReleasesOptions.class))
        .summary();
  }

  /** The summary's line accounting against the truth's. */
  static void assertAccounting(JsonNode expected, RunSummary s) {
    JsonNode j = s.json();
    for (String k : List.of("files", "lines_read", "header_lines", "parsed_downloads", "dead_lettered", "duplicate_request_ids")) {
      assertEquals(expected.get(k).asLong(), j.get(k).asLong(), k + " in " + s.toJsonLine());
    }
    assertEquals(JsonTruth.filtered(expected), JsonTruth.filtered(j), s.toJsonLine());
    assertTrue(s.balanced(), s.toJsonLine());
  }

  static void assertTablesEqualTruth(Path truth, WarehouseUrl url, String what) throws Exception {
    GroundTruth.assertSameRows(
        JsonTruth.rows(truth.resolve(ReleaseLogGenerator.DOWNLOADS_JSONL)), GroundTruth.query(url, DOWNLOADS_SQL), what + " downloads");
    GroundTruth.assertSameRows(
        JsonTruth.rows(truth.resolve(ReleaseLogGenerator.DAILY_JSONL)), GroundTruth.query(url, DAILY_SQL), what + " daily");
  }

  @Test
  void tablesEqualTheGroundTruthAndReRunsChangeNothing() throws Exception {
    Path w = dir.resolve("releases.duckdb");
    WarehouseUrl url = WarehouseUrl.parse(w.toString());
    RunSummary s = run("2026-10-01", "2026-10-03", w.toString());
    JsonNode expected = JsonTruth.summary(truth.resolve(ReleaseLogGenerator.SUMMARY_JSON));
    assertAccounting(expected, s);
    List<String> truthRows = JsonTruth.rows(truth.resolve(ReleaseLogGenerator.DOWNLOADS_JSONL));
    assertTrue(truthRows.size() > 300, "truth has " + truthRows.size() + " downloads");
    assertTrue(truthRows.stream().anyMatch(r -> r.contains("|10.11.2|10|11|2|")), "10.x downloads are in the truth");
    assertTrue(truthRows.stream().anyMatch(r -> r.contains("|Googlebot|Other|true|")), "bots are in the truth");
    assertTrue(expected.get("duplicate_request_ids").asLong() > 5, expected.toString());
    assertTablesEqualTruth(truth, url, "backfill");
    assertEquals(
        List.of(String.valueOf(expected.get("dead_lettered").asLong())),
        GroundTruth.query(url, "SELECT COUNT(*) FROM dead_letters WHERE pipeline = 'releases'"));
    // (this run stores client IPs in clear, so dead letters keep their lines as read, as every
    // pipeline's do; the hashed raw lines are checked by PipelinesHostileInputTest)
    List<String> all = GroundTruth.query(url, "SELECT * FROM release_downloads");
    List<String> daily = GroundTruth.query(url, "SELECT * FROM release_downloads_daily");

    // the same range again, then one day alone: identical tables (every column)
    run("2026-10-01", "2026-10-03", w.toString());
    assertEquals(all, GroundTruth.query(url, "SELECT * FROM release_downloads"));
    assertEquals(daily, GroundTruth.query(url, "SELECT * FROM release_downloads_daily"));
    RunSummary day2 = run("2026-10-02", "2026-10-02", w.toString());
    assertTrue(day2.balanced(), day2.toJsonLine());
    assertEquals(all, GroundTruth.query(url, "SELECT * FROM release_downloads"));
    assertEquals(daily, GroundTruth.query(url, "SELECT * FROM release_downloads_daily"));
  }

  @Test
  void aDayAloneHoldsExactlyItsDownloads() throws Exception {
    Path w = dir.resolve("day.duckdb");
    WarehouseUrl url = WarehouseUrl.parse(w.toString());
    RunSummary s = run("2026-10-02", "2026-10-02", w.toString());
    assertTrue(s.balanced(), s.toJsonLine());
    // the first day's last request is also logged in this day's first file: outside the range here
    assertTrue(s.json().get("filtered").get("outside_date_range").asLong() > 0, s.toJsonLine());
    List<String> expected = new ArrayList<>();
    for (String r : JsonTruth.rows(truth.resolve(ReleaseLogGenerator.DOWNLOADS_JSONL))) {
      if (r.split("\\|")[1].equals("2026-10-02")) {
        expected.add(r);
      }
    }
    GroundTruth.assertSameRows(expected, GroundTruth.query(url, DOWNLOADS_SQL), "downloads of 2026-10-02");
    GroundTruth.assertSameRows(
        JsonTruth.withFirst(JsonTruth.rows(truth.resolve(ReleaseLogGenerator.DAILY_JSONL)), "2026-10-02"),
        GroundTruth.query(url, DAILY_SQL),
        "daily of 2026-10-02");
  }
}

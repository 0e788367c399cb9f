package dw.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dw.io.warehouse.DuckDbStore;
import dw.io.warehouse.WarehouseUrl;
import dw.pipelines.generate.LicenseExportGenerator;
import dw.pipelines.generate.SecurityPingGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code licenses} end to end on the Flink runner (embedded mini cluster), from generated nightly
 * exports into the embedded warehouse: snapshots, licenses and changes equal the generator's ground
 * truth, the line accounting equals the truth's, e-mails are hashed unless asked for, and re-running
 * dates leaves every table identical.
 */
class LicensesFlinkTest {
  static final String VALUES =
      "customer_id, company, number, email, stripe_id, CAST(issued_at AS VARCHAR), CAST(expires_at AS VARCHAR)";
  static final String SNAPSHOTS_SQL =
      "SELECT CAST(snapshot_date AS VARCHAR), license_id, " + VALUES + " FROM license_snapshots";
  static final String LICENSES_SQL =
      "SELECT license_id, " + VALUES + ", CAST(first_seen_snapshot AS VARCHAR), CAST(last_seen_snapshot AS VARCHAR),"
          + " CAST(in_latest_snapshot AS VARCHAR) FROM licenses";
  static final String CHANGES_SQL =
      "SELECT CAST(snapshot_date AS VARCHAR), license_id, change_type, CAST(previous_snapshot_date AS VARCHAR),"
          + " CAST(previous_expires_at AS VARCHAR), CAST(expires_at AS VARCHAR) FROM license_changes";

  @TempDir static Path dir;
  static Path exports;
  static Path truth;

  @BeforeAll
  static void generate() throws Exception {
    exports = dir.resolve("exports");
    new LicenseExportGenerator(
            new LicenseExportGenerator.Config(exports)
                .from(LocalDate.parse("2020-01-01"))
                .to(LocalDate.parse("2020-01-06"))
                .licenses(60)
                .seed(3))
        .generate();
    truth = exports.resolve(SecurityPingGenerator.TRUTH_DIR);
    Files.writeString(dir.resolve("ip.key"), "0123456789abcdef0123456789abcdef");
  }

  @AfterAll
  static void close() {
    DuckDbStore.closeAll();
  }

  static RunSummary run(String from, String to, String warehouse, boolean emailInClear) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--input=" + exports,
                "--from=" + from,
                "--to=" + to,
                "--warehouse=" + warehouse,
                "--ipHashKeyFile=" + dir.resolve("ip.key"),
                "--parallelism=2"));
    if (emailInClear) {
      args.add("--storeEmailInClear");
    }
    return LicensesCommand.execute(PipelineSupport.parse(args.toArray(new String[0]), LicensesOptions.class))
        .summary();
  }

  static void assertAccounting(JsonNode expected, RunSummary s) {
    JsonNode j = s.json();
    for (String k : List.of("files", "files_skipped", "lines_read", "header_lines", "parsed_rows", "dead_lettered")) {
      assertEquals(expected.get(k).asLong(), j.get(k).asLong(), k + " in " + s.toJsonLine());
    }
    assertEquals(JsonTruth.filtered(expected), JsonTruth.filtered(j), s.toJsonLine());
    assertTrue(s.balanced(), s.toJsonLine());
  }

  static void assertTablesEqualTruth(Path truth, WarehouseUrl url, String what) throws Exception {
    GroundTruth.assertSameRows(
        JsonTruth.rows(truth.resolve(LicenseExportGenerator.SNAPSHOTS_JSONL)), GroundTruth.query(url, SNAPSHOTS_SQL), what + " snapshots");
    GroundTruth.assertSameRows(
        JsonTruth.rows(truth.resolve(LicenseExportGenerator.LICENSES_JSONL)), GroundTruth.query(url, LICENSES_SQL), what + " licenses");
    GroundTruth.assertSameRows(
        JsonTruth.rows(truth.resolve(LicenseExportGenerator.CHANGES_JSONL)), GroundTruth.query(url, CHANGES_SQL), what + " changes");
  }

  @Test
  void tablesEqualTheGroundTruthAndReRunsChangeNothing() throws Exception {
    Path w = dir.resolve("licenses.duckdb");
    WarehouseUrl url = WarehouseUrl.parse(w.toString());
    RunSummary s = run("2020-01-01", "2020-01-06", w.toString(), true);
    JsonNode expected = JsonTruth.summary(truth.resolve(LicenseExportGenerator.SUMMARY_JSON));
    assertAccounting(expected, s);
    List<String> changes = JsonTruth.rows(truth.resolve(LicenseExportGenerator.CHANGES_JSONL));
    for (String kind : List.of("|appeared|", "|disappeared|", "|expiry_changed|")) {
      assertTrue(changes.stream().anyMatch(r -> r.contains(kind)), kind + " in the truth");
    }
    assertTablesEqualTruth(truth, url, "backfill");
    assertEquals(
        List.of("bad_header: missing column expiresat|3"),
        GroundTruth.query(url, "SELECT reason, COUNT(*) FROM dead_letters WHERE reason LIKE 'bad_header%' GROUP BY reason"));
    assertEquals(
        List.of(String.valueOf(expected.get("dead_lettered").asLong())),
        GroundTruth.query(url, "SELECT COUNT(*) FROM dead_letters WHERE pipeline = 'licenses'"));
    // dead letters hold e-mail addresses only as hashes
    assertEquals(List.of("0"), GroundTruth.query(url, "SELECT COUNT(*) FROM dead_letters WHERE raw_line LIKE '%@%'"));

    List<String> snapshots = GroundTruth.query(url, "SELECT * FROM license_snapshots");
    List<String> licenses = GroundTruth.query(url, "SELECT * FROM licenses");
    List<String> changed = GroundTruth.query(url, "SELECT * FROM license_changes");
    run("2020-01-01", "2020-01-06", w.toString(), true);
    run("2020-01-04", "2020-01-04", w.toString(), true);
    assertEquals(snapshots, GroundTruth.query(url, "SELECT * FROM license_snapshots"));
    assertEquals(licenses, GroundTruth.query(url, "SELECT * FROM licenses"));
    assertEquals(changed, GroundTruth.query(url, "SELECT * FROM license_changes"));
  }

  @Test
  void emailsAreHashedUnlessAskedFor() throws Exception {
    Path w = dir.resolve("hashed.duckdb");
    WarehouseUrl url = WarehouseUrl.parse(w.toString());
    run("2020-01-02", "2020-01-02", w.toString(), false);
    assertEquals(List.of("0"), GroundTruth.query(url, "SELECT COUNT(*) FROM license_snapshots WHERE email IS NOT NULL"));
    assertEquals(List.of("0"), GroundTruth.query(url, "SELECT COUNT(*) FROM licenses WHERE email IS NOT NULL"));
    assertEquals(List.of("0"), GroundTruth.query(url,
        "SELECT COUNT(*) FROM license_snapshots WHERE email_hash IS NULL OR LENGTH(email_hash) <> 64"));
    // one address in different case and spacing gives one hash
    List<String> perHash = GroundTruth.query(url, "SELECT COUNT(DISTINCT email_hash) FROM license_snapshots");
    Path clear = dir.resolve("clear.duckdb");
    run("2020-01-02", "2020-01-02", clear.toString(), true);
    assertEquals(
        perHash,
        GroundTruth.query(WarehouseUrl.parse(clear.toString()),
            "SELECT COUNT(DISTINCT LOWER(TRIM(email))) FROM license_snapshots"));
    List<String> only = JsonTruth.withFirst(JsonTruth.rows(truth.resolve(LicenseExportGenerator.SNAPSHOTS_JSONL)), "2020-01-02");
    assertEquals(List.of(String.valueOf(only.size())), GroundTruth.query(url, "SELECT COUNT(*) FROM license_snapshots"));
  }
}

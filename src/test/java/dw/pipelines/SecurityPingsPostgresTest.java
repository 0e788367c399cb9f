package dw.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dw.io.warehouse.WarehouseUrl;
import dw.pipelines.generate.SecurityPingGenerator;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * security-pings into a real PostgreSQL through Beam JdbcIO (upserts on the keys, one atomic
 * statement per daily-totals snapshot): equals the ground truth, and a second run over the same
 * days leaves identical tables. The server is the machine's PostgreSQL on 127.0.0.1:5432 ({@code
 * .ci/run} starts or installs it); {@code DW_TEST_PG_URL} overrides the URL.
 */
class SecurityPingsPostgresTest {
  static final String BASE_URL = TestPostgres.BASE_URL;
  static final String SCHEMA = "dw_test_" + Long.toHexString(System.nanoTime());

  @TempDir static Path dir;
  static Path logs;
  static Path mmdb;
  static String url;

  @BeforeAll
  static void setUp() throws Exception {
    String schemaUrl = TestPostgres.createSchema(SCHEMA);
    url = schemaUrl;
    logs = dir.resolve("logs");
    GroundTruth.generateTwoDays(logs, 300, 23);
    mmdb = DemoGeoDatabase.write(dir.resolve("geo.mmdb"));
  }

  @AfterAll
  static void dropSchema() throws Exception {
    TestPostgres.dropSchema(SCHEMA);
  }

  private static RunSummary run() {
    return SecurityPingsCommand.execute(
            PipelineSupport.parse(
                new String[] {
                  "--input=" + logs,
                  "--from=2026-09-01",
                  "--to=2026-09-02",
                  "--warehouse=" + url,
                  "--geoipCityDatabase=" + mmdb,
                  "--parallelism=2"
                },
                SecurityPingsOptions.class))
        .summary();
  }

  @Test
  void backfillIntoPostgresEqualsGroundTruthAndIsIdempotent() throws Exception {
    WarehouseUrl w = WarehouseUrl.parse(url);
    RunSummary first = run();
    assertTrue(first.balanced(), first.toJsonLine());
    var totals = GroundTruth.csv(logs, SecurityPingGenerator.DAILY_TOTALS_CSV);
    var servers = GroundTruth.csv(logs, SecurityPingGenerator.SERVER_DAILY_CSV);
    GroundTruth.assertSameRows(totals, GroundTruth.query(w, GroundTruth.TOTALS_SQL), "postgres totals");
    GroundTruth.assertSameRows(servers, GroundTruth.query(w, GroundTruth.SERVERS_SQL), "postgres server days");

    run();
    GroundTruth.assertSameRows(totals, GroundTruth.query(w, GroundTruth.TOTALS_SQL), "postgres totals after re-run");
    GroundTruth.assertSameRows(servers, GroundTruth.query(w, GroundTruth.SERVERS_SQL), "postgres server days after re-run");
    assertEquals(
        java.util.List.of(String.valueOf(first.json().get("dead_lettered").asLong())),
        GroundTruth.query(w, "SELECT COUNT(*) FROM dead_letters"));
  }
}

package dw.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dw.io.snowflake.PostgresSnowflakeEmulator;
import dw.io.warehouse.WarehouseUrl;
import dw.pipelines.generate.SecurityPingGenerator;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * security-pings backfill with {@code --warehouse=snowflake://…} on the Flink runner: SnowflakeIO
 * stages gzip CSV files (a local folder stands in for the S3 bucket), and {@link
 * PostgresSnowflakeEmulator} runs the COPY INTO / MERGE transaction in PostgreSQL. The merged
 * tables equal the generator's ground truth; a second run leaves them identical; the private key
 * never shows in the output.
 */
class SecurityPingsSnowflakeTest {
  static final String BASE_URL = TestPostgres.BASE_URL;
  static final String SCHEMA = "dw_sfp_" + Long.toHexString(System.nanoTime());

  @TempDir static Path dir;
  static Path logs;
  static Path mmdb;
  static Path key;
  static String keyBase64;
  static String pgUrl;

  @BeforeAll
  static void setUp() throws Exception {
    String schemaUrl = TestPostgres.createSchema(SCHEMA);
    pgUrl = schemaUrl;
    System.setProperty(PostgresSnowflakeEmulator.URL_PROPERTY, pgUrl);
    logs = dir.resolve("logs");
    GroundTruth.generateTwoDays(logs, 300, 29);
    mmdb = DemoGeoDatabase.write(dir.resolve("geo.mmdb"));
    key = dir.resolve("rsa_key.p8");
    keyBase64 = Base64.getEncoder().encodeToString(dw.testing.TestKeys.writeRsaPrivateKey(key));
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
                  "--warehouse=snowflake://acme-test/ANALYTICS/PUBLIC",
                  "--snowflakeUser=LOADER",
                  "--snowflakePrivateKeyFile=" + key,
                  "--snowflakeWarehouse=LOAD_WH",
                  "--snowflakeStagingBucket=" + dir.resolve("stage"),
                  "--snowflakeStorageIntegration=DW_S3",
                  "--snowflakeSqlExecutor=" + PostgresSnowflakeEmulator.class.getName(),
                  "--geoipCityDatabase=" + mmdb,
                  "--parallelism=2"
                },
                SecurityPingsOptions.class))
        .summary();
  }

  @Test
  void backfillThroughSnowflakeIoEqualsGroundTruthAndIsIdempotent() throws Exception {
    PrintStream err = System.err;
    PrintStream out = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream tee = new PrintStream(captured, true, StandardCharsets.UTF_8);
    RunSummary first;
    try {
      System.setErr(tee);
      System.setOut(tee);
      first = run();
    } finally {
      System.setErr(err);
      System.setOut(out);
    }
    assertTrue(first.balanced(), first.toJsonLine());
    String output = captured.toString(StandardCharsets.UTF_8);
    assertFalse(output.contains(keyBase64.substring(0, 40)), "private key material in the output");

    WarehouseUrl w = WarehouseUrl.parse(pgUrl);
    var totals = GroundTruth.csv(logs, SecurityPingGenerator.DAILY_TOTALS_CSV);
    var servers = GroundTruth.csv(logs, SecurityPingGenerator.SERVER_DAILY_CSV);
    GroundTruth.assertSameRows(totals, GroundTruth.query(w, GroundTruth.TOTALS_SQL), "snowflake totals");
    GroundTruth.assertSameRows(servers, GroundTruth.query(w, GroundTruth.SERVERS_SQL), "snowflake server days");
    List<String> sql = List.copyOf(PostgresSnowflakeEmulator.STATEMENTS);
    assertTrue(sql.stream().anyMatch(s -> s.startsWith("MERGE INTO security_server_daily t USING")), sql.toString());
    assertTrue(sql.stream().anyMatch(s -> s.startsWith("COPY INTO security_daily_totals_load (")), sql.toString());
    assertTrue(sql.stream().anyMatch(s -> s.startsWith("DELETE FROM security_daily_totals t USING")), sql.toString());

    run();
    GroundTruth.assertSameRows(totals, GroundTruth.query(w, GroundTruth.TOTALS_SQL), "snowflake totals after re-run");
    GroundTruth.assertSameRows(servers, GroundTruth.query(w, GroundTruth.SERVERS_SQL), "snowflake server days after re-run");
    assertEquals(
        List.of(String.valueOf(first.json().get("dead_lettered").asLong())),
        GroundTruth.query(w, "SELECT COUNT(*) FROM dead_letters"));
  }
}

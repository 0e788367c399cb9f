package dw.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dw.io.snowflake.PostgresSnowflakeEmulator;
import dw.io.snowflake.RawPings;
import dw.io.snowflake.SnowflakeConfig;
import dw.io.tables.SecurityTables;
import dw.io.warehouse.WarehouseUrl;
import dw.pipelines.generate.SecurityPingGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.PipelineResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * security-pings streaming into Snowflake on embedded Flink, up to the network boundary: the
 * generated part of ddl.sql (tables, pipes, streams, tasks) is run through {@link
 * PostgresSnowflakeEmulator}; SnowflakeIO's streaming write stages gzip CSV files (a local folder
 * stands in for the S3 bucket) and hands them to the emulated Snowpipe, which loads them as the
 * pipe's COPY INTO would; the tasks' bodies run on a schedule while files arrive. The merged
 * tables reach the generator's ground truth and the raw table holds every parsed ping once.
 */
class SecurityPingsSnowflakeStreamingTest {
  static final String SCHEMA = "dw_sfs_" + Long.toHexString(System.nanoTime());

  @TempDir static Path dir;
  static Path generated;
  static Path mmdb;
  static Path key;
  static String pgUrl;
  /** The generated days end here; the simulated clock stays in the past (see SecurityPingsFlinkTest). */
  static final LocalDate TODAY = LocalDate.parse("2026-09-20");

  @BeforeAll
  static void setUp() throws Exception {
    pgUrl = TestPostgres.createSchema(SCHEMA);
    System.setProperty(PostgresSnowflakeEmulator.URL_PROPERTY, pgUrl);
    LocalDate today = TODAY; // a fixed past day: the source's watermark never runs ahead of the real clock
    generated = dir.resolve("recent");
    new SecurityPingGenerator(
            new SecurityPingGenerator.Config(generated).from(today.minusDays(1)).to(today).servers(120).seed(7))
        .generate();
    mmdb = DemoGeoDatabase.write(dir.resolve("geo.mmdb"));
    Files.writeString(dir.resolve("ip.key"), "0123456789abcdef0123456789abcdef");
    key = dir.resolve("rsa_key.p8");
    dw.testing.TestKeys.writeRsaPrivateKey(key);
  }

  @AfterAll
  static void dropSchema() throws Exception {
    TestPostgres.dropSchema(SCHEMA);
  }

  static List<String> args(Path input, String... more) {
    List<String> a =
        new ArrayList<>(
            List.of(
                "--input=" + input,
                "--warehouse=snowflake://acme-test/ANALYTICS/PUBLIC",
                "--snowflakeUser=LOADER",
                "--snowflakeWarehouse=LOAD_WH",
                "--snowflakeStagingBucket=" + dir.resolve("stage"),
                "--snowflakeStorageIntegration=DW_S3",
                "--snowflakeSqlExecutor=" + PostgresSnowflakeEmulator.class.getName(),
                "--geoipCityDatabase=" + mmdb,
                "--ipHashKeyFile=" + dir.resolve("ip.key")));
    a.addAll(List.of(more));
    return a;
  }

  @Test
  void streamingWithoutAKeyPairStopsAtStartWithAClearMessage() throws Exception {
    // A password is enough for a backfill, not for Snowpipe.
    SnowflakeConfig withPassword =
        SnowflakeConfig.parse(
            "snowflake://acme-test/ANALYTICS/PUBLIC",
            Map.of(
                "SNOWFLAKE_LOAD_USER", "LOADER",
                "SNOWFLAKE_LOAD_PASSWORD", "pw-not-in-messages",
                "SNOWFLAKE_LOAD_WAREHOUSE", "LOAD_WH",
                "SNOWFLAKE_STAGING_BUCKET", "s3://stage/dw/",
                "SNOWFLAKE_STORAGE_INTEGRATION", "DW_S3"),
            SnowflakeConfig.Overrides.none());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, withPassword::checkStreaming);
    assertTrue(e.getMessage().contains("Snowpipe accepts key-pair authentication only"), e.getMessage());
    assertTrue(e.getMessage().contains("SNOWFLAKE_LOAD_PRIVATE_KEY_FILE"), e.getMessage());
    assertFalse(e.getMessage().contains("pw-not-in-messages"));
    // The pipeline checks before it starts: a streaming run (no --from/--to) without a key fails
    // in validation (this environment has no password either, so that is named first).
    Path watched = Files.createDirectories(dir.resolve("empty"));
    List<String> a = args(watched);
    IllegalArgumentException run =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                SecurityPingsPipeline.validate(
                    PipelineSupport.parse(a.toArray(new String[0]), SecurityPingsOptions.class)));
    assertTrue(run.getMessage().contains("SNOWFLAKE_LOAD_PRIVATE_KEY_FILE"), run.getMessage());
  }

  @Test
  void streamingThroughSnowpipeAndScheduledMergesEqualsGroundTruth() throws Exception {
    PostgresSnowflakeEmulator.runDdlAsAdministrator();

    Path watched = Files.createDirectories(dir.resolve("watched"));
    LocalDate today = TODAY; // a fixed past day: the source's watermark never runs ahead of the real clock
    List<String> a =
        args(
            watched,
            "--snowflakePrivateKeyFile=" + key,
            "--snowflakeFlushSeconds=1",
            "--parallelism=" + Integer.getInteger("dw.test.p", 2),
            "--attachedMode=false",
            "--pollIntervalSeconds=1",
            "--earlyFiringSeconds=1",
            "--checkpointingInterval=2000",
            "--tailClock=manual:snowflake-streaming-test",
            "--allowedLatenessHours=52");
    dw.io.files.TailClock.set(
        "snowflake-streaming-test", today.plusDays(1).atTime(1, 30).toInstant(ZoneOffset.UTC).toEpochMilli());
    PipelineResult job =
        SecurityPingsCommand.execute(PipelineSupport.parse(a.toArray(new String[0]), SecurityPingsOptions.class))
            .result();
    WarehouseUrl w = WarehouseUrl.parse(pgUrl);
    List<String> totals = GroundTruth.csv(generated, SecurityPingGenerator.DAILY_TOTALS_CSV);
    List<String> servers = GroundTruth.csv(generated, SecurityPingGenerator.SERVER_DAILY_CSV);
    // the raw table: per (day, server) as many rows as the ground truth's pings
    List<String> pingsPerServerDay = new ArrayList<>();
    for (String line : servers) {
      String[] f = line.split("\\|", -1);
      pingsPerServerDay.add(f[0] + "|" + f[1] + "|" + f[2]);
    }
    pingsPerServerDay.sort(null);
    String rawCount =
        "SELECT CAST(log_date AS VARCHAR), server_id, COUNT(*) FROM " + RawPings.TABLE + " GROUP BY 1, 2";
    List<String> actualTotals = List.of();
    List<String> actualServers = List.of();
    List<String> raw = List.of();
    int taskRuns = 0;
    try {
      List<Path> files = SecurityPingsFlinkTest.logFiles(generated);
      int half = files.size() / 2;
      SecurityPingsFlinkTest.moveAll(files.subList(0, half), generated, watched);
      long moveSecondHalfAt = System.currentTimeMillis() + 4000;
      boolean moved = false;
      long deadline = System.currentTimeMillis() + 180_000;
      while (System.currentTimeMillis() < deadline) {
        if (!moved && System.currentTimeMillis() > moveSecondHalfAt) {
          SecurityPingsFlinkTest.moveAll(files.subList(half, files.size()), generated, watched);
          moved = true;
        }
        PostgresSnowflakeEmulator.runTasks(); // the tasks' schedule, compressed
        taskRuns++;
        actualTotals = GroundTruth.query(w, GroundTruth.TOTALS_SQL);
        actualServers = GroundTruth.query(w, GroundTruth.SERVERS_SQL);
        raw = GroundTruth.query(w, rawCount);
        if (moved && actualTotals.equals(totals) && actualServers.equals(servers) && raw.equals(pingsPerServerDay)) {
          break;
        }
        Thread.sleep(1000);
      }
    } finally {
      job.cancel();
    }
    GroundTruth.assertSameRows(totals, actualTotals, "streamed totals (never reached the ground truth)");
    GroundTruth.assertSameRows(servers, actualServers, "streamed server days");
    GroundTruth.assertSameRows(pingsPerServerDay, raw, "raw table: every parsed ping once");
    assertTrue(taskRuns > 2, "merged over several task runs: " + taskRuns);

    // Client IPs: hashed (64 hex), never in clear; the same key hashes like the lake does.
    assertEquals(
        List.of("0|0"),
        GroundTruth.query(
            w,
            "SELECT COUNT(*) FILTER (WHERE client_ip IS NOT NULL), COUNT(*) FILTER (WHERE client_ip_hash !~ '^[0-9a-f]{64}$')"
                + " FROM " + RawPings.TABLE));
    // Every table was fed by its pipe (dead letters too: the generator writes some broken lines),
    // with gzip CSV files; once the tasks ran again nothing waits in the streams.
    PostgresSnowflakeEmulator.assertStreamedAndMerged(dir.resolve("stage"), SecurityTables.all(), RawPings.TABLE);
    GroundTruth.assertSameRows(totals, GroundTruth.query(w, GroundTruth.TOTALS_SQL), "totals after the last run");
    GroundTruth.assertSameRows(servers, GroundTruth.query(w, GroundTruth.SERVERS_SQL), "servers after the last run");
  }
}

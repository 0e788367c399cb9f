package dw.pipelines;

import static dw.testing.FlinkJobs.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dw.io.files.TailClock;
import dw.io.snowflake.PostgresSnowflakeEmulator;
import dw.io.snowflake.SnowflakeSql;
import dw.io.tables.PushProxyTables;
import dw.io.warehouse.TableSpec;
import dw.io.warehouse.WarehouseUrl;
import dw.pipelines.generate.PushProxyGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.beam.sdk.PipelineResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * push-proxy with {@code --warehouse=snowflake://…} on embedded Flink, up to the network boundary
 * ({@link PostgresSnowflakeEmulator}; a local folder stands in for the S3 staging bucket). Backfill:
 * SnowflakeIO stages gzip CSV files, one transaction per table empties its load table, COPY INTOs it
 * from exactly those files and MERGEs it on the table's key; the tables equal the generator's truth,
 * and a re-run leaves them identical. Streaming: the generated part of ddl.sql (pipes, streams,
 * tasks of the push-proxy tables) is run once, the job hands its staged files to the emulated
 * Snowpipe, the tasks merge them on a compressed schedule, and the tables reach the truth.
 */
class PushProxySnowflakeTest {
  static final String BATCH_SCHEMA = "dw_sfpb_" + Long.toHexString(System.nanoTime());
  static final String STREAM_SCHEMA = "dw_sfpst_" + Long.toHexString(System.nanoTime());
  /** The generated days; the stream's clock stays in the past (the runner caps the watermark at real time). */
  static final LocalDate FROM = LocalDate.parse("2026-10-01");
  static final LocalDate TO = LocalDate.parse("2026-10-02");
  /** A stream has no --to: rows and dead letters of the folder after the last day are not the truth's. */
  static final String GENERATED_HOURS = " WHERE hour < TIMESTAMP '2026-10-03 00:00:00'";
  private static final Pattern COPY =
      Pattern.compile("COPY INTO (\\w+) \\(.*?\\) FROM '([^']*)' STORAGE_INTEGRATION = DW_S3 FILES = \\((.*?)\\) .*");

  @TempDir static Path dir;
  static Path logs;
  static Path mmdb;
  static Path key;
  static String batchUrl;
  static String streamUrl;

  @BeforeAll
  static void setUp() throws Exception {
    batchUrl = TestPostgres.createSchema(BATCH_SCHEMA);
    streamUrl = TestPostgres.createSchema(STREAM_SCHEMA);
    logs = dir.resolve("alb");
    new PushProxyGenerator(new PushProxyGenerator.Config(logs).from(FROM).to(TO).requestsPerHour(40).seed(23))
        .generate();
    mmdb = DemoGeoDatabase.write(dir.resolve("geo.mmdb"));
    Files.writeString(dir.resolve("ip.key"), "0123456789abcdef0123456789abcdef");
    key = dir.resolve("rsa_key.p8");
    dw.testing.TestKeys.writeRsaPrivateKey(key);
  }

  @AfterAll
  static void dropSchemas() throws Exception {
    TestPostgres.dropSchema(BATCH_SCHEMA);
    TestPostgres.dropSchema(STREAM_SCHEMA);
  }

  static PushProxyOptions options(Path stage, String... more) {
    List<String> a =
        new ArrayList<>(
            List.of(
                "--input=" + logs,
                "--warehouse=snowflake://acme-test/ANALYTICS/PUBLIC",
                "--snowflakeUser=LOADER",
                "--snowflakePrivateKeyFile=" + key,
                "--snowflakeWarehouse=LOAD_WH",
                "--snowflakeStagingBucket=" + stage,
                "--snowflakeStorageIntegration=DW_S3",
                "--snowflakeSqlExecutor=" + PostgresSnowflakeEmulator.class.getName(),
                "--geoipCityDatabase=" + mmdb,
                "--deployments=" + PushProxyGenerator.DEPLOYMENTS_OPTION,
                "--ipHashKeyFile=" + dir.resolve("ip.key"),
                "--parallelism=2"));
    a.addAll(List.of(more));
    return PipelineSupport.parse(a.toArray(new String[0]), PushProxyOptions.class);
  }

  /** Every row of the push-proxy tables, all columns but the load version (which a re-run renews). */
  static List<List<String>> tables(WarehouseUrl w) throws Exception {
    List<List<String>> out = new ArrayList<>();
    for (TableSpec s : PushProxyTables.all()) {
      String cols = String.join(", ", s.columnNames().stream().map(c -> "CAST(" + c + " AS VARCHAR)").toList());
      out.add(GroundTruth.query(w, "SELECT " + cols + " FROM " + s.name()));
    }
    return out;
  }

  @Test
  void backfillThroughSnowflakeIoEqualsTruthAndAReRunLeavesIdenticalTables() throws Exception {
    System.setProperty(PostgresSnowflakeEmulator.URL_PROPERTY, batchUrl);
    Path stage = dir.resolve("stage-batch");
    PushProxyOptions o = options(stage, "--from=" + FROM, "--to=" + TO);
    int before = PostgresSnowflakeEmulator.STATEMENTS.size();
    RunSummary first = PushProxyCommand.execute(o).summary();
    WarehouseUrl w = WarehouseUrl.parse(batchUrl);
    PushProxyTruth.assertEqualsTruth(logs, w, first);

    // The SQL Snowflake would run: per table, one COPY INTO its load table of exactly the files
    // SnowflakeIO staged for it (gzip CSV), then a MERGE on the table's key.
    List<String> sql = List.copyOf(PostgresSnowflakeEmulator.STATEMENTS.subList(before, PostgresSnowflakeEmulator.STATEMENTS.size()));
    for (TableSpec s : PushProxyTables.all()) {
      List<String> copies = new ArrayList<>();
      Set<Path> copied = new TreeSet<>();
      for (String st : sql) {
        Matcher m = COPY.matcher(st);
        if (m.matches() && m.group(1).equals(SnowflakeSql.loadTable(s))) {
          copies.add(st);
          for (String f : m.group(3).split(", ")) {
            copied.add(Path.of(m.group(2), f.substring(1, f.length() - 1)));
          }
        }
      }
      assertEquals(1, copies.size(), s.name() + ": " + sql);
      Set<Path> staged;
      try (Stream<Path> files = Files.walk(stage.resolve(s.name()))) {
        staged = new TreeSet<>(files.filter(Files::isRegularFile).toList());
      }
      assertEquals(staged, copied, s.name() + ": the COPY loads exactly the staged files");
      for (Path f : staged) {
        assertTrue(f.getFileName().toString().endsWith(".csv.gz"), f.toString());
      }
      int copy = sql.indexOf(copies.get(0));
      assertEquals("DELETE FROM " + SnowflakeSql.loadTable(s), sql.get(copy - 1));
      assertEquals(SnowflakeSql.merge(s), sql.subList(copy + 1, copy + 1 + SnowflakeSql.merge(s).size()));
    }
    // the MERGE keys are the tables' keys (an interface: one row per hour, deployment, route[, country])
    for (String[] merge :
        new String[][] {
          {"MERGE INTO push_proxy_hourly t", "PARTITION BY hour, deployment, route ORDER BY",
            "ON t.hour = s.hour AND t.deployment = s.deployment AND t.route = s.route WHEN"},
          {"MERGE INTO push_proxy_hourly_by_country t", "PARTITION BY hour, deployment, route, country_iso ORDER BY",
            "ON t.hour = s.hour AND t.deployment = s.deployment AND t.route = s.route AND t.country_iso = s.country_iso WHEN"}
        }) {
      assertTrue(
          sql.stream().anyMatch(st -> st.startsWith(merge[0]) && st.contains(merge[1]) && st.contains(merge[2])),
          merge[0] + ": " + sql);
    }
    List<List<String>> afterFirst = tables(w);
    assertEquals(List.of("ON_TIME|true"), GroundTruth.query(w, "SELECT DISTINCT pane_timing, CAST(is_final AS VARCHAR) FROM push_proxy_hourly"));

    RunSummary second = PushProxyCommand.execute(o).summary();
    assertTrue(second.balanced(), second.toJsonLine());
    assertEquals(afterFirst, tables(w), "a re-run leaves identical tables");
    PushProxyTruth.assertTables(logs, w);
    // every row was replaced by the re-run's version of it (the load table holds that run's rows)
    assertEquals(
        List.of("0"),
        GroundTruth.query(
            w,
            "SELECT COUNT(*) FROM push_proxy_hourly t WHERE NOT EXISTS (SELECT 1 FROM push_proxy_hourly_load l"
                + " WHERE l.hour = t.hour AND l.deployment = t.deployment AND l.route = t.route"
                + " AND l._emitted_at = t._emitted_at AND l._pane = t._pane)"));
  }

  @Test
  void streamingThroughSnowpipeAndScheduledMergesEqualsTruth() throws Exception {
    System.setProperty(PostgresSnowflakeEmulator.URL_PROPERTY, streamUrl);
    Path stage = dir.resolve("stage-stream");
    PostgresSnowflakeEmulator.runDdlAsAdministrator();

    String clock = "push-proxy-snowflake-stream";
    // every hour of the generated days is open: 49 h lateness at 2026-10-03T01:30
    TailClock.set(clock, Instant.parse("2026-10-03T01:30:00Z").toEpochMilli());
    PipelineResult job =
        PushProxyCommand.execute(
                options(
                    stage,
                    "--snowflakeFlushSeconds=1",
                    "--tailClock=manual:" + clock,
                    "--allowedLatenessHours=49",
                    "--attachedMode=false",
                    "--pollIntervalSeconds=1",
                    "--earlyFiringSeconds=1",
                    "--checkpointingInterval=2000"))
            .result();
    WarehouseUrl w = WarehouseUrl.parse(streamUrl);
    List<String> hourly = PushProxyTruth.csv(logs, PushProxyGenerator.HOURLY_CSV);
    List<String> countries = PushProxyTruth.csv(logs, PushProxyGenerator.BY_COUNTRY_CSV);
    List<String> dead = List.of(PushProxyTruth.summary(logs).get("dead_lettered").asText());
    String deadSql = PushProxyTruth.DEAD_SQL + " AND file NOT LIKE '%/2026/10/03/%'";
    int[] taskRuns = {0};
    try {
      waitFor(
          () -> {
            PostgresSnowflakeEmulator.runTasks(); // the tasks' schedule, compressed
            taskRuns[0]++;
            return GroundTruth.query(w, PushProxyTruth.HOURLY_SQL + GENERATED_HOURS).equals(hourly)
                && GroundTruth.query(w, PushProxyTruth.BY_COUNTRY_SQL + GENERATED_HOURS).equals(countries)
                && GroundTruth.query(w, deadSql).equals(dead);
          },
          "the streamed tables to reach the ground truth");
    } catch (AssertionError e) {
      GroundTruth.assertSameRows(hourly, GroundTruth.query(w, PushProxyTruth.HOURLY_SQL + GENERATED_HOURS), "streamed hourly");
      GroundTruth.assertSameRows(
          countries, GroundTruth.query(w, PushProxyTruth.BY_COUNTRY_SQL + GENERATED_HOURS), "streamed by country");
      assertEquals(dead, GroundTruth.query(w, deadSql), "streamed dead letters");
      throw e;
    } finally {
      job.cancel();
    }
    assertTrue(taskRuns[0] > 1, "merged over several task runs: " + taskRuns[0]);
    // panes of an open window (49 h lateness): none final
    List<String> panes = GroundTruth.query(w, "SELECT DISTINCT CAST(is_final AS VARCHAR) FROM push_proxy_hourly");
    assertEquals(List.of("false"), panes);
    // every table was fed by its own pipe with gzip CSV files; after the tasks ran again no row
    // waits in a stream, and the tables still equal the truth
    PostgresSnowflakeEmulator.assertStreamedAndMerged(stage, PushProxyTables.all());
    GroundTruth.assertSameRows(hourly, GroundTruth.query(w, PushProxyTruth.HOURLY_SQL + GENERATED_HOURS), "hourly after the last run");
    GroundTruth.assertSameRows(
        countries, GroundTruth.query(w, PushProxyTruth.BY_COUNTRY_SQL + GENERATED_HOURS), "by country after the last run");
  }
}

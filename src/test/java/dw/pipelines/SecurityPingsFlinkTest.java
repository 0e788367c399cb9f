package dw.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import dw.io.warehouse.DuckDbStore;
import dw.testing.FlinkJobs;
import dw.io.warehouse.WarehouseUrl;
import dw.pipelines.generate.SecurityPingGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.beam.sdk.PipelineResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The security-pings pipeline end to end on the Flink runner (embedded mini cluster), from
 * generated CloudFront files into the embedded warehouse: exact equality with the generator's
 * ground truth, idempotent re-runs, a backfill of a sub-range, and streaming = backfill.
 */
class SecurityPingsFlinkTest {
  @TempDir static Path dir;
  static Path logs;
  static Path mmdb;

  @BeforeAll
  static void generate() throws Exception {
    logs = dir.resolve("logs");
    new SecurityPingGenerator(
            new SecurityPingGenerator.Config(logs)
                .from(LocalDate.parse("2026-10-01"))
                .to(LocalDate.parse("2026-10-03"))
                .servers(400)
                .seed(11))
        .generate();
    mmdb = DemoGeoDatabase.write(dir.resolve("geo.mmdb"));
  }

  @AfterAll
  static void close() {
    DuckDbStore.closeAll();
  }

  static SecurityPingsCommand.Outcome backfill(
      Path input, String from, String to, Path warehouse, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--input=" + input,
                "--from=" + from,
                "--to=" + to,
                "--warehouse=" + warehouse,
                "--geoipCityDatabase=" + mmdb,
                "--parallelism=2"));
    args.addAll(List.of(more));
    return SecurityPingsCommand.execute(
        PipelineSupport.parse(args.toArray(new String[0]), SecurityPingsOptions.class));
  }

  @Test
  void backfillEqualsGroundTruthAndReRunsChangeNothing() throws Exception {
    Path w = dir.resolve("backfill.duckdb");
    RunSummary s = backfill(logs, "2026-10-01", "2026-10-03", w).summary();
    WarehouseUrl url = WarehouseUrl.parse(w.toString());

    JsonNode truth = GroundTruth.summary(logs);
    assertEquals(truth.get("files").asLong(), s.json().get("files").asLong());
    assertEquals(truth.get("lines_read").asLong(), s.json().get("lines_read").asLong());
    assertEquals(truth.get("header_lines").asLong(), s.json().get("header_lines").asLong());
    assertEquals(truth.get("parsed_pings").asLong(), s.json().get("parsed_pings").asLong());
    assertEquals(truth.get("dead_lettered").asLong(), s.json().get("dead_lettered").asLong());
    assertEquals(
        new ObjectMapper().convertValue(truth.get("filtered"), new TypeReference<Map<String, Long>>() {}),
        new ObjectMapper().convertValue(s.json().get("filtered"), new TypeReference<Map<String, Long>>() {}));
    assertTrue(s.balanced(), s.toJsonLine());
    assertEquals(0, s.json().get("late_dropped").asLong());

    List<String> totals = GroundTruth.csv(logs, SecurityPingGenerator.DAILY_TOTALS_CSV);
    List<String> servers = GroundTruth.csv(logs, SecurityPingGenerator.SERVER_DAILY_CSV);
    GroundTruth.assertSameRows(totals, GroundTruth.query(url, GroundTruth.TOTALS_SQL), "totals");
    GroundTruth.assertSameRows(servers, GroundTruth.query(url, GroundTruth.SERVERS_SQL), "server days");
    assertEquals(
        List.of(String.valueOf(truth.get("dead_lettered").asLong())),
        GroundTruth.query(url, "SELECT COUNT(*) FROM dead_letters"));
    assertEquals(servers.size(), s.json().get("rows_written").get("security_server_daily").asLong());

    // Re-running the same days replaces rows and never duplicates them.
    backfill(logs, "2026-10-01", "2026-10-03", w);
    GroundTruth.assertSameRows(totals, GroundTruth.query(url, GroundTruth.TOTALS_SQL), "totals after re-run");
    GroundTruth.assertSameRows(servers, GroundTruth.query(url, GroundTruth.SERVERS_SQL), "server days after re-run");
  }

  @Test
  void aSubRangeBackfillWritesOnlyItsDaysAndCountsTheRestAsOutOfRange() throws Exception {
    Path w = dir.resolve("subrange.duckdb");
    RunSummary s = backfill(logs, "2026-10-02", "2026-10-02", w).summary();
    WarehouseUrl url = WarehouseUrl.parse(w.toString());
    List<String> expected = new ArrayList<>();
    for (String row : GroundTruth.csv(logs, SecurityPingGenerator.DAILY_TOTALS_CSV)) {
      if (row.startsWith("2026-10-02|")) {
        expected.add(row);
      }
    }
    GroundTruth.assertSameRows(expected, GroundTruth.query(url, GroundTruth.TOTALS_SQL), "totals of 2026-10-02");
    // It read the day's 24 hours plus the last hour of the day before (requests finishing past
    // the hour boundary), and counted that hour's requests of 2026-10-01 as out of range.
    assertTrue(s.json().get("filtered").get("outside_date_range").asLong() > 0, s.toJsonLine());
    assertTrue(s.balanced(), s.toJsonLine());
  }

  @Test
  void streamingGivesTheSameTablesAsABackfillOfTheSameFiles() throws Exception {
    // fixed past days: the source's watermark never runs ahead of the real clock (Beam's Flink
    // runner caps it there), so a simulated clock must not be in the future
    LocalDate today = LocalDate.parse("2026-09-15");
    Path generated = dir.resolve("recent");
    new SecurityPingGenerator(
            new SecurityPingGenerator.Config(generated).from(today.minusDays(1)).to(today).servers(150).seed(5))
        .generate();
    Path watched = dir.resolve("watched");
    Files.createDirectories(watched);
    Path sw = dir.resolve("streaming.duckdb");
    WarehouseUrl url = WarehouseUrl.parse(sw.toString());

    SecurityPingsOptions o =
        PipelineSupport.parse(
            new String[] {
              "--input=" + watched,
              "--warehouse=" + sw,
              "--geoipCityDatabase=" + mmdb,
              "--parallelism=2",
              "--attachedMode=false",
              "--pollIntervalSeconds=1",
              "--earlyFiringSeconds=1",
              "--checkpointingInterval=2000",
              // the generated days are whole days (future hours included): a clock just past
              // them puts both on time (yesterday is open until 01:00 + 25 h)
              "--tailClock=manual:local-streaming-test",
              "--flinkConfDir=" + SecurityPingsTimeModelFlinkTest.conf(dir.resolve("conf-streaming"), null)
            },
            SecurityPingsOptions.class);
    dw.io.files.TailClock.set(
        "local-streaming-test",
        today.plusDays(1).atTime(1, 30).toInstant(ZoneOffset.UTC).toEpochMilli());
    PipelineResult job = SecurityPingsCommand.execute(o).result();
    List<String> totals = GroundTruth.csv(generated, SecurityPingGenerator.DAILY_TOTALS_CSV);
    try {
      // Files land over time (moved in atomically, as an object store makes them appear).
      List<Path> files = logFiles(generated);
      int half = files.size() / 2;
      moveAll(files.subList(0, half), generated, watched);
      long polls = dw.io.files.TailClock.reads("local-streaming-test") + 2;
      FlinkJobs.waitFor(() -> dw.io.files.TailClock.reads("local-streaming-test") >= polls, "a whole poll");
      moveAll(files.subList(half, files.size()), generated, watched);
      // time passes: the next poll lists them and moves the watermark on (a window's on-time pane
      // fires at a watermark step after its data arrived)
      long listed = dw.io.files.TailClock.reads("local-streaming-test") + 2;
      FlinkJobs.waitFor(() -> dw.io.files.TailClock.reads("local-streaming-test") >= listed, "a whole poll");
      dw.io.files.TailClock.set(
          "local-streaming-test", today.plusDays(1).atTime(1, 31).toInstant(ZoneOffset.UTC).toEpochMilli());
      List<String> servers = GroundTruth.csv(generated, SecurityPingGenerator.SERVER_DAILY_CSV);
      try {
        FlinkJobs.waitFor(
            () -> GroundTruth.query(url, GroundTruth.TOTALS_SQL).equals(totals)
                && GroundTruth.query(url, GroundTruth.SERVERS_SQL).equals(servers),
            "the streaming tables to equal the ground truth");
      } catch (AssertionError e) {
        String panes = "SELECT CAST(log_date AS VARCHAR), pane_timing, is_final, COUNT(*) FROM %s GROUP BY ALL";
        for (String n : java.util.List.of("files_read", "files_listed", "files_late", "parsed_pings",
            "filtered_outside_date_range", "early_panes_skipped", "droppedDueToLateness", "lines_read")) {
          System.err.println("counter " + n + " " + dw.testing.CapturingMetricReporter.bySubtask(n));
        }
        System.err.println("dead letters " + GroundTruth.query(url, "SELECT substr(reason, 1, 20), COUNT(*) FROM dead_letters GROUP BY ALL"));
        System.err.println("panes written: totals " + GroundTruth.query(url, String.format(panes, "security_daily_totals"))
            + ", server days " + GroundTruth.query(url, String.format(panes, "security_server_daily")));
        GroundTruth.assertSameRows(totals, GroundTruth.query(url, GroundTruth.TOTALS_SQL), "streaming totals");
        GroundTruth.assertSameRows(servers, GroundTruth.query(url, GroundTruth.SERVERS_SQL), "streaming server days");
        throw e;
      }
    } finally {
      job.cancel();
    }
    // The same files as a bounded backfill give identical tables.
    Path bw = dir.resolve("recent-backfill.duckdb");
    // at the stream's clock, so both say the same about which days are final
    backfill(watched, today.minusDays(1).toString(), today.toString(), bw, "--tailClock=manual:local-streaming-test");
    WarehouseUrl burl = WarehouseUrl.parse(bw.toString());
    GroundTruth.assertSameRows(
        GroundTruth.query(burl, GroundTruth.TOTALS_SQL), GroundTruth.query(url, GroundTruth.TOTALS_SQL), "streaming vs backfill totals");
    GroundTruth.assertSameRows(
        GroundTruth.query(burl, GroundTruth.SERVERS_SQL), GroundTruth.query(url, GroundTruth.SERVERS_SQL), "streaming vs backfill server days");
    // The backfill graph (hash-aggregated shards) and the streaming graph (per-server combine in
    // daily windows) must agree on every column, geo fields and client IP hashes included (both
    // warehouses sit in one folder, so they share the generated hash key).
    GroundTruth.assertSameRows(
        GroundTruth.query(burl, GroundTruth.ALL_SERVER_COLUMNS_SQL),
        GroundTruth.query(url, GroundTruth.ALL_SERVER_COLUMNS_SQL),
        "streaming vs backfill server days, all columns");
    GroundTruth.assertSameRows(
        GroundTruth.query(burl, GroundTruth.ALL_TOTALS_COLUMNS_SQL),
        GroundTruth.query(url, GroundTruth.ALL_TOTALS_COLUMNS_SQL),
        "streaming vs backfill totals, all columns");
  }

  static List<Path> logFiles(Path root) throws Exception {
    List<Path> files = new ArrayList<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Iterator<Path> it = s.iterator(); it.hasNext(); ) {
        Path p = it.next();
        if (p.toString().endsWith(".gz")) {
          files.add(p);
        }
      }
    }
    files.sort(null);
    return files;
  }

  static void moveAll(List<Path> files, Path from, Path to) throws Exception {
    for (Path f : files) {
      Path target = to.resolve(from.relativize(f));
      Files.createDirectories(target.getParent());
      Files.move(f, target, StandardCopyOption.ATOMIC_MOVE);
    }
  }
}

package dw.pipelines;

import static dw.testing.FlinkJobs.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dw.io.files.TailClock;
import dw.io.warehouse.DuckDbStore;
import dw.io.warehouse.WarehouseUrl;
import dw.pipelines.generate.SecurityPingGenerator;
import dw.testing.CapturingMetricReporter;
import dw.testing.FlinkJobs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.beam.sdk.PipelineResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The streaming time model on embedded Flink, with the source's clock simulated: a stream started
 * after a backfill leaves the finished days as they were; a day's on-time pane appears once the
 * watermark (clock − 75 min) passes its end; a file delivered late refines the day (late pane); the
 * day becomes final when its lateness expires, and a file listed after that is dead-lettered and not
 * counted; the window state is gone from the savepoint then; every worker parses.
 */
class SecurityPingsTimeModelFlinkTest {
  @TempDir static Path dir;
  static Path logs;
  static Path mmdb;
  static final LocalDate D1 = LocalDate.parse("2026-10-01");
  static final LocalDate D2 = D1.plusDays(1);
  static final LocalDate D3 = D1.plusDays(2);

  @BeforeAll
  static void generate() throws Exception {
    logs = dir.resolve("logs");
    new SecurityPingGenerator(
            new SecurityPingGenerator.Config(logs).from(D1).to(D3).servers(150).seed(23))
        .generate();
    mmdb = DemoGeoDatabase.write(dir.resolve("geo.mmdb"));
  }

  @AfterAll
  static void close() {
    DuckDbStore.closeAll();
  }

  static long at(LocalDate day, int hour, int minute) {
    return day.atTime(hour, minute).toInstant(ZoneOffset.UTC).toEpochMilli();
  }

  /** The generated log files whose names carry one of {@code days}, hours [fromHour, toHour]. */
  static List<Path> files(LocalDate day, int fromHour, int toHour) throws Exception {
    List<Path> out = new ArrayList<>();
    try (Stream<Path> s = Files.walk(logs)) {
      s.filter(p -> p.toString().endsWith(".gz")).forEach(p -> {
        String name = p.getFileName().toString();
        for (int h = fromHour; h <= toHour; h++) {
          if (name.contains("." + day + "-" + String.format("%02d", h) + ".")) {
            out.add(p);
          }
        }
      });
    }
    out.sort(Comparator.naturalOrder());
    return out;
  }

  /** Moves files into the watched folder atomically (as an object store makes objects appear). */
  static void land(List<Path> files, Path watched) throws Exception {
    for (Path f : files) {
      Path target = watched.resolve(logs.relativize(f));
      Files.createDirectories(target.getParent());
      Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
      Files.copy(f, tmp, StandardCopyOption.REPLACE_EXISTING);
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    }
  }

  static List<String> truth(String csv, LocalDate day) throws Exception {
    return GroundTruth.csv(logs, csv).stream().filter(r -> r.startsWith(day + "|")).toList();
  }

  static List<String> rows(WarehouseUrl url, String sql, LocalDate day) throws Exception {
    return GroundTruth.query(url, sql).stream().filter(r -> r.startsWith(day + "|")).toList();
  }

  /** Distinct (pane_timing, is_final) of a day's rows in a table, e.g. ["ON_TIME|false"]. */
  static List<String> timing(WarehouseUrl url, String table, LocalDate day) throws Exception {
    return GroundTruth.query(
        url,
        "SELECT DISTINCT pane_timing, is_final FROM " + table + " WHERE log_date = DATE '" + day + "'");
  }

  static List<String> both(WarehouseUrl url, LocalDate day) throws Exception {
    List<String> a = timing(url, "security_daily_totals", day);
    List<String> b = timing(url, "security_server_daily", day);
    return a.equals(b) ? a : List.of("totals " + a, "servers " + b);
  }

  static PipelineResult stream(Path watched, Path warehouse, String clock, Path conf) {
    SecurityPingsOptions o =
        PipelineSupport.parse(
            new String[] {
              "--input=" + watched,
              "--warehouse=" + warehouse,
              "--geoipCityDatabase=" + mmdb,
              "--parallelism=2",
              "--attachedMode=false",
              "--pollIntervalSeconds=1",
              "--earlyFiringSeconds=1",
              "--checkpointingInterval=2000",
              "--tailClock=manual:" + clock,
              "--flinkConfDir=" + conf
            },
            SecurityPingsOptions.class);
    return SecurityPingsCommand.execute(o).result();
  }

  static Path conf(Path folder, String savepoint) throws Exception {
    Files.createDirectories(folder);
    Files.writeString(
        folder.resolve("flink-conf.yaml"),
        "pipeline.generic-types: false\n"
            + "metrics.reporter.capture.factory.class: " + CapturingMetricReporter.Factory.class.getName() + "\n"
            + (savepoint == null ? "" : "execution.savepoint.path: " + savepoint + "\n"));
    return folder;
  }

  /** Waits until the source has started {@code n} more polls. */
  static void awaitPolls(String clock, int n) throws Exception {
    long target = TailClock.reads(clock) + n;
    waitFor(() -> TailClock.reads(clock) >= target, n + " more polls");
  }

  @Test
  void aStreamStartedAfterABackfillLeavesTheFinishedDaysAsTheyWere() throws Exception {
    String clock = "time-model-after-backfill";
    // the backfill runs in the middle of day 3, as the stream starts
    TailClock.set(clock, at(D3, 12, 0));
    Path w = dir.resolve("after-backfill.duckdb");
    WarehouseUrl url = WarehouseUrl.parse(w.toString());
    RunSummary s =
        SecurityPingsCommand.execute(
                PipelineSupport.parse(
                    new String[] {
                      "--input=" + logs, "--from=" + D1, "--to=" + D2, "--warehouse=" + w,
                      "--geoipCityDatabase=" + mmdb, "--parallelism=2", "--tailClock=manual:" + clock
                    },
                    SecurityPingsOptions.class))
            .summary();
    assertTrue(s.balanced(), s.toJsonLine());
    String upToD2 = " WHERE log_date <= DATE '" + D2 + "'";
    List<String> servers = GroundTruth.query(url, "SELECT * FROM security_server_daily" + upToD2);
    List<String> totals = GroundTruth.query(url, "SELECT * FROM security_daily_totals" + upToD2);
    assertEquals(List.of("ON_TIME|true"), both(url, D1), "day 1's lateness expired before the backfill ran");
    assertEquals(List.of("ON_TIME|false"), both(url, D2), "day 2 may still receive late files");

    Path watched = dir.resolve("watched-after-backfill");
    Files.createDirectories(watched);
    land(files(D1, 0, 23), watched);
    land(files(D2, 0, 23), watched);
    land(files(D3, 0, 11), watched);
    PipelineResult job = stream(watched, w, clock, conf(dir.resolve("conf-a"), null));
    try {
      // early results of the running day 3
      waitFor(() -> both(url, D3).equals(List.of("EARLY|false")), "early panes of day 3");
      // the rest of day 3 lands; the clock passes its end + the watermark delay
      land(files(D3, 12, 23), watched);
      awaitPolls(clock, 2);
      TailClock.set(clock, at(D3.plusDays(1), 1, 30));
      waitFor(
          () -> rows(url, GroundTruth.TOTALS_SQL, D3).equals(truth(SecurityPingGenerator.DAILY_TOTALS_CSV, D3))
              && both(url, D3).equals(List.of("ON_TIME|false")),
          "day 3's on-time pane equal to the truth");
      GroundTruth.assertSameRows(
          truth(SecurityPingGenerator.SERVER_DAILY_CSV, D3), rows(url, GroundTruth.SERVERS_SQL, D3), "day 3 servers");
    } finally {
      job.cancel();
    }
    // the backfilled days: every column of every row as the backfill wrote it
    GroundTruth.assertSameRows(
        servers, GroundTruth.query(url, "SELECT * FROM security_server_daily" + upToD2), "days 1-2 server rows");
    GroundTruth.assertSameRows(
        totals, GroundTruth.query(url, "SELECT * FROM security_daily_totals" + upToD2), "days 1-2 totals rows");
  }

  @Test
  void windowsCloseOnTheClockLateFilesRefineTooLateFilesAreDeadLetteredAndStateIsReleased()
      throws Exception {
    String clock = "time-model-windows";
    TailClock.set(clock, at(D3, 12, 0));
    Path watched = dir.resolve("watched-windows");
    Files.createDirectories(watched);
    Path w = dir.resolve("windows.duckdb");
    WarehouseUrl url = WarehouseUrl.parse(w.toString());
    List<Path> d2 = files(D2, 0, 23);
    // the largest file of day 2's evening arrives late (CloudFront delivering up to 24 h late)
    Path lateD2 = files(D2, 18, 22).stream().max(Comparator.comparingLong(p -> p.toFile().length())).orElseThrow();
    List<Path> d2OnTime = new ArrayList<>(d2);
    d2OnTime.remove(lateD2);
    land(files(D1, 0, 23), watched);
    land(d2OnTime, watched);
    land(files(D3, 0, 11), watched);
    CapturingMetricReporter.clear();
    PipelineResult job = stream(watched, w, clock, conf(dir.resolve("conf-b"), null));
    String savepoint;
    try {
      // first start at 2026-10-03T12:00: day 1 had expired (not read); day 2 read from its start:
      // its on-time pane (without the late file)
      waitFor(() -> both(url, D2).equals(List.of("ON_TIME|false")), "day 2's on-time pane");
      assertNotEquals(truth(SecurityPingGenerator.DAILY_TOTALS_CSV, D2), rows(url, GroundTruth.TOTALS_SQL, D2),
          "the late file's pings are not in the on-time pane");
      assertEquals(List.of(), rows(url, GroundTruth.TOTALS_SQL, D1), "day 1 is a backfill's job");

      // the late file lands, 14 h after its hour: it refines day 2 with a late pane
      land(List.of(lateD2), watched);
      awaitPolls(clock, 2);
      TailClock.set(clock, at(D3, 12, 1)); // time passes: the watermark steps on
      // the day's totals are written again whole; of the server rows, those the file refined
      waitFor(
          () -> rows(url, GroundTruth.TOTALS_SQL, D2).equals(truth(SecurityPingGenerator.DAILY_TOTALS_CSV, D2))
              && timing(url, "security_daily_totals", D2).equals(List.of("LATE|false")),
          "day 2 refined by the late file");
      assertTrue(timing(url, "security_server_daily", D2).contains("LATE|false"));
      GroundTruth.assertSameRows(
          truth(SecurityPingGenerator.SERVER_DAILY_CSV, D2), rows(url, GroundTruth.SERVERS_SQL, D2), "day 2 servers");

      // every worker parses: the files went through RedistributeFiles
      Map<Integer, Long> filesRead = CapturingMetricReporter.bySubtask("files_read");
      assertEquals(Set.of(0, 1), filesRead.keySet(), "files_read per subtask " + filesRead);
      filesRead.forEach((subtask, n) -> assertTrue(n > 0, "subtask " + subtask + " parsed no file: " + filesRead));

      // day 3 completes and goes on time; its window state is in a savepoint then
      land(files(D3, 12, 23), watched);
      awaitPolls(clock, 2);
      TailClock.set(clock, at(D3.plusDays(1), 1, 30));
      waitFor(() -> both(url, D3).equals(List.of("ON_TIME|false")), "day 3's on-time pane");
      savepoint = FlinkJobs.stopWithSavepoint(job, dir.resolve("savepoints"));
    } catch (Exception | AssertionError e) {
      job.cancel();
      throw e;
    }
    Set<String> d3Servers = serverIds(D3);
    assertTrue(idsIn(savepoint, d3Servers) > 0, "day 3 is open: its server-days are in the savepoint");

    job = stream(watched, w, clock, conf(dir.resolve("conf-c"), savepoint));
    try {
      // day 2's lateness expires (end + 25 h = 2026-10-04T01:00 < watermark 01:15): final pane
      TailClock.set(clock, at(D3.plusDays(1), 2, 30));
      // the closing pane writes every row of the day again, final
      waitFor(() -> both(url, D2).equals(List.of("LATE|true")), "day 2's closing pane");
      GroundTruth.assertSameRows(
          truth(SecurityPingGenerator.DAILY_TOTALS_CSV, D2), rows(url, GroundTruth.TOTALS_SQL, D2), "day 2 final");

      // a file of day 2 listed now is too late: dead-lettered, not counted
      Path tooLate = watched.resolve(logs.relativize(lateD2)).resolveSibling(
          lateD2.getFileName().toString().replaceFirst("\\.([^.]+)\\.gz$", ".t00late.gz"));
      Files.copy(lateD2, tooLate);
      waitFor(
          () -> GroundTruth.query(url, "SELECT reason FROM dead_letters WHERE file LIKE '%t00late%'").size() == 1,
          "the too-late file's dead letter");
      assertTrue(
          GroundTruth.query(url, "SELECT reason FROM dead_letters WHERE file LIKE '%t00late%'").get(0).startsWith("late_file:"));
      awaitPolls(clock, 2);
      GroundTruth.assertSameRows(
          truth(SecurityPingGenerator.SERVER_DAILY_CSV, D2), rows(url, GroundTruth.SERVERS_SQL, D2),
          "day 2 servers: the too-late file is not counted");

      // every day expires: the closing panes are written and the window state is released
      TailClock.set(clock, at(D3.plusDays(2), 3, 0));
      waitFor(() -> both(url, D3).equals(List.of("LATE|true")), "day 3's closing pane");
      GroundTruth.assertSameRows(
          truth(SecurityPingGenerator.DAILY_TOTALS_CSV, D3), rows(url, GroundTruth.TOTALS_SQL, D3), "day 3 final");
      savepoint = FlinkJobs.stopWithSavepoint(job, dir.resolve("savepoints-2"));
    } catch (Exception | AssertionError e) {
      job.cancel();
      throw e;
    }
    Set<String> all = new HashSet<>(d3Servers);
    all.addAll(serverIds(D2));
    assertEquals(0, idsIn(savepoint, all), "no window state left once every day has expired");
  }

  static Set<String> serverIds(LocalDate day) throws Exception {
    Set<String> ids = new HashSet<>();
    for (String row : truth(SecurityPingGenerator.SERVER_DAILY_CSV, day)) {
      ids.add(row.split("\\|")[1]);
    }
    assertFalse(ids.isEmpty());
    return ids;
  }

  /** How many of {@code ids} appear in the bytes of a savepoint's files. */
  static int idsIn(String savepoint, Set<String> ids) throws Exception {
    Path root = Path.of(java.net.URI.create(savepoint.startsWith("file:") ? savepoint : "file://" + savepoint));
    StringBuilder all = new StringBuilder();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        all.append(new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1));
      }
    }
    int found = 0;
    for (String id : ids) {
      if (all.indexOf(id) >= 0) {
        found++;
      }
    }
    return found;
  }
}

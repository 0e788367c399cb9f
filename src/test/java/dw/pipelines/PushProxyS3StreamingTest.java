package dw.pipelines;

import static dw.testing.FlinkJobs.stopWithSavepoint;
import static dw.testing.FlinkJobs.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dw.io.files.TailClock;
import dw.io.s3.S3RequestCounter;
import dw.io.warehouse.DuckDbStore;
import dw.io.warehouse.WarehouseUrl;
import dw.pipelines.generate.PushProxyGenerator;
import dw.testing.FlinkJobs;
import dw.testing.S3ProxyServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.beam.sdk.PipelineResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * push-proxy streaming from a real S3 server (S3Proxy on 127.0.0.1) on embedded Flink: the ALB
 * day-folder tail reads half of the generated files, is stopped with a savepoint, resumes from it
 * after the other half landed, and ends with tables equal to the generator's truth (the hours of
 * the generated days; the truth is that of a backfill of them), each object fetched once.
 */
class PushProxyS3StreamingTest {
  @TempDir static Path dir;
  static S3ProxyServer s3;
  static Path logs;
  static Path mmdb;

  @BeforeAll
  static void setUp() throws Exception {
    s3 = S3ProxyServer.start(dir.resolve("s3proxy"));
    logs = dir.resolve("alb");
    new PushProxyGenerator(
            new PushProxyGenerator.Config(logs)
                .from(LocalDate.parse("2026-10-01"))
                .to(LocalDate.parse("2026-10-02"))
                .requestsPerHour(40)
                .seed(3))
        .generate();
    mmdb = DemoGeoDatabase.write(dir.resolve("geo.mmdb"));
  }

  @AfterAll
  static void tearDown() {
    DuckDbStore.closeAll();
    if (s3 != null) {
      s3.close();
    }
  }

  /** The generated hours only (a stream has no --to: the next day's first minutes count there). */
  private static List<String> generatedDays(WarehouseUrl url, String sql) throws Exception {
    return GroundTruth.query(url, sql + " WHERE hour < TIMESTAMP '2026-10-03 00:00:00'");
  }

  @Test
  void streamingStopsWithASavepointResumesAndEqualsTheTruth() throws Exception {
    s3.createBucket("alb");
    String clock = "push-proxy-stream";
    // every day folder (2026-10-01 .. 2026-10-03) is open: 49 h lateness at 2026-10-03T01:30
    TailClock.set(clock, Instant.parse("2026-10-03T01:30:00Z").toEpochMilli());
    List<Path> files;
    try (Stream<Path> s = Files.walk(logs.resolve("AWSLogs"))) {
      files = s.filter(p -> p.toString().endsWith(".log.gz")).sorted().toList();
    }
    int half = files.size() / 2;
    for (Path f : files.subList(0, half)) {
      s3.putFile("alb", "logs/" + logs.relativize(f).toString().replace('\\', '/'), f);
    }
    Path w = dir.resolve("stream.duckdb");
    WarehouseUrl url = WarehouseUrl.parse(w.toString());
    List<String> common = new ArrayList<>(s3.options());
    common.addAll(
        List.of(
            "--input=s3://alb/logs",
            "--warehouse=" + w,
            "--geoipCityDatabase=" + mmdb,
            "--deployments=" + PushProxyGenerator.DEPLOYMENTS_OPTION,
            "--parallelism=2",
            "--tailClock=manual:" + clock,
            "--allowedLatenessHours=49",
            "--attachedMode=false",
            "--pollIntervalSeconds=1",
            "--earlyFiringSeconds=1",
            "--checkpointingInterval=1000"));

    long getsBefore = S3RequestCounter.get("GetObject");
    PipelineResult first =
        PushProxyCommand.execute(PipelineSupport.parse(common.toArray(new String[0]), PushProxyOptions.class))
            .result();
    String savepoint;
    try {
      // the first half is read when every one of its objects has been fetched
      waitFor(() -> S3RequestCounter.get("GetObject") - getsBefore >= half, "the first half read");
      waitFor(() -> !generatedDays(url, PushProxyTruth.HOURLY_SQL).isEmpty(), "first rows");
      savepoint = stopWithSavepoint(first, dir.resolve("savepoints"));
    } catch (Exception | AssertionError e) {
      first.cancel();
      throw e;
    }
    assertTrue(savepoint != null && !savepoint.isEmpty());
    long getsFirst = S3RequestCounter.get("GetObject") - getsBefore;

    for (Path f : files.subList(half, files.size())) {
      s3.putFile("alb", "logs/" + logs.relativize(f).toString().replace('\\', '/'), f);
    }
    List<String> resumed = new ArrayList<>(common);
    resumed.add("--flinkConfDir=" + FlinkJobs.restoreConf(dir.resolve("flink-conf-restore"), savepoint));
    long getsBeforeSecond = S3RequestCounter.get("GetObject");
    PipelineResult second =
        PushProxyCommand.execute(PipelineSupport.parse(resumed.toArray(new String[0]), PushProxyOptions.class))
            .result();
    List<String> hourly = PushProxyTruth.csv(logs, PushProxyGenerator.HOURLY_CSV);
    List<String> countries = PushProxyTruth.csv(logs, PushProxyGenerator.BY_COUNTRY_CSV);
    try {
      waitFor(
          () ->
              generatedDays(url, PushProxyTruth.HOURLY_SQL).equals(hourly)
                  && generatedDays(url, PushProxyTruth.BY_COUNTRY_SQL).equals(countries),
          "ground truth after the restart");
    } catch (AssertionError e) {
      GroundTruth.assertSameRows(hourly, generatedDays(url, PushProxyTruth.HOURLY_SQL), "hourly after restart");
      GroundTruth.assertSameRows(countries, generatedDays(url, PushProxyTruth.BY_COUNTRY_SQL), "countries after restart");
      throw e;
    } finally {
      second.cancel();
    }
    long getsSecond = S3RequestCounter.get("GetObject") - getsBeforeSecond;
    // each object fetched once: the first run read the first half, the resumed run only the rest
    assertEquals(half, getsFirst, "GETs of the first run");
    assertEquals(files.size() - half, getsSecond, "GETs of the resumed run");
    // the time model (docs/streaming.md): at 2026-10-03T01:30 the watermark (clock - 15 min) is past
    // every generated hour, so no early pane is written for them; each hour's on-time result
    // comes from the first run's files and is refined LATE by the resumed run's files; nothing is
    // final (49 h lateness)
    List<String> panes =
        GroundTruth.query(url, "SELECT DISTINCT pane_timing, is_final FROM push_proxy_hourly ORDER BY 1, 2");
    assertEquals(List.of("LATE|false", "ON_TIME|false"), panes);
    assertEquals(
        List.of(PushProxyTruth.summary(logs).get("dead_lettered").asText()),
        GroundTruth.query(url, PushProxyTruth.DEAD_SQL + " AND file NOT LIKE '%/2026/10/03/%'"),
        "dead letters of the generated days' folders");
  }
}

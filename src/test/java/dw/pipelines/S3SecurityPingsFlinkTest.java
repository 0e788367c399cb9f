package dw.pipelines;

import static dw.testing.FlinkJobs.stopWithSavepoint;
import static dw.testing.FlinkJobs.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dw.io.files.CloudFrontKeys;
import dw.io.files.TailClock;
import dw.io.s3.S3RequestCounter;
import dw.io.warehouse.DuckDbStore;
import dw.io.warehouse.WarehouseUrl;
import dw.pipelines.generate.SecurityPingGenerator;
import dw.testing.FlinkJobs;
import dw.testing.S3ProxyServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.PipelineResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * security-pings from a real S3 server (S3Proxy on 127.0.0.1) on the Flink runner: a bounded
 * backfill listed by time prefix, and the unbounded source stopped with a savepoint mid-stream and
 * resumed after more files landed; both equal the generator's ground truth exactly.
 */
class S3SecurityPingsFlinkTest {
  @TempDir static Path dir;
  static S3ProxyServer s3;
  static Path logs;
  static Path mmdb;

  @BeforeAll
  static void setUp() throws Exception {
    s3 = S3ProxyServer.start(dir.resolve("s3proxy"));
    logs = dir.resolve("logs");
    new SecurityPingGenerator(
            new SecurityPingGenerator.Config(logs)
                .from(LocalDate.parse("2026-10-01"))
                .to(LocalDate.parse("2026-10-02"))
                .servers(200)
                .seed(23))
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

  static String[] args(String... extra) {
    List<String> a = new ArrayList<>(s3.options());
    a.add("--geoipCityDatabase=" + mmdb);
    a.add("--parallelism=2");
    a.addAll(List.of(extra));
    return a.toArray(new String[0]);
  }

  @Test
  void backfillFromS3ListsByTimePrefixAndEqualsGroundTruth() throws Exception {
    s3.createBucket("backfill");
    int uploaded = s3.upload(logs, "backfill", "cloudfront/");
    s3.put("backfill", "cloudfront/README.txt", "not a log".getBytes());
    Path w = dir.resolve("s3-backfill.duckdb");
    long listBefore = S3RequestCounter.get("ListObjectsV2");
    RunSummary s =
        SecurityPingsCommand.execute(
                PipelineSupport.parse(
                    args(
                        "--input=s3://backfill/cloudfront",
                        "--from=2026-10-01",
                        "--to=2026-10-02",
                        "--warehouse=" + w),
                    SecurityPingsOptions.class))
            .summary();
    long listings = S3RequestCounter.get("ListObjectsV2") - listBefore;

    JsonNode truth = GroundTruth.summary(logs);
    assertEquals(truth.get("files").asLong(), uploaded);
    assertEquals(truth.get("files").asLong(), s.json().get("files").asLong(), s.toJsonLine());
    assertEquals(truth.get("lines_read").asLong(), s.json().get("lines_read").asLong());
    assertEquals(truth.get("parsed_pings").asLong(), s.json().get("parsed_pings").asLong());
    assertTrue(s.balanced(), s.toJsonLine());
    WarehouseUrl url = WarehouseUrl.parse(w.toString());
    GroundTruth.assertSameRows(
        GroundTruth.csv(logs, SecurityPingGenerator.DAILY_TOTALS_CSV), GroundTruth.query(url, GroundTruth.TOTALS_SQL), "totals");
    GroundTruth.assertSameRows(
        GroundTruth.csv(logs, SecurityPingGenerator.SERVER_DAILY_CSV), GroundTruth.query(url, GroundTruth.SERVERS_SQL), "server days");

    // No bucket-wide glob: the check before the job that the input can be listed (one request of
    // one key, LogStore.checkListable), discovery (one request per distribution, one to step over
    // README.txt, one to find the end) and, per distribution, the hour 2026-09-30-23 and the days
    // 2026-10-01 and 2026-10-02 (each well under 1000 files: one page).
    int dists = new SecurityPingGenerator.Config(logs).distributions();
    assertEquals(
        CloudFrontKeys.timePrefixes(
                Instant.parse("2026-09-30T23:00:00Z").toEpochMilli(),
                Instant.parse("2026-10-02T23:00:00Z").toEpochMilli())
            .size(),
        3);
    assertEquals(1 + (dists + 2) + dists * 3L, listings);
  }

  @Test
  void streamingFromS3StopsWithASavepointAndResumesWithoutRereadingOrSkipping() throws Exception {
    s3.createBucket("stream");
    String clock = "s3-stream-test";
    // at 2026-10-03T01:30 (watermark 00:15) both days are open: 2026-10-01 until 2026-10-03T01:00
    // + the watermark delay; a first start reads from 2026-10-01 (and the hour before)
    TailClock.set(clock, Instant.parse("2026-10-03T01:30:00Z").toEpochMilli());
    List<Path> files = SecurityPingsFlinkTest.logFiles(logs);
    int half = files.size() / 2;
    for (Path f : files.subList(0, half)) {
      s3.putFile("stream", "cf/" + logs.relativize(f).toString().replace('\\', '/'), f);
    }
    Path w = dir.resolve("s3-stream.duckdb");
    WarehouseUrl url = WarehouseUrl.parse(w.toString());
    String[] common =
        args(
            "--input=s3://stream/cf",
            "--warehouse=" + w,
            "--tailClock=manual:" + clock,
            "--attachedMode=false",
            "--pollIntervalSeconds=1",
            "--earlyFiringSeconds=1",
            "--checkpointingInterval=1000");

    long getsBefore = S3RequestCounter.get("GetObject");
    PipelineResult first =
        SecurityPingsCommand.execute(PipelineSupport.parse(common, SecurityPingsOptions.class)).result();
    String savepoint;
    try {
      waitFor(() -> S3RequestCounter.get("GetObject") - getsBefore >= half, "the first half read");
      savepoint = stopWithSavepoint(first, dir.resolve("savepoints"));
    } catch (Exception | AssertionError e) {
      first.cancel();
      throw e;
    }
    assertTrue(savepoint != null && !savepoint.isEmpty());
    long getsFirst = S3RequestCounter.get("GetObject") - getsBefore;

    for (Path f : files.subList(half, files.size())) {
      s3.putFile("stream", "cf/" + logs.relativize(f).toString().replace('\\', '/'), f);
    }
    Path conf = FlinkJobs.restoreConf(dir.resolve("flink-conf-restore"), savepoint);
    List<String> resumed = new ArrayList<>(List.of(common));
    resumed.add("--flinkConfDir=" + conf);
    long getsBeforeSecond = S3RequestCounter.get("GetObject");
    PipelineResult second =
        SecurityPingsCommand.execute(
                PipelineSupport.parse(resumed.toArray(new String[0]), SecurityPingsOptions.class))
            .result();
    List<String> totals = GroundTruth.csv(logs, SecurityPingGenerator.DAILY_TOTALS_CSV);
    List<String> servers = GroundTruth.csv(logs, SecurityPingGenerator.SERVER_DAILY_CSV);
    try {
      waitFor(
          () ->
              GroundTruth.query(url, GroundTruth.TOTALS_SQL).equals(totals)
                  && GroundTruth.query(url, GroundTruth.SERVERS_SQL).equals(servers),
          "ground truth after the restart");

      // Four hours later 2026-10-01 has expired (watermark 04:15 > 2026-10-02T00:00 + 25 h); a
      // file of real requests appears for it: dead-lettered as late and not read (no GET).
      TailClock.set(clock, Instant.parse("2026-10-03T05:30:00Z").toEpochMilli());
      long polls = TailClock.reads(clock) + 2;
      waitFor(() -> TailClock.reads(clock) >= polls, "a whole poll at the new time");
      Path sample = files.get(files.size() / 4);
      String dist = logs.relativize(sample).getName(0).toString();
      String lateKey = "cf/" + dist + "/" + dist + ".2026-10-01-00.1a7e0001.gz";
      s3.putFile("stream", lateKey, sample);
      waitFor(
          () ->
              GroundTruth.query(url, "SELECT file, reason FROM dead_letters WHERE reason LIKE 'late_file:%'")
                  .size() == 1,
          "the late file's dead letter");
      List<String> late =
          GroundTruth.query(url, "SELECT file, line_number, reason FROM dead_letters WHERE reason LIKE 'late_file:%'");
      assertEquals("s3://stream/" + lateKey, late.get(0).split("\\|")[0], late.toString());
      assertTrue(late.get(0).contains("its hour 2026-10-01-00 had expired"), late.toString());
      long after = TailClock.reads(clock) + 2;
      waitFor(() -> TailClock.reads(clock) >= after, "two more polls");
      GroundTruth.assertSameRows(totals, GroundTruth.query(url, GroundTruth.TOTALS_SQL), "totals after the late file");
    } catch (AssertionError e) {
      GroundTruth.assertSameRows(totals, GroundTruth.query(url, GroundTruth.TOTALS_SQL), "totals after restart");
      GroundTruth.assertSameRows(servers, GroundTruth.query(url, GroundTruth.SERVERS_SQL), "server days after restart");
      throw e;
    } finally {
      second.cancel();
    }
    long getsSecond = S3RequestCounter.get("GetObject") - getsBeforeSecond;
    // Each object is fetched once (one GET per file): the first run read the first half, the
    // resumed run only the second half. A job that started over instead of restoring would have
    // fetched every file again; pings per server-day equal to the truth rule out double counting.
    assertEquals(half, getsFirst, "GETs of the first run");
    assertEquals(files.size() - half, getsSecond, "GETs of the resumed run (its files; the late one is not read)");
  }
}

package dw.io.files;

import static dw.testing.FlinkJobs.stopWithSavepoint;
import static dw.testing.FlinkJobs.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dw.transforms.common.DeadLetter;
import dw.transforms.common.LogFileReader;
import dw.testing.FlinkJobs;
import dw.testing.S3ProxyServer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.joda.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tail's splittable DoFn with the load-balancer layout on embedded Flink with checkpointing,
 * reading from a real S3 server: stopped with a savepoint mid-stream, more files land, resumed from
 * the savepoint: every object is read exactly once (none twice, none missed), and a file for a
 * closed day is read and dead-lettered with its reason.
 */
class AlbTailFlinkTest {
  @TempDir static Path dir;
  static S3ProxyServer s3;
  static final String CLOCK = "alb-flink-test";
  /** What the job read: object → times read, object → lines; late files → dead-letter reason. */
  static final Map<String, AtomicInteger> READS = new ConcurrentHashMap<>();
  static final Map<String, Integer> LINES = new ConcurrentHashMap<>();
  static final Map<String, String> LATE = new ConcurrentHashMap<>();
  static final String[][] FOLDERS = {{"111111111111", "us-east-1"}, {"111111111111", "eu-central-1"}, {"222222222222", "us-east-1"}};

  @BeforeAll
  static void start() throws Exception {
    s3 = S3ProxyServer.start(dir.resolve("s3proxy"));
    s3.createBucket("albstream");
  }

  @AfterAll
  static void stop() {
    if (s3 != null) {
      s3.close();
    }
  }

  /** Reads each listed object through the pipelines' reader and records it. */
  static final class RecordReadsFn extends DoFn<MatchResult.Metadata, Void> {
    @ProcessElement
    public void process(@Element MatchResult.Metadata file) throws Exception {
      int lines = 0;
      try (dw.transforms.common.Utf8Lines r = LogFileReader.openLines(file.resourceId())) {
        while (r.readLine() != null) {
          lines++;
        }
      }
      String key = file.resourceId().toString();
      LINES.put(key, lines);
      READS.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
    }
  }

  static final class RecordLateFn extends DoFn<DeadLetter, Void> {
    @ProcessElement
    public void process(@Element DeadLetter d) {
      LATE.put(d.file(), d.reason());
    }
  }

  static PipelineResult run(Path restoreConf) {
    List<String> args = new ArrayList<>(s3.options());
    args.add("--s3ClientFactoryClass=" + dw.io.s3.PathStyleS3ClientBuilderFactory.class.getName());
    PipelineOptionsFactory.register(dw.io.s3.S3AccessOptions.class);
    FlinkPipelineOptions o =
        PipelineOptionsFactory.fromArgs(args.toArray(new String[0])).as(FlinkPipelineOptions.class);
    o.setRunner(FlinkRunner.class);
    o.setStreaming(true);
    o.setParallelism(2);
    o.setCheckpointingInterval(1000L);
    o.setAttachedMode(false);
    o.setObjectReuse(true);
    if (restoreConf != null) {
      o.setFlinkConfDir(restoreConf.toString());
    }
    Pipeline p = Pipeline.create(o);
    PCollectionTuple t =
        p.apply(
            "TailLogFiles",
            TailLogFiles.of(
                "s3://albstream/lb/AWSLogs",
                KeyLayout.ALB_DAYS,
                HourTail.Timing.hours(86_400_000L, 25, 0, 24),
                Duration.standardSeconds(1),
                TailClock.manual(CLOCK),
                "alb-test"));
    t.get(TailLogFiles.FILES).apply("ReadFiles", ParDo.of(new RecordReadsFn()));
    t.get(TailLogFiles.LATE_FILES).apply("RecordLateFiles", ParDo.of(new RecordLateFn()));
    return p.run();
  }

  /** Waits until the source has started {@code n} more polls (each reads the manual clock once). */
  static void awaitPolls(int n) throws Exception {
    long target = TailClock.reads(CLOCK) + n;
    waitFor(() -> TailClock.reads(CLOCK) >= target, n + " more polls");
  }

  static String put(String[] folder, Instant end, String random, int lines) {
    String key = AlbLogs.key("lb/", folder[0], folder[1], end, random);
    s3.put("albstream", key, AlbLogs.content(end, lines));
    return "s3://albstream/" + key;
  }

  static Map<String, Integer> readCounts() {
    Map<String, Integer> m = new TreeMap<>();
    READS.forEach((k, v) -> m.put(k, v.get()));
    return m;
  }

  @Test
  void restartFromASavepointNeitherRereadsNorSkipsAnObject() throws Exception {
    TailClock.set(CLOCK, Instant.parse("2026-11-21T10:30:00Z").toEpochMilli());
    Map<String, Integer> expectedLines = new TreeMap<>();
    int n = 0;
    for (String[] f : FOLDERS) {
      for (String day : List.of("2026-11-20", "2026-11-21")) {
        for (int i = 1; i <= 3; i++) {
          Instant end = Instant.parse(day + "T0" + i + ":05:00Z");
          expectedLines.put(put(f, end, String.format("f1r5t%03d", n), 2 + n % 4), 2 + n % 4);
          n++;
        }
      }
    }
    int firstHalf = expectedLines.size();

    PipelineResult first = run(null);
    String savepoint;
    try {
      waitFor(() -> READS.size() == firstHalf, "the first " + firstHalf + " files");
      savepoint = stopWithSavepoint(first, dir.resolve("savepoints"));
    } catch (Exception | AssertionError e) {
      first.cancel();
      throw e;
    }
    assertEquals(firstHalf, READS.size());

    // while the job is stopped: new files for today, and a late one for the older open day
    for (String[] f : FOLDERS) {
      for (int i = 0; i < 4; i++) {
        Instant end = Instant.parse("2026-11-21T1" + i + ":10:00Z");
        expectedLines.put(put(f, end, String.format("s3c0nd%03d", n), 3 + n % 3), 3 + n % 3);
        n++;
      }
    }
    expectedLines.put(put(FOLDERS[1], Instant.parse("2026-11-20T22:45:00Z"), "1a7e0pen", 5), 5);

    PipelineResult second = run(FlinkJobs.restoreConf(dir.resolve("restore"), savepoint));
    try {
      waitFor(() -> READS.size() == expectedLines.size(), "all " + expectedLines.size() + " files");
      awaitPolls(2); // whole polls after the last file: nothing may be read again
      assertEquals(expectedLines, new TreeMap<>(LINES), "every object read, whole");
      readCounts().forEach((k, v) -> assertEquals(1, v, "times read: " + k));
      assertEquals(Map.of(), LATE, "a late file for an open day is not a dead letter");

      // 2026-11-22T02:00: the day 2026-11-20 has closed (25 h after its end); a file lands in it
      TailClock.set(CLOCK, Instant.parse("2026-11-22T02:00:00Z").toEpochMilli());
      awaitPolls(2); // a whole poll at the new time: the watermark is past 2026-11-20 + 25 h
      String closed = put(FOLDERS[2], Instant.parse("2026-11-20T23:55:00Z"), "c10sed01", 2);
      waitFor(() -> LATE.containsKey(closed), "the closed day's dead letter");
      assertTrue(
          LATE.get(closed).startsWith("late_file: listed after the windows of its day 2026/11/20 had expired"),
          LATE.get(closed));
      assertEquals(1, LATE.size());
      awaitPolls(2);
      assertFalse(READS.containsKey(closed), "a late file is not read: nothing is both dead-lettered and counted");
      assertEquals(expectedLines, new TreeMap<>(LINES));
      readCounts().forEach((k, v) -> assertEquals(1, v, "times read: " + k));
    } finally {
      second.cancel();
    }
  }
}

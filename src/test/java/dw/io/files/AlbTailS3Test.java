package dw.io.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dw.io.s3.S3RequestCounter;
import dw.testing.S3ProxyServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tail and the backfill listing with the load-balancer layout ({@code
 * AWSLogs/<account>/elasticloadbalancing/<region>/YYYY/MM/DD/}) against a real S3 server (S3Proxy
 * on 127.0.0.1), on a simulated clock: pick-up within one poll, late files, listing cost per poll
 * and the state bound over days.
 */
class AlbTailS3Test {
  @TempDir static Path dir;
  static S3ProxyServer s3;
  static final long H = 3_600_000L;
  static final long D = 24 * H;
  static final String A1 = "111111111111";
  static final String A2 = "222222222222";
  static final String US = "us-east-1";
  static final String EU = "eu-central-1";

  @BeforeAll
  static void start() throws Exception {
    s3 = S3ProxyServer.start(dir.resolve("s3proxy"));
  }

  @AfterAll
  static void stop() {
    if (s3 != null) {
      s3.close();
    }
  }

  static Instant at(String iso) {
    return Instant.parse(iso);
  }

  /** Three region folders: account 1 in us-east-1 and eu-central-1, account 2 in us-east-1. */
  static final String[][] FOLDERS = {{A1, US}, {A1, EU}, {A2, US}};

  /** A poller over {@code s3://bucket/lb/AWSLogs} with its own state; records what it emitted. */
  final class Tail {
    final HourTail tail;
    final TailState state = new TailState();
    final List<String> emitted = new ArrayList<>();
    final List<String> late = new ArrayList<>();

    Tail(String input, HourTail.Timing timing) {
      LogStore store = LogStore.forInput(input);
      store.open(s3.pipelineOptions());
      tail = new HourTail(store, KeyLayout.forInput(input), timing);
    }

    HourTail.Report poll(Instant now) throws Exception {
      long before = S3RequestCounter.get("ListObjectsV2");
      HourTail.Report r =
          tail.poll(
              state,
              now.toEpochMilli(),
              (m, day, verdict) -> {
                String name = m.resourceId().getFilename();
                assertEquals(KeyLayout.ALB_DAYS.unitStart(m.resourceId().toString()), day);
                if (verdict == HourTail.Verdict.READ) {
                  emitted.add(name);
                } else {
                  late.add(name);
                }
              });
      assertEquals(S3RequestCounter.get("ListObjectsV2") - before, r.listingRequests(), "counted on the wire");
      return r;
    }
  }

  static String put(String bucket, String account, String region, Instant end, String random) {
    String key = AlbLogs.key("lb/", account, region, end, random);
    s3.put(bucket, key, AlbLogs.content(end, 4));
    return key.substring(key.lastIndexOf('/') + 1);
  }

  @Test
  void keysOfTheLayoutAreRecognised() {
    String key = AlbLogs.key("lb/", A1, US, at("2026-11-21T00:00:00Z"), "1abc");
    assertEquals(at("2026-11-21T00:00:00Z").toEpochMilli(), KeyLayout.ALB_DAYS.unitStart("s3://b/" + key));
    assertEquals(-1, KeyLayout.ALB_DAYS.unitStart("lb/AWSLogs/" + A1 + "/ELBAccessLogTestFile"));
    assertEquals(-1, KeyLayout.ALB_DAYS.unitStart("lb/AWSLogs/" + A1 + "/elasticloadbalancing/" + US + "/2026/13/01/x_elasticloadbalancing_y.log.gz"));
    assertEquals(KeyLayout.ALB_DAYS, KeyLayout.forInput("s3://b/lb/AWSLogs"));
    assertEquals(KeyLayout.ALB_DAYS, KeyLayout.forInput("s3://b/AWSLogs/" + A1 + "/elasticloadbalancing/"));
    assertEquals(KeyLayout.CLOUDFRONT_HOURS, KeyLayout.forInput("s3://b/cloudfront"));
    assertEquals("2026/11/21/", KeyLayout.ALB_DAYS.timePrefix(at("2026-11-21T13:00:00Z").toEpochMilli() / D * D));
  }

  @Test
  void hourlyWindowsOnDayFoldersUseEachFilesIntervalEnd() throws Exception {
    s3.createBucket("alb1");
    s3.put("alb1", "lb/AWSLogs/" + A1 + "/ELBAccessLogTestFile", "test".getBytes(StandardCharsets.US_ASCII));
    // hourly windows, 2 h lateness, watermark 15 min behind the clock
    HourTail.Timing hourly = new HourTail.Timing(3_600_000L, 2 * 3_600_000L, 15 * 60_000L, 24 * 3_600_000L, Long.MIN_VALUE);
    Instant t0 = at("2026-11-21T10:30:00Z");
    List<String> expected = new ArrayList<>();
    for (String[] f : FOLDERS) {
      expected.add(put("alb1", f[0], f[1], at("2026-11-21T10:25:00Z"), "aaaa" + f[1]));
    }
    // the oldest open window at watermark 10:15 is 08:00-09:00: read from its beginning
    expected.add(put("alb1", A1, US, at("2026-11-21T09:00:00Z"), "bbbb0001"));
    // its events (06:55-07:00) lie before that start: history on the first poll
    put("alb1", A1, US, at("2026-11-21T07:00:00Z"), "0ld00001");
    // a day folder before the start's day is never listed
    put("alb1", A1, US, at("2026-11-20T23:55:00Z"), "0ld00002");

    Tail t = new Tail("s3://alb1/lb/AWSLogs", hourly);
    HourTail.Report r = t.poll(t0);
    assertEquals(expected.stream().sorted().toList(), t.emitted.stream().sorted().toList());
    assertEquals(List.of(), t.late);
    assertEquals(3, r.prefixes(), "three (account, region) folders");
    assertEquals(1, r.hoursListed(), "the day folder 2026/11/21");
    assertEquals(1, r.skippedFiles(), "the file before the start");
    assertEquals(t0.toEpochMilli() - 15 * 60_000L, r.watermarkHour());
    // discovery: one delimiter listing of the accounts, one per account for its regions; then one
    // listing per (region folder, day folder)
    assertEquals(1 + 2 + 3, r.listingRequests());

    t.poll(t0.plusSeconds(60));
    assertEquals(4, t.emitted.size(), "nothing new, nothing emitted");

    String fresh = put("alb1", A2, US, at("2026-11-21T10:35:00Z"), "cccc0001");
    String lateButOpen = put("alb1", A1, EU, at("2026-11-21T09:05:00Z"), "dddd0001"); // window 09-10 open until 12:00
    String beforeStart = put("alb1", A2, US, at("2026-11-21T07:30:00Z"), "eeee0001");
    t.poll(t0.plusSeconds(120));
    assertTrue(t.emitted.contains(fresh) && t.emitted.contains(lateButOpen), "both within one poll");
    assertEquals(6, t.emitted.size());
    assertEquals(List.of(beforeStart), t.late, "new, but before the stream's start: dead-lettered");

    // 13:00: the watermark (12:45) has passed 09:00-10:00's end + 2 h
    t.poll(at("2026-11-21T13:00:00Z"));
    String expired = put("alb1", A2, US, at("2026-11-21T09:50:00Z"), "c10sed01");
    String stillOpen = put("alb1", A1, US, at("2026-11-21T10:40:00Z"), "0pen0001"); // 10-11 open until 13:00
    HourTail.Report r2 = t.poll(at("2026-11-21T13:01:00Z"));
    assertEquals(List.of(beforeStart, expired), t.late);
    assertEquals(1, r2.lateFiles());
    assertTrue(t.emitted.contains(stillOpen));
    assertEquals(7, new HashSet<>(t.emitted).size());
    assertEquals(7, t.emitted.size());
  }

  @Test
  void intervalEndsAreReadFromTheNames() {
    String key = AlbLogs.key("lb/", A1, US, at("2026-11-21T10:25:00Z"), "1abc");
    assertEquals(at("2026-11-21T10:25:00Z").toEpochMilli(), KeyLayout.ALB_DAYS.eventEndMillis("s3://b/" + key));
    assertEquals(-1, AlbKeys.intervalEndMillis("x_elasticloadbalancing_y.log.gz"));
    assertEquals(at("2026-11-22T00:00:00Z").toEpochMilli(),
        KeyLayout.ALB_DAYS.eventEndMillis("lb/AWSLogs/" + A1 + "/elasticloadbalancing/" + US + "/2026/11/21/x_elasticloadbalancing_y.log.gz"),
        "no interval in the name: the end of its day folder");
  }

  @Test
  void stateHoldsOnlyTheOpenDaysOverSimulatedDays() throws Exception {
    s3.createBucket("alb2");
    Tail t = new Tail("s3://alb2/lb/AWSLogs", HourTail.Timing.hours(86_400_000L, 25, 0, 24));
    Instant start = at("2026-11-01T00:00:00Z");
    int files = 0;
    int maxKeys = 0;
    int maxDays = 0;
    int days = 8;
    // 8 simulated days, a file per region folder every 2 hours (and one delivered 4 h late), a
    // poll every 2 simulated hours
    for (int i = 0; i < days * 12; i++) {
      Instant now = start.plusSeconds(i * 7200L + 600);
      for (String[] f : FOLDERS) {
        put("alb2", f[0], f[1], start.plusSeconds(i * 7200L + 300), String.format("%08x", i));
        files++;
        if (i >= 2) {
          put("alb2", f[0], f[1], start.plusSeconds((i - 2) * 7200L + 900), String.format("1a7e%04x", i));
          files++;
        }
      }
      HourTail.Report r = t.poll(now);
      maxKeys = Math.max(maxKeys, t.state.trackedKeys());
      maxDays = Math.max(maxDays, t.state.trackedHours());
      // open days (2 or 3 with 25 h lateness) + 1 scanned closed day, never more
      assertTrue(r.hoursListed() <= 4, "days listed " + r.hoursListed());
      assertEquals(3 + 3L * r.hoursListed(), r.listingRequests(), "listings = discovery + folders x days");
    }
    assertEquals(files, t.emitted.size(), "every file emitted exactly once");
    assertEquals(files, new HashSet<>(t.emitted).size());
    assertEquals(List.of(), t.late);
    assertTrue(maxDays <= 4, "tracked days " + maxDays);
    assertTrue(t.state.trackedHours() <= 4);
    // at most 4 days x 3 folders x 24 files a day (12 + 12 late)
    assertTrue(maxKeys <= 4 * 3 * 24, "tracked keys " + maxKeys);
    assertTrue(files > 2 * maxKeys, "history (" + files + ") larger than the state (" + maxKeys + ")");
    System.out.printf("ALB tail over %d days: %d files, max tracked keys %d, max tracked days %d%n", days, files, maxKeys, maxDays);
  }

  @Test
  void backfillListsOnlyTheDayFoldersOfTheRange() throws Exception {
    s3.createBucket("alb3");
    List<String> expected = new ArrayList<>();
    for (String[] f : FOLDERS) {
      for (int d = 10; d <= 16; d++) {
        String early = put("alb3", f[0], f[1], at("2026-11-" + d + "T00:05:00Z"), "e" + d + f[1]);
        String noon = put("alb3", f[0], f[1], at("2026-11-" + d + "T12:00:00Z"), "n" + d + f[1]);
        if (d >= 12 && d <= 14) {
          // the day folders 2026/11/12 and 13, and 14: its first files hold the last minutes of
          // 2026-11-13 (the pipeline filters lines by date; the listing picks whole folders)
          expected.add(early);
          expected.add(noon);
        }
      }
    }
    var options = s3.pipelineOptions();
    options.setRunner(org.apache.beam.runners.direct.DirectRunner.class);
    Pipeline p = Pipeline.create(options);
    PCollection<String> names =
        p.apply(
                "List",
                ListLogFiles.forDays(
                    "s3://alb3/lb",
                    KeyLayout.ALB_DAYS,
                    LocalDate.parse("2026-11-12").toEpochDay(),
                    LocalDate.parse("2026-11-13").toEpochDay()))
            .apply(MapElements.into(TypeDescriptors.strings()).via((MatchResult.Metadata m) -> m.resourceId().getFilename()));
    PAssert.that(names).containsInAnyOrder(expected);
    long before = S3RequestCounter.get("ListObjectsV2");
    p.run().waitUntilFinish();
    // discovery (accounts + 2 accounts' regions) + 3 folders x 3 day folders (12, 13, 14)
    assertEquals(3 + 3 * 3, S3RequestCounter.get("ListObjectsV2") - before);
    assertEquals(3 * 3 * 2, expected.size());
  }
}

package dw.io.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dw.io.s3.S3RequestCounter;
import dw.testing.S3ProxyServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hour-prefix tail against a real S3 server (S3Proxy on 127.0.0.1), on a simulated clock:
 * pick-up within one poll, late files, listing cost per poll, and the state bound over days.
 */
class HourTailS3Test {
  @TempDir static Path dir;
  static S3ProxyServer s3;
  static final long H = 3_600_000L;

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

  static long at(String iso) {
    return Instant.parse(iso).toEpochMilli();
  }

  /** A poller over {@code s3://bucket/logs} with its own state; records what it emitted. */
  final class Tail {
    final HourTail tail;
    final TailState state = new TailState();
    final List<String> emitted = new ArrayList<>();
    final List<String> late = new ArrayList<>();

    Tail(String bucket, HourTail.Timing timing) {
      LogStore store = LogStore.forInput("s3://" + bucket + "/logs");
      store.open(s3.pipelineOptions());
      tail = new HourTail(store, KeyLayout.CLOUDFRONT_HOURS, timing);
    }

    HourTail.Report poll(long now) throws Exception {
      long before = S3RequestCounter.get("ListObjectsV2");
      HourTail.Report r =
          tail.poll(
              state,
              now,
              c -> {
                state.apply(c);
                return true;
              },
              (m, hour, verdict) -> {
                String name = m.resourceId().getFilename();
                if (verdict == HourTail.Verdict.READ) {
                  emitted.add(name);
                } else {
                  late.add(name);
                }
              });
      // the report's count is what went over the wire
      assertEquals(S3RequestCounter.get("ListObjectsV2") - before, r.listingRequests());
      return r;
    }
  }

  void put(String bucket, String dist, long hour, String id) {
    String key = "logs/" + dist + "/" + dist + "." + CloudFrontKeys.hourStamp(hour) + "." + id + ".gz";
    s3.put(bucket, key, "x".getBytes(StandardCharsets.US_ASCII));
  }

  static String name(String dist, long hour, String id) {
    return dist + "." + CloudFrontKeys.hourStamp(hour) + "." + id + ".gz";
  }

  /** security-pings' defaults: daily windows, 25 h lateness, watermark 75 min behind, 24 h scan band. */
  static final HourTail.Timing PINGS = HourTail.Timing.hours(24 * H, 25, 75 * 60_000L, 24);

  @Test
  void firstStartReadsTheOldestOpenDayFromItsBeginningAndOnlyExpiredDaysAreLate() throws Exception {
    s3.createBucket("tail1");
    long t0 = at("2026-10-05T10:30:00Z");
    long h10 = at("2026-10-05T10:00:00Z");
    long h09 = h10 - H;
    long oct4early = at("2026-10-04T04:00:00Z");
    put("tail1", "EDIST1", h09, "aaaa0001");
    put("tail1", "EDIST1", h10, "aaaa0002");
    put("tail1", "EDIST2", h10, "bbbb0001");
    // the whole of 2026-10-04 is still open (until 2026-10-06T01:00): read from its beginning
    put("tail1", "EDIST1", oct4early, "dd040001");
    // 2026-10-03 has expired: history, never listed (a backfill's job)
    put("tail1", "EDIST1", at("2026-10-03T20:00:00Z"), "0ld00001");
    s3.put("tail1", "logs/_truth/summary.json", "{}".getBytes(StandardCharsets.US_ASCII));

    Tail t = new Tail("tail1", PINGS);
    HourTail.Report r = t.poll(t0);
    assertEquals(
        List.of(name("EDIST1", oct4early, "dd040001"), name("EDIST1", h09, "aaaa0001"),
            name("EDIST1", h10, "aaaa0002"), name("EDIST2", h10, "bbbb0001")),
        t.emitted.stream().sorted().toList());
    assertEquals(2, r.prefixes(), "EDIST1 and EDIST2; _truth is ignored");
    // from the day's start, and the hour before: its files hold requests finishing after midnight
    assertEquals(36, r.hoursListed(), "2026-10-03T23 .. 2026-10-05T10");
    // discovery: one request per log prefix, one to step over _truth, one that finds the end;
    // then one per (log prefix, listed hour)
    assertEquals(4 + 2 * 36, r.listingRequests(), "discovery + one listing per (prefix, hour)");
    assertEquals(t0 - 75 * 60_000L, r.watermarkHour(), "watermark = now - 75 min");
    assertEquals(4, t.state.trackedKeys());

    // nothing new: nothing emitted
    t.poll(t0 + 60_000);
    assertEquals(4, t.emitted.size());

    // a new file, and one delivered late for a day that is still open: both read
    put("tail1", "EDIST2", h10, "bbbb0002");
    long oct4evening = at("2026-10-04T20:00:00Z");
    put("tail1", "EDIST1", oct4evening, "1a7e0001");
    t.poll(t0 + 120_000);
    assertEquals(6, t.emitted.size(), "both picked up by the next poll");
    assertTrue(t.emitted.contains(name("EDIST1", oct4evening, "1a7e0001")));
    assertEquals(List.of(), t.late, "a file of a day that is still open is read");

    // 2026-10-06T02:30: the watermark (01:15) has passed 2026-10-04's end + 25 h (01:00)
    long t1 = at("2026-10-06T02:30:00Z");
    HourTail.Report r1 = t.poll(t1);
    assertEquals(t1 - 75 * 60_000L, r1.watermarkHour());
    long expiredHour = at("2026-10-04T22:00:00Z");
    long openHour = at("2026-10-05T23:00:00Z"); // 2026-10-05 is open until 2026-10-07T01:00
    put("tail1", "EDIST1", expiredHour, "c10sed01");
    put("tail1", "EDIST2", openHour, "0pen0001");
    HourTail.Report r2 = t.poll(t1 + 60_000);
    assertEquals(List.of(name("EDIST1", expiredHour, "c10sed01")), t.late, "late: not read");
    assertFalse(t.emitted.contains(name("EDIST1", expiredHour, "c10sed01")));
    assertTrue(t.emitted.contains(name("EDIST2", openHour, "0pen0001")), "refines its open day");
    assertEquals(1, r2.lateFiles());
    assertEquals(51, r2.hoursListed(), "2026-10-04 (scan band) .. 2026-10-06T02");
    assertEquals(4 + 2 * 51, r2.listingRequests());
    assertFalse(t.emitted.contains(name("EDIST1", at("2026-10-03T20:00:00Z"), "0ld00001")));
  }

  @Test
  void anExplicitStartReadsFromThatDay() throws Exception {
    s3.createBucket("tail3");
    long t0 = at("2026-10-05T10:30:00Z");
    put("tail3", "EDIST1", at("2026-10-04T12:00:00Z"), "aaaa0001");
    put("tail3", "EDIST1", at("2026-10-05T01:00:00Z"), "aaaa0002");
    Tail t = new Tail("tail3", PINGS.startingAt(at("2026-10-05T07:00:00Z")));
    HourTail.Report r = t.poll(t0);
    assertEquals(List.of(name("EDIST1", at("2026-10-05T01:00:00Z"), "aaaa0002")), t.emitted);
    assertEquals(12, r.hoursListed(), "from 2026-10-04T23 (the start's day and the hour before)");
  }

  @Test
  void stateAndListingStayBoundedOverSimulatedDays() throws Exception {
    s3.createBucket("tail2");
    int lateness = 5; // hourly windows and small bounds keep the test quick
    int scan = 2;
    Tail t = new Tail("tail2", HourTail.Timing.hours(H, lateness, 0, scan));
    long start = at("2026-10-01T00:00:00Z");
    int files = 0;
    int maxKeys = 0;
    long maxRequests = 0;
    // 4 simulated days, one poll per simulated hour; 2 distributions x 2 files per hour, one of
    // them delivered 3 hours late
    for (int i = 0; i < 4 * 24; i++) {
      long hour = start + i * H;
      for (String d : List.of("EA", "EB")) {
        put("tail2", d, hour, String.format("%08x", i));
        if (i >= 3) {
          put("tail2", d, hour - 3 * H, String.format("1a7e%04x", i));
        }
        files += i >= 3 ? 2 : 1;
      }
      HourTail.Report r = t.poll(hour + 30 * 60_000);
      maxKeys = Math.max(maxKeys, t.state.trackedKeys());
      maxRequests = Math.max(maxRequests, r.listingRequests());
      assertTrue(r.hoursListed() <= lateness + 1 + scan, "hours listed " + r.hoursListed());
    }
    assertEquals(files, t.emitted.size(), "every file emitted exactly once");
    assertEquals(files, new java.util.HashSet<>(t.emitted).size());
    assertEquals(List.of(), t.late);
    // state: at most (lateness + 1 + scan) hours x 2 distributions x 2 files, whatever the history
    assertTrue(maxKeys <= (lateness + 1 + scan) * 2 * 2, "tracked keys " + maxKeys);
    assertTrue(t.state.trackedHours() <= lateness + 1 + scan, "tracked hours " + t.state.trackedHours());
    assertTrue(files > 2 * maxKeys, "history (" + files + " files) is larger than the state (" + maxKeys + ")");
    // listing: discovery (2 prefixes + 1) + 2 prefixes x (open + scanned) hours, never more
    assertEquals(3 + 2 * (lateness + 1 + scan), maxRequests);
  }
}

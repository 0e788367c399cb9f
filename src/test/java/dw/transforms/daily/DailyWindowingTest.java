package dw.transforms.daily;

import dw.transforms.windows.WindowIntoFixed;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;

import static dw.transforms.daily.Pings.id;
import static dw.transforms.daily.Pings.ping;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dw.testing.TestPipelineExtension;
import dw.transforms.pings.SecurityPingCoder;
import dw.transforms.security.SecurityPing;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Event-time behaviour of the daily windows (DirectRunner, TestStream): on-time, early,
 * late-within-lateness (refines the day) and too-late (dropped and counted) pings, and the
 * latest-vs-max rule with pings out of order.
 */
@ExtendWith(TestPipelineExtension.class)
class DailyWindowingTest {
  private static final Duration LATENESS = Duration.standardHours(25);
  private static final Duration EARLY = Duration.standardMinutes(1);
  private static final Instant DAY = Instant.parse("2026-11-20T00:00:00Z");
  private static final IntervalWindow WINDOW = new IntervalWindow(DAY, Duration.standardDays(1));
  private static final String A = id("alpha");
  private static final String B = id("beta");

  private static TimestampedValue<SecurityPing> at(SecurityPing p) {
    return TimestampedValue.of(p, new Instant(p.eventTimeMillis()));
  }

  /** "server pings auc max" of each ServerDay result. */
  private static PCollection<String> describe(PCollection<ServerDay> days) {
    return days.apply(
        MapElements.into(TypeDescriptors.strings())
            .via(d -> d.serverId().substring(0, 5) + " " + d.pings() + " " + d.activeUsers() + " " + d.maxActiveUsers()));
  }

  private static PCollection<ServerDay> serverDays(TestPipeline p, TestStream<SecurityPing> s) {
    return p.apply(s)
        .apply(WindowIntoFixed.<SecurityPing>of(Duration.standardDays(1), LATENESS, EARLY))
        .apply(new AggregateServerDays());
  }

  @Test
  void onTimePaneHasTheLatestPingEvenWhenPingsArriveOutOfOrder(TestPipeline p) {
    TestStream<SecurityPing> s =
        TestStream.create(SecurityPingCoder.of())
            .advanceWatermarkTo(DAY)
            .addElements(
                at(ping(A, "2026-11-20T20:00:00Z", 10L, 100L)),
                at(ping(A, "2026-11-20T08:00:00Z", 50L, 100L)),
                at(ping(B, "2026-11-20T09:00:00Z", null, 3L)))
            .advanceWatermarkToInfinity();
    PAssert.that(describe(serverDays(p, s)))
        .inOnTimePane(WINDOW)
        .containsInAnyOrder("alpha 2 10 50", "betax 1 null null");
    p.run().waitUntilFinish();
  }

  @Test
  void earlyFiringUpdatesTheOpenDayAndTheFinalPaneIsComplete(TestPipeline p) {
    TestStream<SecurityPing> s =
        TestStream.create(SecurityPingCoder.of())
            .advanceWatermarkTo(DAY.plus(Duration.standardHours(9)))
            .addElements(at(ping(A, "2026-11-20T08:00:00Z", 5L, 100L)))
            .advanceProcessingTime(Duration.standardMinutes(2))
            .addElements(at(ping(A, "2026-11-20T09:30:00Z", 7L, 100L)))
            .advanceWatermarkToInfinity();
    PCollection<String> out = describe(serverDays(p, s));
    PAssert.that(out).inEarlyPane(WINDOW).containsInAnyOrder("alpha 1 5 5");
    PAssert.that(out).inFinalPane(WINDOW).containsInAnyOrder("alpha 2 7 7");
    p.run().waitUntilFinish();
  }

  @Test
  void lateDataWithinTheLatenessRefinesTheDay(TestPipeline p) {
    TestStream<SecurityPing> s =
        TestStream.create(SecurityPingCoder.of())
            .advanceWatermarkTo(DAY)
            .addElements(at(ping(A, "2026-11-20T08:00:00Z", 5L, 100L)))
            // the day ends; CloudFront delivers a file of the day 20 hours late
            .advanceWatermarkTo(WINDOW.end().plus(Duration.standardHours(20)))
            .addElements(at(ping(A, "2026-11-20T23:00:00Z", 9L, 100L)))
            .advanceProcessingTime(Duration.standardMinutes(2))
            .advanceWatermarkToInfinity();
    PCollection<String> out = describe(serverDays(p, s));
    PAssert.that(out).inOnTimePane(WINDOW).containsInAnyOrder("alpha 1 5 5");
    // the late firing, then the closing pane when the lateness expires: both complete
    PAssert.that(out).inLatePane(WINDOW).containsInAnyOrder("alpha 2 9 9", "alpha 2 9 9");
    PAssert.that(out).inFinalPane(WINDOW).containsInAnyOrder("alpha 2 9 9");
    p.run().waitUntilFinish();
  }

  @Test
  void dataBeyondTheLatenessIsDroppedAndCounted(TestPipeline p) {
    TestStream<SecurityPing> s =
        TestStream.create(SecurityPingCoder.of())
            .advanceWatermarkTo(DAY)
            .addElements(at(ping(A, "2026-11-20T08:00:00Z", 5L, 100L)))
            .advanceWatermarkTo(WINDOW.end().plus(LATENESS).plus(Duration.standardHours(1)))
            .addElements(at(ping(A, "2026-11-20T23:00:00Z", 9L, 100L)))
            .advanceWatermarkToInfinity();
    PAssert.that(describe(serverDays(p, s)))
        .inWindow(WINDOW)
        .containsInAnyOrder("alpha 1 5 5");
    PipelineResult r = p.run();
    r.waitUntilFinish();
    MetricQueryResults q =
        r.metrics()
            .queryMetrics(MetricsFilter.builder().build());
    long dropped = 0;
    for (MetricResult<Long> c : q.getCounters()) {
      // Beam's own counter; its namespace is the runner's class that drops the element
      if (c.getName().getName().equalsIgnoreCase("droppedDueToLateness")) {
        dropped += c.getAttempted();
      }
    }
    assertEquals(1, dropped);
  }

  @Test
  void totalsCountARefinedServerOnce(TestPipeline p) {
    TestStream<SecurityPing> s =
        TestStream.create(SecurityPingCoder.of())
            .advanceWatermarkTo(DAY.plus(Duration.standardHours(9)))
            .addElements(at(ping(A, "2026-11-20T08:00:00Z", 5L, 100L)))
            .advanceProcessingTime(Duration.standardMinutes(2))
            .advanceProcessingTime(Duration.standardMinutes(2))
            .addElements(
                at(ping(A, "2026-11-20T10:00:00Z", 7L, 100L)),
                at(ping(B, "2026-11-20T11:00:00Z", 1L, 4L)))
            .advanceProcessingTime(Duration.standardMinutes(2))
            .advanceWatermarkTo(WINDOW.end().plus(Duration.standardHours(1)))
            .addElements(at(ping(B, "2026-11-20T23:30:00Z", 3L, 4L)))
            .advanceProcessingTime(Duration.standardMinutes(2))
            .advanceProcessingTime(Duration.standardMinutes(2))
            .advanceWatermarkToInfinity();
    PCollection<DayTotals> totals =
        serverDays(p, s).apply(new AggregateDailyTotals(LATENESS, EARLY));
    PCollection<String> sums =
        totals.apply(
            MapElements.into(TypeDescriptors.strings())
                .via(t -> {
                  long servers = 0, auc = 0, max = 0, uc = 0;
                  for (DayTotals.Row r : t.rows()) {
                    servers += r.activeServers();
                    auc += r.activeUsers();
                    max += r.maxActiveUsers();
                    uc += r.registeredUsers();
                  }
                  return t.logEpochDay() + " " + servers + " " + auc + " " + max + " " + uc;
                }))
            .setCoder(StringUtf8Coder.of());
    long day = DAY.getMillis() / 86_400_000L;
    // the last snapshot of the day: A (latest auc 7, max 7) + B (latest 3, max 3), each once
    PAssert.that(sums).inOnTimePane(WINDOW).containsInAnyOrder(day + " 2 8 8 104");
    PAssert.that(sums).inFinalPane(WINDOW).containsInAnyOrder(day + " 2 10 10 104");
    p.run().waitUntilFinish();
  }

  static final class DescribeWindowFn extends DoFn<SecurityPing, String> {
    @ProcessElement
    public void process(@Element SecurityPing ping, BoundedWindow w, OutputReceiver<String> out) {
      IntervalWindow iw = (IntervalWindow) w;
      out.output(ping.activeUsers() + " " + iw.start() + " " + iw.end());
    }
  }

  @Test
  void pingsAreAssignedToTheirUtcDay(TestPipeline p) {
    TestStream<SecurityPing> s =
        TestStream.create(SecurityPingCoder.of())
            .addElements(
                at(ping(A, "2026-11-20T00:00:00Z", 1L, 1L)),
                at(ping(A, "2026-11-20T23:59:59.999Z", 2L, 1L)),
                at(ping(B, "2026-11-21T00:00:00Z", 3L, 1L)))
            .advanceWatermarkToInfinity();
    PCollection<String> windows =
        p.apply(s)
            .apply(WindowIntoFixed.<SecurityPing>of(Duration.standardDays(1), LATENESS, EARLY))
            .apply(ParDo.of(new DescribeWindowFn()));
    PAssert.that(windows)
        .containsInAnyOrder(
            "1 2026-11-20T00:00:00.000Z 2026-11-21T00:00:00.000Z",
            "2 2026-11-20T00:00:00.000Z 2026-11-21T00:00:00.000Z",
            "3 2026-11-21T00:00:00.000Z 2026-11-22T00:00:00.000Z");
    p.run().waitUntilFinish();
  }
}

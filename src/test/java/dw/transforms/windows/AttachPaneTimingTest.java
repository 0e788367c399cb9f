package dw.transforms.windows;

import dw.testing.TestPipelineExtension;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Pane timing written with every windowed result (DirectRunner, TestStream): early, on-time, late
 * and the closing (final) pane of a day; early panes of a day the watermark is still catching up
 * on are not passed on.
 */
@ExtendWith(TestPipelineExtension.class)
class AttachPaneTimingTest {
  static final Duration DAY = Duration.standardDays(1);
  static final Duration LATENESS = Duration.standardHours(25);
  static final Duration EARLY = Duration.standardMinutes(1);
  static final Duration DELAY = Duration.standardMinutes(75);
  static final Instant START = Instant.parse("2026-11-20T00:00:00Z");
  static final IntervalWindow WINDOW = new IntervalWindow(START, DAY);

  static TimestampedValue<String> at(String v, String iso) {
    return TimestampedValue.of(v, Instant.parse(iso));
  }

  static PCollection<String> timedCounts(PCollection<String> in, NowMillis clock) {
    return in.apply(WindowIntoFixed.<String>of(DAY, LATENESS, EARLY))
        .apply(Count.perElement())
        .apply(AttachPaneTiming.<KV<String, Long>>ofPanes(clock, DELAY))
        .apply(
            MapElements.into(TypeDescriptors.strings())
                .via(t -> t.value().getKey() + "=" + t.value().getValue() + " " + t.timing() + (t.isFinal() ? " final" : "")));
  }

  @Test
  void everyPaneSaysWhenItWasComputedAndTheClosingPaneIsFinal(TestPipeline p) {
    TestStream<String> s =
        TestStream.create(StringUtf8Coder.of())
            .advanceWatermarkTo(START.plus(Duration.standardHours(8)))
            .addElements(at("a", "2026-11-20T08:00:00Z"))
            .advanceProcessingTime(Duration.standardMinutes(2))
            .addElements(at("a", "2026-11-20T09:00:00Z"))
            .advanceWatermarkTo(WINDOW.end().plus(Duration.standardHours(2)))
            .addElements(at("a", "2026-11-20T23:00:00Z"))
            .advanceProcessingTime(Duration.standardMinutes(2))
            .advanceWatermarkTo(WINDOW.end().plus(LATENESS).plus(Duration.standardHours(1)))
            .advanceWatermarkToInfinity();
    // the clock stands at the day's morning: no early pane is stale
    NowMillis morning = () -> Instant.parse("2026-11-20T09:00:00Z").getMillis();
    PAssert.that(timedCounts(p.apply(s), morning))
        .containsInAnyOrder("a=1 EARLY", "a=2 ON_TIME", "a=3 LATE", "a=3 LATE final");
    p.run().waitUntilFinish();
  }

  @Test
  void earlyPanesOfADayTheWatermarkIsCatchingUpOnAreNotWritten(TestPipeline p) {
    TestStream<String> s =
        TestStream.create(StringUtf8Coder.of())
            .addElements(at("a", "2026-11-20T08:00:00Z"))
            .advanceProcessingTime(Duration.standardMinutes(2))
            .addElements(at("a", "2026-11-20T09:00:00Z"))
            .advanceWatermarkTo(WINDOW.end().plus(Duration.standardHours(2)))
            .advanceWatermarkToInfinity();
    // a stream started the next day: 2026-11-20 ended more than the watermark delay ago
    NowMillis nextDay = () -> Instant.parse("2026-11-21T12:00:00Z").getMillis();
    PAssert.that(timedCounts(p.apply(s), nextDay)).containsInAnyOrder("a=2 ON_TIME", "a=2 LATE final");
    p.run().waitUntilFinish();
  }

  @Test
  void aBackfillIsOnTimeAndFinalOnlyOnceTheLatenessHasExpired(TestPipeline p) {
    long now = Instant.parse("2026-11-22T01:30:00Z").getMillis(); // watermark would be 00:15
    PCollection<String> out =
        p.apply(org.apache.beam.sdk.transforms.Create.of(19, 20, 21))
            .apply(
                AttachPaneTiming.<Integer>ofBackfill(
                    () -> now, DELAY, LATENESS, d -> (d + 1) * 86_400_000L + START.getMillis() - 20 * 86_400_000L))
            .apply(MapElements.into(TypeDescriptors.strings()).via(t -> t.value() + " " + t.timing() + " " + t.isFinal()));
    // day 19 ended 2026-11-20T00:00 (+25 h = 2026-11-21T01:00 <= 00:15 of the 22nd): final;
    // day 20 ends 2026-11-21T00:00 (+25 h = 2026-11-22T01:00 > 00:15): not yet
    PAssert.that(out).containsInAnyOrder("19 ON_TIME true", "20 ON_TIME false", "21 ON_TIME false");
    p.run().waitUntilFinish();
  }
}

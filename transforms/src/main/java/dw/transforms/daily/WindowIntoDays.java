package dw.transforms.daily;

import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.windowing.AfterProcessingTime;
import org.apache.beam.sdk.transforms.windowing.AfterWatermark;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.Trigger;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;

/**
 * Daily (UTC) event-time windows: the result of a day is written early while the day runs (after
 * {@code earlyFiring} of processing time from the first new element), once when the watermark
 * passes the end of the day, and again for late data up to {@code allowedLateness} after it. Panes
 * accumulate, so each result is complete and replaces the previous one downstream. Data later than
 * the allowed lateness is dropped by Beam and counted ({@code droppedDueToLateness}).
 */
public final class WindowIntoDays<T> extends PTransform<PCollection<T>, PCollection<T>> {
  public static final Duration ONE_DAY = Duration.standardDays(1);

  private final Duration allowedLateness;
  private final Duration earlyFiring;
  private final boolean reassign;

  private WindowIntoDays(Duration allowedLateness, Duration earlyFiring, boolean reassign) {
    this.allowedLateness = allowedLateness;
    this.earlyFiring = earlyFiring;
    this.reassign = reassign;
  }

  /** Assigns elements to daily windows by their timestamps. */
  public static <T> WindowIntoDays<T> of(Duration allowedLateness, Duration earlyFiring) {
    return new WindowIntoDays<>(allowedLateness, earlyFiring, true);
  }

  /**
   * Keeps the elements' daily windows and sets the same trigger again (for a second aggregation
   * after a first one, instead of relying on continuation triggers).
   */
  public static <T> WindowIntoDays<T> retrigger(Duration allowedLateness, Duration earlyFiring) {
    return new WindowIntoDays<>(allowedLateness, earlyFiring, false);
  }

  public Trigger trigger() {
    return AfterWatermark.pastEndOfWindow()
        .withEarlyFirings(AfterProcessingTime.pastFirstElementInPane().plusDelayOf(earlyFiring))
        .withLateFirings(AfterProcessingTime.pastFirstElementInPane().plusDelayOf(earlyFiring));
  }

  @Override
  public PCollection<T> expand(PCollection<T> input) {
    Window<T> w = reassign ? Window.into(FixedWindows.of(ONE_DAY)) : Window.configure();
    return input.apply(
        w.triggering(trigger())
            .withAllowedLateness(allowedLateness, Window.ClosingBehavior.FIRE_IF_NON_EMPTY)
            .accumulatingFiredPanes());
  }
}

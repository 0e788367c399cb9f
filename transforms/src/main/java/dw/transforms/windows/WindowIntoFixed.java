package dw.transforms.windows;

import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.windowing.AfterProcessingTime;
import org.apache.beam.sdk.transforms.windowing.AfterWatermark;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.Trigger;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;

/**
 * Fixed event-time windows (a UTC day, an hour, …) with the project's pane model:
 *
 * <ul>
 *   <li>early panes while the window is open, {@code earlyFiring} of processing time after the
 *       first new element of the pane;
 *   <li>the on-time pane when the source's watermark passes the window's end (the source holds its
 *       watermark at "now − the delivery delay", so this is "the data is believed complete");
 *   <li>late panes for files that arrive later, up to {@code allowedLateness} after the end;
 *   <li>a closing pane when the lateness expires ({@link Window.ClosingBehavior#FIRE_ALWAYS}), so
 *       every key of the window is written once more with {@code is_final = true}; its state and
 *       timers are released then.
 * </ul>
 *
 * Panes accumulate: each result is complete and replaces the previous one downstream. Elements
 * later than the lateness never reach the windows: the source dead-letters their files
 * ({@code late_file}) by the same rule.
 */
public final class WindowIntoFixed<T> extends PTransform<PCollection<T>, PCollection<T>> {
  private final Duration size;
  private final Duration allowedLateness;
  private final Duration earlyFiring;
  private final boolean reassign;

  private WindowIntoFixed(Duration size, Duration allowedLateness, Duration earlyFiring, boolean reassign) {
    if (size.getMillis() <= 0 || allowedLateness.getMillis() < 0 || earlyFiring.getMillis() <= 0) {
      throw new IllegalArgumentException(
          "window size and early firing must be positive, lateness not negative: "
              + size + ", " + allowedLateness + ", " + earlyFiring);
    }
    this.size = size;
    this.allowedLateness = allowedLateness;
    this.earlyFiring = earlyFiring;
    this.reassign = reassign;
  }

  /** Assigns elements to fixed windows of {@code size} by their timestamps. */
  public static <T> WindowIntoFixed<T> of(Duration size, Duration allowedLateness, Duration earlyFiring) {
    return new WindowIntoFixed<>(size, allowedLateness, earlyFiring, true);
  }

  /**
   * Keeps the elements' windows and sets the same trigger again, for a second aggregation after a
   * first one (instead of relying on continuation triggers).
   */
  public static <T> WindowIntoFixed<T> retrigger(
      Duration size, Duration allowedLateness, Duration earlyFiring) {
    return new WindowIntoFixed<>(size, allowedLateness, earlyFiring, false);
  }

  public Duration size() {
    return size;
  }

  public Trigger trigger() {
    return AfterWatermark.pastEndOfWindow()
        .withEarlyFirings(AfterProcessingTime.pastFirstElementInPane().plusDelayOf(earlyFiring))
        .withLateFirings(AfterProcessingTime.pastFirstElementInPane().plusDelayOf(earlyFiring));
  }

  @Override
  public PCollection<T> expand(PCollection<T> input) {
    Window<T> w = reassign ? Window.into(FixedWindows.of(size)) : Window.configure();
    return input.apply(
        w.triggering(trigger())
            .withAllowedLateness(allowedLateness, Window.ClosingBehavior.FIRE_ALWAYS)
            .accumulatingFiredPanes());
  }
}

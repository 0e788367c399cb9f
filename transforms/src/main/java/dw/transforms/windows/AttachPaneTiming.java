package dw.transforms.windows;

import dw.transforms.common.CounterNames;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;

/**
 * Wraps each windowed result with its pane timing ({@link Timed}), as Beam's {@code
 * WriteWindowedToBigQuery} examples write {@code timing} with every row.
 *
 * <p>Streaming ({@link #ofPanes}): the timing is the fired pane's; {@code isFinal} is the pane's
 * {@code isLast} (the closing pane when the allowed lateness expires). An <em>early</em> pane of a
 * window whose end is already more than the source's watermark delay behind the clock is not
 * passed on (counter {@code early_panes_skipped}): the watermark is catching up (a first start or
 * a restart reading a backlog) and the window's complete on-time pane follows, so a partial
 * snapshot never replaces a complete one that a backfill wrote.
 *
 * <p>Bounded ({@link #ofBackfill}): every result is on time; it is final when the window's allowed
 * lateness had expired at run time ({@code windowEnd + lateness <= now − watermark delay}), exactly
 * when a stream would have written its closing pane.
 */
public final class AttachPaneTiming<T> extends PTransform<PCollection<T>, PCollection<Timed<T>>> {
  public static final String EARLY_PANES_SKIPPED = "early_panes_skipped";

  private final NowMillis clock;
  private final Duration watermarkDelay;
  private final Duration allowedLateness;
  private final SerializableFunction<T, Long> windowEndMillis;

  private AttachPaneTiming(
      NowMillis clock,
      Duration watermarkDelay,
      Duration allowedLateness,
      SerializableFunction<T, Long> windowEndMillis) {
    this.clock = clock;
    this.watermarkDelay = watermarkDelay;
    this.allowedLateness = allowedLateness;
    this.windowEndMillis = windowEndMillis;
  }

  /** Windowed (streaming) results: the timing of their panes. */
  public static <T> AttachPaneTiming<T> ofPanes(NowMillis clock, Duration watermarkDelay) {
    return new AttachPaneTiming<>(clock, watermarkDelay, null, null);
  }

  /** Bounded results: on time, final when {@code windowEndMillis(value) + lateness <= now − delay}. */
  public static <T> AttachPaneTiming<T> ofBackfill(
      NowMillis clock,
      Duration watermarkDelay,
      Duration allowedLateness,
      SerializableFunction<T, Long> windowEndMillis) {
    return new AttachPaneTiming<>(clock, watermarkDelay, allowedLateness, windowEndMillis);
  }

  @Override
  public PCollection<Timed<T>> expand(PCollection<T> input) {
    Coder<T> coder = input.getCoder();
    return input
        .apply("AttachTiming", ParDo.of(new AttachFn<>(this)))
        .setCoder(Timed.Coder.of(coder));
  }

  static final class AttachFn<T> extends DoFn<T, Timed<T>> {
    private final NowMillis clock;
    private final long delayMillis;
    private final Duration allowedLateness;
    private final SerializableFunction<T, Long> windowEndMillis;
    private final Counter skipped = Metrics.counter(CounterNames.NAMESPACE, EARLY_PANES_SKIPPED);

    AttachFn(AttachPaneTiming<T> spec) {
      this.clock = spec.clock;
      this.delayMillis = spec.watermarkDelay.getMillis();
      this.allowedLateness = spec.allowedLateness;
      this.windowEndMillis = spec.windowEndMillis;
    }

    @ProcessElement
    public void process(
        @Element T value, BoundedWindow window, PaneInfo pane, OutputReceiver<Timed<T>> out) {
      if (windowEndMillis != null) {
        long end = windowEndMillis.apply(value);
        boolean closed = end + allowedLateness.getMillis() <= clock.nowMillis() - delayMillis;
        out.output(new Timed<>(value, PaneTiming.ON_TIME, closed));
        return;
      }
      PaneTiming timing = PaneTiming.of(pane);
      if (timing == PaneTiming.EARLY
          && window.maxTimestamp().getMillis() + 1 + delayMillis <= clock.nowMillis()) {
        skipped.inc();
        return;
      }
      out.output(new Timed<>(value, timing, pane.isLast()));
    }
  }
}

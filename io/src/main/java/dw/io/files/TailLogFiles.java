package dw.io.files;

import dw.transforms.common.CounterNames;
import dw.transforms.common.DeadLetter;
import java.io.IOException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MetadataCoderV2;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Gauge;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Impulse;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.splittabledofn.ManualWatermarkEstimator;
import org.apache.beam.sdk.transforms.splittabledofn.RestrictionTracker;
import org.apache.beam.sdk.transforms.splittabledofn.SplitResult;
import org.apache.beam.sdk.transforms.splittabledofn.WatermarkEstimators;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * The unbounded source: tails a local folder or {@code s3://bucket/prefix} for new log files by
 * listing only the time prefixes that can still receive files ({@link HourTail}): CloudFront hour
 * prefixes, or load-balancer day folders ({@link KeyLayout}), with bounded state ({@link
 * TailState}) checkpointed by the runner, and an event-time watermark that estimates
 * completeness (see {@link HourTail}).
 *
 * <p>A splittable DoFn with its own restriction (the tracked hours and their seen-sets) and a
 * manual watermark estimator: each poll claims the objects it emits, then the end of the poll, and
 * resumes after the poll interval. Outputs: {@link #FILES} (each new object once, timestamped with
 * its unit) and {@link #LATE_FILES} (a dead letter {@code late_file: …} for each object listed after
 * its windows expired, or {@code before_start: …} for one older than the stream's start; those are
 * not read, so nothing is both dead-lettered and counted). The watermark is {@code now − watermark
 * delay} after each complete poll ({@link HourTail}).
 *
 * <p>Counters (namespace {@code dw}): {@code files_listed}, {@code files_late}, {@code
 * files_skipped}, {@code listing_requests}, {@code tail_polls}; gauges {@code tail_tracked_keys},
 * {@code tail_tracked_hours}.
 */
public final class TailLogFiles extends PTransform<PBegin, PCollectionTuple> {
  public static final TupleTag<MatchResult.Metadata> FILES = new TupleTag<>("files") {};
  public static final TupleTag<DeadLetter> LATE_FILES = new TupleTag<>("lateFiles") {};

  private final HourTail tail;
  private final Duration pollInterval;
  private final TailClock clock;
  private final String pipeline;

  private TailLogFiles(HourTail tail, Duration pollInterval, TailClock clock, String pipeline) {
    this.tail = tail;
    this.pollInterval = pollInterval;
    this.clock = clock;
    this.pipeline = pipeline;
  }

  /**
   * @param input local folder or s3://bucket/prefix
   * @param timing window, lateness, watermark delay, scan band and start (see {@link HourTail})
   * @param pipeline the pipeline name written with dead letters
   */
  public static TailLogFiles of(
      String input, KeyLayout layout, HourTail.Timing timing, Duration pollInterval, TailClock clock, String pipeline) {
    return new TailLogFiles(new HourTail(LogStore.forInput(input), layout, timing), pollInterval, clock, pipeline);
  }

  @Override
  public PCollectionTuple expand(PBegin begin) {
    PCollectionTuple out =
        begin
            .apply("Start", Impulse.create())
            .apply(
                "PollHourPrefixes",
                ParDo.of(new TailFn(tail, pollInterval, clock, pipeline))
                    .withOutputTags(FILES, TupleTagList.of(LATE_FILES)));
    out.get(FILES).setCoder(MetadataCoderV2.of());
    out.get(LATE_FILES).setCoder(DeadLetter.Coder.of());
    return out;
  }

  @DoFn.UnboundedPerElement
  static final class TailFn extends DoFn<byte[], MatchResult.Metadata> {
    private final HourTail tail;
    private final Duration pollInterval;
    private final TailClock clock;
    private final String pipeline;
    private final Counter listed = counter("files_listed");
    private final Counter late = counter("files_late");
    private final Counter skipped = counter(CounterNames.FILES_SKIPPED);
    private final Counter requests = counter(ListLogFiles.LISTING_REQUESTS);
    private final Counter polls = counter("tail_polls");
    private final Gauge trackedKeys = Metrics.gauge(CounterNames.NAMESPACE, "tail_tracked_keys");
    private final Gauge trackedHours = Metrics.gauge(CounterNames.NAMESPACE, "tail_tracked_hours");
    private final Gauge watermarkMillis = Metrics.gauge(CounterNames.NAMESPACE, CounterNames.SOURCE_WATERMARK_MILLIS);

    TailFn(HourTail tail, Duration pollInterval, TailClock clock, String pipeline) {
      this.tail = tail;
      this.pollInterval = pollInterval;
      this.clock = clock;
      this.pipeline = pipeline;
    }

    private static Counter counter(String name) {
      return Metrics.counter(CounterNames.NAMESPACE, name);
    }

    @GetInitialRestriction
    public TailState initialRestriction() {
      return new TailState();
    }

    @GetRestrictionCoder
    public Coder<TailState> restrictionCoder() {
      return TailState.Coder.of();
    }

    @NewTracker
    public Tracker newTracker(@Restriction TailState restriction) {
      return new Tracker(restriction);
    }

    @GetInitialWatermarkEstimatorState
    public Instant initialWatermark() {
      return BoundedWindow.TIMESTAMP_MIN_VALUE;
    }

    @NewWatermarkEstimator
    public WatermarkEstimators.Manual newWatermarkEstimator(@WatermarkEstimatorState Instant state) {
      return new WatermarkEstimators.Manual(state);
    }

    @ProcessElement
    public ProcessContinuation process(
        RestrictionTracker<TailState, TailState.TailClaim> tracker,
        ManualWatermarkEstimator<Instant> watermark,
        MultiOutputReceiver out,
        PipelineOptions options)
        throws IOException {
      tail.store().open(options);
      TailState state = tracker.currentRestriction();
      if (state.finished) {
        return ProcessContinuation.stop();
      }
      HourTail.Report r =
          tail.poll(
              state.copy(), // the tracker owns the state; claims are applied there
              clock.pollMillis(),
              tracker::tryClaim,
              (file, hour, verdict) -> {
                Instant ts = new Instant(hour);
                listed.inc();
                if (verdict == HourTail.Verdict.READ) {
                  out.get(FILES).outputWithTimestamp(file, ts);
                  return;
                }
                late.inc();
                out.get(LATE_FILES)
                    .outputWithTimestamp(deadLetter(tail, pipeline, file, hour, verdict), ts);
              });
      polls.inc();
      requests.inc(r.listingRequests());
      skipped.inc(r.skippedFiles());
      if (!r.complete()) {
        return ProcessContinuation.stop(); // checkpointed mid-poll: the residual continues
      }
      watermark.setWatermark(new Instant(r.watermarkHour()));
      watermarkMillis.set(r.watermarkHour()); // source lag = now - this (docs/monitoring.md)
      TailState now = tracker.currentRestriction();
      trackedKeys.set(now.trackedKeys());
      trackedHours.set(now.trackedHours());
      return ProcessContinuation.resume().withResumeDelay(pollInterval);
    }
  }

  /** Names the rule that kept a file out: the window had expired, or it predates the start. */
  static DeadLetter deadLetter(
      HourTail tail, String pipeline, MatchResult.Metadata file, long hour, HourTail.Verdict verdict) {
    String unit = tail.layout().unitName() + " " + tail.layout().stamp(hour);
    String reason =
        verdict == HourTail.Verdict.LATE
            ? "late_file: listed after the windows of its "
                + unit
                + " had expired (window end + allowed lateness "
                + org.joda.time.Duration.millis(tail.timing().latenessMillis()).getStandardHours()
                + " h passed the watermark); not counted, a backfill of that day reads it"
            : "before_start: every event of its "
                + unit
                + " is before the window the stream started with; not counted, a backfill of that"
                + " day reads it";
    return new DeadLetter(pipeline, file.resourceId().toString(), 0, reason, null);
  }

  /**
   * Claims objects and ends of polls into the state; a checkpoint ({@code trySplit(0)}) hands the
   * whole current state to the residual and leaves a finished primary.
   */
  static final class Tracker extends RestrictionTracker<TailState, TailState.TailClaim> {
    private TailState state;
    private boolean stopped;

    Tracker(TailState state) {
      this.state = state;
    }

    @Override
    public boolean tryClaim(TailState.TailClaim claim) {
      if (stopped || state.finished) {
        return false;
      }
      state.apply(claim);
      return true;
    }

    @Override
    public TailState currentRestriction() {
      return state;
    }

    @Override
    public SplitResult<TailState> trySplit(double fractionOfRemainder) {
      if (stopped || state.finished || fractionOfRemainder != 0) {
        return null;
      }
      TailState residual = state.copy();
      state = TailState.finishedPart();
      stopped = true;
      return SplitResult.of(state, residual);
    }

    @Override
    public void checkDone() {
      if (!state.finished && !stopped) {
        throw new IllegalStateException("the tail stopped without a checkpoint: " + state);
      }
    }

    @Override
    public IsBounded isBounded() {
      return IsBounded.UNBOUNDED;
    }
  }
}

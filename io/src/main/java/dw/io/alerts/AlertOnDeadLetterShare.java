package dw.io.alerts;

import java.time.Duration;
import java.util.Locale;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.windowing.AfterProcessingTime;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Repeatedly;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PDone;
import dw.transforms.common.CounterNames;

/**
 * Streaming: counts records and dead letters per processing-time window (a repeating trigger in
 * the global window, so the source's event-time watermark, which trails by the lateness bound,
 * does not delay it) and posts a chat alert ({@link ChatWebhook}) when the dead letters exceed the
 * share given of records + dead letters. Side branch of the graph: it only counts, so it never
 * holds back or fails the pipeline; without a webhook URL on the worker it counts and posts
 * nothing. Input: a list of two collections, the records (e.g. parsed pings) and the dead letters.
 */
public final class AlertOnDeadLetterShare extends PTransform<PCollectionList<Object>, PDone> {
  /** Windows with fewer records + dead letters than this never alert (a few broken lines). */
  public static final long MIN_RECORDS = 100;

  private final String pipeline;
  private final String urlOption;
  private final double share;
  private final org.joda.time.Duration window;
  private final Duration minInterval;

  private AlertOnDeadLetterShare(
      String pipeline, String urlOption, double share, org.joda.time.Duration window, Duration minInterval) {
    this.pipeline = pipeline;
    this.urlOption = urlOption;
    this.share = share;
    this.window = window;
    this.minInterval = minInterval;
  }

  /**
   * @param urlOption the {@code --alertWebhookUrl} value; empty: the worker's environment
   * @param share alert above this share (0 &lt; share &le; 1)
   */
  public static AlertOnDeadLetterShare of(
      String pipeline, String urlOption, double share, int windowMinutes, int minIntervalMinutes) {
    if (!(share > 0 && share <= 1)) {
      throw new IllegalArgumentException("--deadLetterAlertShare=" + share + ": must be in (0, 1], or 0 for off");
    }
    if (windowMinutes < 1 || minIntervalMinutes < 0) {
      throw new IllegalArgumentException(
          "--alertWindowMinutes must be at least 1 and --alertMinIntervalMinutes at least 0");
    }
    return new AlertOnDeadLetterShare(
        pipeline,
        urlOption == null ? "" : urlOption,
        share,
        org.joda.time.Duration.standardMinutes(windowMinutes),
        Duration.ofMinutes(minIntervalMinutes));
  }

  /** The input: records and dead letters of any element types (only counted). */
  @SuppressWarnings("unchecked")
  public static PCollectionList<Object> inputs(PCollection<?> records, PCollection<?> deadLetters) {
    return PCollectionList.of((PCollection<Object>) records).and((PCollection<Object>) deadLetters);
  }

  @Override
  public PDone expand(PCollectionList<Object> input) {
    if (input.size() != 2) {
      throw new IllegalArgumentException("AlertOnDeadLetterShare: expects [records, dead letters]");
    }
    KvCoder<Long, Long> coder = KvCoder.of(VarLongCoder.of(), VarLongCoder.of());
    PCollection<KV<Long, Long>> records =
        input.get(0).apply("CountRecords", ParDo.of(new One<>(true))).setCoder(coder);
    PCollection<KV<Long, Long>> dead =
        input.get(1).apply("CountDeadLetters", ParDo.of(new One<>(false))).setCoder(coder);
    PCollectionList.of(records)
        .and(dead)
        .apply("MergeCounts", Flatten.pCollections())
        .apply(
            "EveryWindow",
            Window.<KV<Long, Long>>into(new GlobalWindows())
                .triggering(
                    Repeatedly.forever(
                        AfterProcessingTime.pastFirstElementInPane().plusDelayOf(window)))
                .withAllowedLateness(org.joda.time.Duration.ZERO)
                .discardingFiredPanes())
        .apply("SumCounts", Combine.globally(new Sum()).withoutDefaults())
        .apply("PostAlert", ParDo.of(new PostFn(pipeline, urlOption, share, window, minInterval)));
    return PDone.in(input.getPipeline());
  }

  /** (1, 0) per record, (0, 1) per dead letter. */
  static final class One<T> extends DoFn<T, KV<Long, Long>> {
    private final boolean record;

    One(boolean record) {
      this.record = record;
    }

    @ProcessElement
    public void process(OutputReceiver<KV<Long, Long>> out) {
      out.output(record ? KV.of(1L, 0L) : KV.of(0L, 1L));
    }
  }

  static final class Sum implements SerializableFunction<Iterable<KV<Long, Long>>, KV<Long, Long>> {
    @Override
    public KV<Long, Long> apply(Iterable<KV<Long, Long>> in) {
      long r = 0;
      long d = 0;
      for (KV<Long, Long> kv : in) {
        r += kv.getKey();
        d += kv.getValue();
      }
      return KV.of(r, d);
    }
  }

  /** The message for a window whose share is too high; null when it is not. */
  static String message(String pipeline, long records, long dead, double share, org.joda.time.Duration window) {
    long total = records + dead;
    if (total < MIN_RECORDS || dead <= share * total) {
      return null;
    }
    return String.format(
        Locale.ROOT,
        ":warning: **%s**: dead-letter share %.1f%% in the last %d min (%d dead letters of %d"
            + " records), above the %.1f%% threshold. Reasons: table dead_letters.",
        pipeline,
        100.0 * dead / total,
        window.getStandardMinutes(),
        dead,
        total,
        100.0 * share);
  }

  static final class PostFn extends DoFn<KV<Long, Long>, Void> {
    private final String pipeline;
    private final String urlOption;
    private final double share;
    private final org.joda.time.Duration window;
    private final Duration minInterval;
    private final Counter raised = Metrics.counter(CounterNames.NAMESPACE, "dead_letter_alerts");
    private transient ChatWebhook webhook;

    PostFn(String pipeline, String urlOption, double share, org.joda.time.Duration window, Duration minInterval) {
      this.pipeline = pipeline;
      this.urlOption = urlOption;
      this.share = share;
      this.window = window;
      this.minInterval = minInterval;
    }

    @Setup
    public void setup() {
      String url = ChatWebhook.resolveUrl(urlOption, System.getenv());
      webhook = url == null ? null : ChatWebhook.shared(url, minInterval);
    }

    @ProcessElement
    public void process(@Element KV<Long, Long> counts) {
      String text = message(pipeline, counts.getKey(), counts.getValue(), share, window);
      if (text == null) {
        return;
      }
      raised.inc();
      if (webhook != null) {
        webhook.post(pipeline + " dead_letter_share", text); // async; outcome only logged
      }
    }
  }
}

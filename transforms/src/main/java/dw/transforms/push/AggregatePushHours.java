package dw.transforms.push;

import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * Push requests in hourly windows → one {@link PushHour} per (hour, deployment, route) and fired
 * pane: a combine per (deployment, route) whose accumulator ({@link PushHourStats}) merges partial
 * aggregates (combiner lifting before the shuffle), stamped with its window's hour.
 */
public final class AggregatePushHours extends PTransform<PCollection<PushRequest>, PCollection<PushHour>> {
  private static final char SEP = '\t';

  /** The combine key of a (deployment, route). */
  static String key(String deployment, PushRoute route) {
    return deployment + SEP + route.code();
  }

  @Override
  public PCollection<PushHour> expand(PCollection<PushRequest> requests) {
    return requests
        .apply("KeyByDeploymentRoute", ParDo.of(new KeyFn()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), PushRequest.Coder.of()))
        .apply("SumPerHour", Combine.perKey(new HourFn()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), PushHourStats.Coder.of()))
        .apply("StampHours", ParDo.of(new StampFn()))
        .setCoder(PushHour.Coder.of());
  }

  /**
   * The backfill's variant: partial aggregates from the reading step ({@link PushHourShards}), in
   * hourly windows, merged per (deployment, route) and stamped with their hour.
   */
  public static PTransform<PCollection<KV<String, PushHourStats>>, PCollection<PushHour>> fromShards() {
    return new PTransform<>() {
      @Override
      public PCollection<PushHour> expand(PCollection<KV<String, PushHourStats>> shards) {
        return shards
            .apply("MergePerHour", Combine.perKey(new MergeFn()))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), PushHourStats.Coder.of()))
            .apply("StampHours", ParDo.of(new StampFn()))
            .setCoder(PushHour.Coder.of());
      }
    };
  }

  static final class KeyFn extends DoFn<PushRequest, KV<String, PushRequest>> {
    @ProcessElement
    public void process(@Element PushRequest r, OutputReceiver<KV<String, PushRequest>> out) {
      out.output(KV.of(key(r.deployment(), r.route()), r));
    }
  }

  /** What both combines share: the stats accumulator, its merge and its coder. */
  abstract static class StatsFn<I> extends Combine.CombineFn<I, PushHourStats, PushHourStats> {
    @Override
    public PushHourStats createAccumulator() {
      return new PushHourStats();
    }

    @Override
    public PushHourStats mergeAccumulators(Iterable<PushHourStats> accs) {
      PushHourStats merged = null;
      for (PushHourStats a : accs) {
        if (merged == null) {
          merged = a; // the first one is reused as the accumulator
        } else {
          merged.merge(a);
        }
      }
      return merged == null ? new PushHourStats() : merged;
    }

    @Override
    public PushHourStats extractOutput(PushHourStats acc) {
      return acc;
    }

    @Override
    public org.apache.beam.sdk.coders.Coder<PushHourStats> getAccumulatorCoder(
        org.apache.beam.sdk.coders.CoderRegistry registry, org.apache.beam.sdk.coders.Coder<I> inputCoder) {
      return PushHourStats.Coder.of();
    }
  }

  /** Merges partial aggregates. */
  static final class MergeFn extends StatsFn<PushHourStats> {
    @Override
    public PushHourStats addInput(PushHourStats acc, PushHourStats partial) {
      acc.merge(partial);
      return acc;
    }
  }

  /** Adds requests. */
  static final class HourFn extends StatsFn<PushRequest> {
    @Override
    public PushHourStats addInput(PushHourStats acc, PushRequest r) {
      acc.add(r);
      return acc;
    }

    @Override
    public org.apache.beam.sdk.coders.Coder<PushHourStats> getDefaultOutputCoder(
        org.apache.beam.sdk.coders.CoderRegistry registry,
        org.apache.beam.sdk.coders.Coder<PushRequest> inputCoder) {
      return PushHourStats.Coder.of();
    }
  }

  static final class StampFn extends DoFn<KV<String, PushHourStats>, PushHour> {
    @ProcessElement
    public void process(
        @Element KV<String, PushHourStats> kv, BoundedWindow window, OutputReceiver<PushHour> out) {
      String key = kv.getKey();
      int sep = key.indexOf(SEP);
      long hour = ((IntervalWindow) window).start().getMillis();
      out.output(
          new PushHour(
              hour, key.substring(0, sep), PushRoute.ofCode(key.substring(sep + 1)), kv.getValue()));
    }
  }

  /** {@code push_proxy_hourly_by_country}'s rows of an hour's aggregate. */
  public static java.util.List<PushCountryHour> countries(PushHour h) {
    java.util.List<PushCountryHour> rows = new java.util.ArrayList<>();
    h.stats()
        .countries()
        .forEach(
            (country, c) ->
                rows.add(new PushCountryHour(h.hourStartMillis(), h.deployment(), h.route(), country, c[0], c[1])));
    return rows;
  }
}

package dw.transforms.push;

import dw.transforms.logs.BundleAggregator;
import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TupleTag;
import org.joda.time.Instant;

/**
 * The backfill's per-bundle aggregation of push requests inside the reading step: one {@link
 * PushHourStats} per (hour, deployment, route) in a hash map, emitted as {@code KV(deployment⇥route,
 * stats)} timestamped with the hour's start (so hourly windows put it in its hour), when the map
 * holds {@value #FLUSH_KEYS} keys and at the end of the bundle. The runner then moves a few
 * partial aggregates per hour instead of one element per request.
 */
public final class PushHourShards implements BundleAggregator<PushRequest, KV<String, PushHourStats>> {
  private static final long serialVersionUID = 1L;
  public static final TupleTag<KV<String, PushHourStats>> TAG = new TupleTag<>("hourShards") {};
  static final int FLUSH_KEYS = 20_000;

  @Override
  public TupleTag<KV<String, PushHourStats>> tag() {
    return TAG;
  }

  @Override
  public Coder<KV<String, PushHourStats>> coder() {
    return KvCoder.of(StringUtf8Coder.of(), PushHourStats.Coder.of());
  }

  @Override
  public Buffer<PushRequest, KV<String, PushHourStats>> newBuffer() {
    return new Buffer<>() {
      private final Map<HourKey, PushHourStats> open = new HashMap<>();

      @Override
      public void add(PushRequest r) {
        long hour = Math.floorDiv(r.eventTimeMillis(), PushHour.HOUR_MS) * PushHour.HOUR_MS;
        open.computeIfAbsent(new HourKey(hour, r.deployment(), r.route()), k -> new PushHourStats()).add(r);
      }

      @Override
      public boolean full() {
        return open.size() >= FLUSH_KEYS;
      }

      @Override
      public void drain(Emitter<KV<String, PushHourStats>> out) {
        for (Map.Entry<HourKey, PushHourStats> e : open.entrySet()) {
          HourKey k = e.getKey();
          out.emit(KV.of(AggregatePushHours.key(k.deployment(), k.route()), e.getValue()), new Instant(k.hour()));
        }
        open.clear();
      }
    };
  }

  private record HourKey(long hour, String deployment, PushRoute route) {}
}

package dw.transforms.pings;

import dw.transforms.daily.ServerDayShard;
import dw.transforms.logs.BundleAggregator;
import dw.transforms.security.SecurityPing;
import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TupleTag;
import org.joda.time.Instant;

/**
 * The backfill's per-bundle aggregation of pings: each ping added to its server-day in a hash map
 * of {@link ServerDayShard}s, emitted when the map holds {@code flushServerDays} server-days and at
 * the end of the bundle, timestamped with the start of the shard's day.
 */
final class ServerDayShards implements BundleAggregator<SecurityPing, KV<Integer, ServerDayShard>> {
  private final TupleTag<KV<Integer, ServerDayShard>> tag;
  private final int flushServerDays;

  ServerDayShards(TupleTag<KV<Integer, ServerDayShard>> tag, int flushServerDays) {
    this.tag = tag;
    this.flushServerDays = flushServerDays;
  }

  @Override
  public TupleTag<KV<Integer, ServerDayShard>> tag() {
    return tag;
  }

  @Override
  public Coder<KV<Integer, ServerDayShard>> coder() {
    return KvCoder.of(VarIntCoder.of(), ServerDayShard.Coder.of());
  }

  @Override
  public Buffer<SecurityPing, KV<Integer, ServerDayShard>> newBuffer() {
    return new Buffer<>() {
      private final Map<Integer, ServerDayShard> open = new HashMap<>();
      private int serverDays;

      @Override
      public void add(SecurityPing p) {
        if (open.computeIfAbsent(
                ServerDayShard.key(p.logEpochDay(), p.serverId()), k -> new ServerDayShard())
            .add(p)) {
          serverDays++;
        }
      }

      @Override
      public boolean full() {
        return serverDays >= flushServerDays;
      }

      @Override
      public void drain(Emitter<KV<Integer, ServerDayShard>> out) {
        for (Map.Entry<Integer, ServerDayShard> e : open.entrySet()) {
          out.emit(
              KV.of(e.getKey(), e.getValue()),
              new Instant(ServerDayShard.epochDayOf(e.getKey()) * 86_400_000L));
        }
        open.clear();
        serverDays = 0;
      }
    };
  }
}

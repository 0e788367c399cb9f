package dw.transforms.daily;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.joda.time.Instant;

/**
 * Bounded graph: merges the partial shards of each (day, shard) key into one shard of complete
 * server-days, once, on the worker that owns the key.
 *
 * <p>A group and one merge, not a combine: with combiner lifting, Flink's batch runner decoded,
 * merged and encoded every partial shard once more on the sending side (a sort-based pre-combine)
 * before the final merge decoded them again; that extra pass cost about a quarter of a backfill's
 * CPU and saved little, since a worker's reading step already merges its own pings per server-day
 * (bench/results, docs/performance.md). A key with a single partial shard is passed on as the bytes
 * it arrived as.
 *
 * <p>The merge also adds up each merged shard's day totals ({@link #DAY_TOTALS}: per day, the sums
 * of the bundle's shards, emitted at the end of the bundle), while its server-days are in hand: a
 * separate totals step would decode every merged shard a second time (about 1.2 s of CPU for a
 * 2.3 M server-day backfill, docs/performance.md). {@link SumShardTotals} adds these up per day.
 */
public final class CombineServerDayShards
    extends PTransform<PCollection<KV<Integer, ServerDayShard>>, PCollectionTuple> {
  /** The merged shards: complete server-days, each in exactly one shard. */
  public static final TupleTag<KV<Integer, ServerDayShard>> SHARDS = new TupleTag<>() {};
  /** Per day, the totals of a bundle's merged shards (partial sums of the day's totals). */
  public static final TupleTag<KV<Integer, DayTotals>> DAY_TOTALS = new TupleTag<>() {};

  @Override
  public PCollectionTuple expand(PCollection<KV<Integer, ServerDayShard>> shards) {
    PCollectionTuple merged =
        shards
            .apply("GroupShards", GroupByKey.create())
            .apply("MergeShards", ParDo.of(new MergeFn()).withOutputTags(SHARDS, TupleTagList.of(DAY_TOTALS)));
    merged.get(SHARDS).setCoder(KvCoder.of(VarIntCoder.of(), ServerDayShard.Coder.of()));
    merged.get(DAY_TOTALS).setCoder(KvCoder.of(VarIntCoder.of(), DayTotals.Coder.of()));
    return merged;
  }

  /**
   * The partial shards of one key merged into one (the largest adopts the others); the inputs
   * other than the one returned are not changed.
   */
  public static ServerDayShard merge(Iterable<ServerDayShard> partials) {
    Iterator<ServerDayShard> it = partials.iterator();
    if (!it.hasNext()) {
      return new ServerDayShard();
    }
    ServerDayShard first = it.next();
    if (!it.hasNext()) {
      return first;
    }
    ServerDayShard merged = first.copy();
    while (it.hasNext()) {
      merged.mergeFrom(it.next());
    }
    return merged;
  }

  static final class MergeFn extends DoFn<KV<Integer, Iterable<ServerDayShard>>, KV<Integer, ServerDayShard>> {
    /** Per day of the bundle's shards, the sums by breakdown ({@link DayTotals#add}). */
    private transient Map<Integer, Map<BreakdownKey, long[]>> days;

    @StartBundle
    public void startBundle() {
      days = new HashMap<>();
    }

    @ProcessElement
    public void process(@Element KV<Integer, Iterable<ServerDayShard>> group, MultiOutputReceiver out) {
      ServerDayShard merged = merge(group.getValue());
      Map<BreakdownKey, long[]> sums =
          days.computeIfAbsent(ServerDayShard.epochDayOf(group.getKey()), k -> new HashMap<>());
      SumShardTotals.addShard(sums, merged);
      out.get(SHARDS).output(KV.of(group.getKey(), merged));
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext c) {
      for (Map.Entry<Integer, Map<BreakdownKey, long[]>> e : days.entrySet()) {
        int day = e.getKey();
        c.output(
            DAY_TOTALS,
            KV.of(day, DayTotals.ofSums(day, e.getValue())),
            new Instant(day * 86_400_000L),
            GlobalWindow.INSTANCE);
      }
      days = null;
    }
  }
}

package dw.transforms.daily;

import java.util.Iterator;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

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
 * <p>One output, so that Flink chains the steps after it (explode, timing, the server-day write and
 * the day totals, {@link SumShardTotals}) into the merge's task: the merged shards reach the writer
 * as objects, never encoded and decoded between tasks (docs/performance.md, "Seventh round").
 */
public final class CombineServerDayShards
    extends PTransform<PCollection<KV<Integer, ServerDayShard>>, PCollection<KV<Integer, ServerDayShard>>> {

  @Override
  public PCollection<KV<Integer, ServerDayShard>> expand(PCollection<KV<Integer, ServerDayShard>> shards) {
    return shards
        .apply("GroupShards", GroupByKey.create())
        .apply("MergeShards", ParDo.of(new MergeFn()))
        .setCoder(KvCoder.of(VarIntCoder.of(), ServerDayShard.Coder.of()));
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
    @ProcessElement
    public void process(
        @Element KV<Integer, Iterable<ServerDayShard>> group,
        OutputReceiver<KV<Integer, ServerDayShard>> out) {
      out.output(KV.of(group.getKey(), merge(group.getValue())));
    }
  }
}

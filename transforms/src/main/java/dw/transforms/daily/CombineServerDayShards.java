package dw.transforms.daily;

import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * Bounded graph: merges the partial shards of each (day, shard) key into one shard of complete
 * server-days. A combine, so each worker first merges its own partial shards (combiner lifting),
 * then one shard per key and worker crosses the shuffle.
 */
public final class CombineServerDayShards
    extends PTransform<
        PCollection<KV<Integer, ServerDayShard>>, PCollection<KV<Integer, ServerDayShard>>> {

  @Override
  public PCollection<KV<Integer, ServerDayShard>> expand(
      PCollection<KV<Integer, ServerDayShard>> shards) {
    return shards
        .apply("MergeShards", Combine.perKey(new MergeShardsFn()))
        .setCoder(KvCoder.of(VarIntCoder.of(), ServerDayShard.Coder.of()));
  }

  /** Merges shards; inputs are never changed (copied when adopted), accumulators are. */
  public static final class MergeShardsFn
      extends Combine.CombineFn<ServerDayShard, ServerDayShard, ServerDayShard> {
    @Override
    public ServerDayShard createAccumulator() {
      return new ServerDayShard();
    }

    @Override
    public ServerDayShard addInput(ServerDayShard acc, ServerDayShard in) {
      return acc.isEmpty() ? in.copy() : acc.mergeFrom(in);
    }

    @Override
    public ServerDayShard mergeAccumulators(Iterable<ServerDayShard> accs) {
      ServerDayShard largest = null;
      for (ServerDayShard a : accs) {
        if (largest == null || a.size() > largest.size()) {
          largest = a;
        }
      }
      if (largest == null) {
        return new ServerDayShard();
      }
      for (ServerDayShard a : accs) {
        if (a != largest) {
          largest.mergeFrom(a);
        }
      }
      return largest;
    }

    @Override
    public ServerDayShard extractOutput(ServerDayShard acc) {
      return acc;
    }

    @Override
    public Coder<ServerDayShard> getAccumulatorCoder(CoderRegistry r, Coder<ServerDayShard> in) {
      return ServerDayShard.Coder.of();
    }

    @Override
    public Coder<ServerDayShard> getDefaultOutputCoder(CoderRegistry r, Coder<ServerDayShard> in) {
      return ServerDayShard.Coder.of();
    }
  }
}

package dw.transforms.daily;

import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * Bounded graph: each day's totals from its merged shards. Each shard holds complete server-days
 * and a server-day is in exactly one shard, so the day's totals are the sum of its shards' totals
 * (added up by the merge, {@link CombineServerDayShards#DAY_TOTALS}), the same numbers the
 * streaming graph's newest-contribution-per-server totals reach.
 */
public final class SumShardTotals
    extends PTransform<PCollection<KV<Integer, DayTotals>>, PCollection<DayTotals>> {

  @Override
  public PCollection<DayTotals> expand(PCollection<KV<Integer, DayTotals>> shardTotals) {
    return shardTotals
        .apply("SumPerDay", Combine.perKey(new SumFn()))
        .setCoder(KvCoder.of(VarIntCoder.of(), DayTotals.Coder.of()))
        .apply("AttachLogDate", ParDo.of(new AttachDayFn()))
        .setCoder(DayTotals.Coder.of());
  }

  static final class AttachDayFn extends DoFn<KV<Integer, DayTotals>, DayTotals> {
    @ProcessElement
    public void process(@Element KV<Integer, DayTotals> kv, OutputReceiver<DayTotals> out) {
      out.output(new DayTotals(kv.getKey(), kv.getValue().rows()));
    }
  }

  /** Adds a shard's server-days to per-breakdown sums ({@link DayTotals#add}). */
  static void addShard(Map<BreakdownKey, long[]> sums, ServerDayShard shard) {
    shard.forEachServerDay(d -> DayTotals.add(sums, TotalsContribution.of(d)));
  }

  /** Adds totals row by row (by breakdown). */
  public static final class SumFn extends Combine.CombineFn<DayTotals, DayTotals, DayTotals> {
    @Override
    public DayTotals createAccumulator() {
      return new DayTotals(-1, List.of());
    }

    @Override
    public DayTotals addInput(DayTotals acc, DayTotals in) {
      return DayTotals.sum(acc, in);
    }

    @Override
    public DayTotals mergeAccumulators(Iterable<DayTotals> accs) {
      DayTotals sum = createAccumulator();
      for (DayTotals a : accs) {
        sum = DayTotals.sum(sum, a);
      }
      return sum;
    }

    @Override
    public DayTotals extractOutput(DayTotals acc) {
      return acc;
    }

    @Override
    public Coder<DayTotals> getAccumulatorCoder(CoderRegistry r, Coder<DayTotals> in) {
      return DayTotals.Coder.of();
    }

    @Override
    public Coder<DayTotals> getDefaultOutputCoder(CoderRegistry r, Coder<DayTotals> in) {
      return DayTotals.Coder.of();
    }
  }
}

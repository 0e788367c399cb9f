package dw.transforms.daily;

import java.util.HashMap;
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
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Instant;

/**
 * Bounded graph: a day's totals from its merged shards. Each shard holds complete server-days and
 * a server-day is in exactly one shard, so the day's totals are the sum of its shards' totals, the
 * same numbers the streaming graph's newest-contribution-per-server totals reach.
 */
public final class SumShardTotals
    extends PTransform<PCollection<KV<Integer, ServerDayShard>>, PCollection<DayTotals>> {

  @Override
  public PCollection<DayTotals> expand(PCollection<KV<Integer, ServerDayShard>> shards) {
    return shards
        .apply("TotalShards", ParDo.of(new TotalShardFn()))
        .setCoder(KvCoder.of(VarIntCoder.of(), DayTotals.Coder.of()))
        .apply("SumPerDay", Combine.perKey(new SumFn()))
        .setCoder(KvCoder.of(VarIntCoder.of(), DayTotals.Coder.of()))
        .apply("AttachLogDate", ParDo.of(new AttachDayFn()))
        .setCoder(DayTotals.Coder.of());
  }

  /**
   * Sums the bundle's shards per day and emits one partial total per day at the end of the bundle
   * (the input is in the global window), so the per-day combine adds a few partials per worker.
   */
  static final class TotalShardFn extends DoFn<KV<Integer, ServerDayShard>, KV<Integer, DayTotals>> {
    private transient Map<Integer, Map<BreakdownKey, long[]>> days;

    @StartBundle
    public void startBundle() {
      days = new HashMap<>();
    }

    @ProcessElement
    public void process(@Element KV<Integer, ServerDayShard> shard) {
      Map<BreakdownKey, long[]> sums =
          days.computeIfAbsent(ServerDayShard.epochDayOf(shard.getKey()), k -> new HashMap<>());
      addShard(sums, shard.getValue());
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext c) {
      for (Map.Entry<Integer, Map<BreakdownKey, long[]>> e : days.entrySet()) {
        int day = e.getKey();
        c.output(
            KV.of(day, DayTotals.ofSums(day, e.getValue())),
            new Instant(day * 86_400_000L),
            GlobalWindow.INSTANCE);
      }
      days = null;
    }
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

package dw.transforms.daily;

import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import dw.transforms.windows.WindowIntoFixed;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import java.util.List;
import org.joda.time.Duration;

/**
 * Per day: the totals by breakdown over the day's server results. Every firing emits the complete
 * snapshot of the day ({@link DayTotals}); a refined server-day replaces its earlier contribution
 * ({@link LatestPerServer}), so early and late panes never double-count.
 *
 * <p>Two stages, so no single worker holds a whole day: the server-days are combined per (day,
 * shard of the server id) on all workers ({@code CombinePerShard}, {@value #SHARDS} shards; a server
 * always falls in the same shard, so its refinements replace each other there), and the day is the
 * sum of the newest totals of each shard ({@code CombinePerDay}: at most {@value #SHARDS} small
 * inputs per firing).
 */
public final class AggregateDailyTotals
    extends PTransform<PCollection<ServerDay>, PCollection<DayTotals>> {
  /**
   * Marks the result of an accumulator that saw nothing. A window whose end and lateness pass in
   * one watermark step fires twice on Beam's Flink runner (the full pane, then an empty closing
   * pane with FIRE_ALWAYS); an empty result must never replace a shard's totals or a whole day.
   * (A day whose servers are all excluded still gives a real, empty snapshot.)
   */
  static final int NOTHING_SEEN = -2;

  /** Shards of a day's servers in the first stage. */
  public static final int SHARDS = 64;

  private final Duration allowedLateness;
  private final Duration earlyFiring;

  public AggregateDailyTotals(Duration allowedLateness, Duration earlyFiring) {
    this.allowedLateness = allowedLateness;
    this.earlyFiring = earlyFiring;
  }

  @Override
  public PCollection<DayTotals> expand(PCollection<ServerDay> days) {
    Duration day = Duration.standardDays(1);
    return days.apply("ToContributions", ParDo.of(new ToContributionFn()))
        .setCoder(KvCoder.of(VarIntCoder.of(), TotalsContribution.Coder.of()))
        .apply(
            "RetriggerDaily",
            WindowIntoFixed.<KV<Integer, TotalsContribution>>retrigger(day, allowedLateness, earlyFiring))
        .apply("CombinePerShard", Combine.perKey(new TotalsFn()))
        .setCoder(KvCoder.of(VarIntCoder.of(), DayTotals.Coder.of()))
        .apply("KeyByDay", ParDo.of(new KeyByDayFn()))
        .setCoder(KvCoder.of(VarIntCoder.of(), ShardTotals.Coder.of()))
        .apply(
            "RetriggerShardTotals",
            WindowIntoFixed.<KV<Integer, ShardTotals>>retrigger(day, allowedLateness, earlyFiring))
        .apply("CombinePerDay", Combine.perKey(new SumShardsFn()))
        .setCoder(KvCoder.of(VarIntCoder.of(), DayTotals.Coder.of()))
        .apply("AttachLogDate", ParDo.of(new AttachDayFn()))
        .setCoder(DayTotals.Coder.of());
  }

  /** The shard of a server: stable across runs and JVMs (String.hashCode is specified). */
  static int shardOf(String serverId) {
    return Math.floorMod(serverId.hashCode() * 0x9E3779B9, SHARDS);
  }

  static final class ToContributionFn extends DoFn<ServerDay, KV<Integer, TotalsContribution>> {
    @ProcessElement
    public void process(@Element ServerDay d, OutputReceiver<KV<Integer, TotalsContribution>> out) {
      out.output(KV.of(shardOf(d.latest().serverId()), TotalsContribution.of(d)));
    }
  }

  static final class KeyByDayFn extends DoFn<KV<Integer, DayTotals>, KV<Integer, ShardTotals>> {
    @ProcessElement
    public void process(
        @Element KV<Integer, DayTotals> kv,
        IntervalWindow window,
        PaneInfo pane,
        OutputReceiver<KV<Integer, ShardTotals>> out) {
      if (kv.getValue().logEpochDay() == NOTHING_SEEN) {
        return; // an empty closing pane (see NOTHING_SEEN): it must not replace the shard's totals
      }
      int epochDay = (int) Math.floorDiv(window.start().getMillis(), 86_400_000L);
      out.output(KV.of(epochDay, new ShardTotals(kv.getKey(), pane.getIndex(), kv.getValue())));
    }
  }

  static final class AttachDayFn extends DoFn<KV<Integer, DayTotals>, DayTotals> {
    @ProcessElement
    public void process(@Element KV<Integer, DayTotals> kv, OutputReceiver<DayTotals> out) {
      if (kv.getValue().logEpochDay() == NOTHING_SEEN) {
        return; // an empty closing pane: it must not replace the day with nothing
      }
      out.output(new DayTotals(kv.getKey(), kv.getValue().rows()));
    }
  }

  /** Newest contribution per server, summed by breakdown on output. */
  public static final class TotalsFn
      extends Combine.CombineFn<TotalsContribution, LatestPerServer, DayTotals> {
    @Override
    public LatestPerServer createAccumulator() {
      return new LatestPerServer();
    }

    @Override
    public LatestPerServer addInput(LatestPerServer acc, TotalsContribution c) {
      return acc.add(c);
    }

    @Override
    public LatestPerServer mergeAccumulators(Iterable<LatestPerServer> accs) {
      LatestPerServer merged = null;
      for (LatestPerServer a : accs) {
        merged = merged == null ? a : merged.merge(a);
      }
      return merged == null ? new LatestPerServer() : merged;
    }

    @Override
    public DayTotals extractOutput(LatestPerServer acc) {
      return acc.contributions().isEmpty()
          ? new DayTotals(NOTHING_SEEN, List.of())
          : DayTotals.of(-1, acc.contributions());
    }

    @Override
    public Coder<LatestPerServer> getAccumulatorCoder(
        CoderRegistry r, Coder<TotalsContribution> in) {
      return LatestPerServer.Coder.of();
    }

    @Override
    public Coder<DayTotals> getDefaultOutputCoder(CoderRegistry r, Coder<TotalsContribution> in) {
      return DayTotals.Coder.of();
    }
  }

  /** Newest totals per shard, summed on output. */
  public static final class SumShardsFn
      extends Combine.CombineFn<ShardTotals, ShardTotals.Latest, DayTotals> {
    @Override
    public ShardTotals.Latest createAccumulator() {
      return new ShardTotals.Latest();
    }

    @Override
    public ShardTotals.Latest addInput(ShardTotals.Latest acc, ShardTotals t) {
      return acc.add(t);
    }

    @Override
    public ShardTotals.Latest mergeAccumulators(Iterable<ShardTotals.Latest> accs) {
      ShardTotals.Latest merged = new ShardTotals.Latest();
      for (ShardTotals.Latest a : accs) {
        merged.merge(a);
      }
      return merged;
    }

    @Override
    public DayTotals extractOutput(ShardTotals.Latest acc) {
      return acc.shards() == 0 ? new DayTotals(NOTHING_SEEN, List.of()) : acc.sum(-1);
    }

    @Override
    public Coder<ShardTotals.Latest> getAccumulatorCoder(CoderRegistry r, Coder<ShardTotals> in) {
      return ShardTotals.LatestCoder.of();
    }

    @Override
    public Coder<DayTotals> getDefaultOutputCoder(CoderRegistry r, Coder<ShardTotals> in) {
      return DayTotals.Coder.of();
    }
  }
}

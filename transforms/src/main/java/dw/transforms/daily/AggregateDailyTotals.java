package dw.transforms.daily;

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
import org.joda.time.Duration;

/**
 * Per day: the totals by breakdown over the day's server results. Every firing emits the complete
 * snapshot of the day ({@link DayTotals}); a refined server-day replaces its earlier contribution
 * ({@link LatestPerServer}), so early and late panes never double-count.
 */
public final class AggregateDailyTotals
    extends PTransform<PCollection<ServerDay>, PCollection<DayTotals>> {
  private final Duration allowedLateness;
  private final Duration earlyFiring;

  public AggregateDailyTotals(Duration allowedLateness, Duration earlyFiring) {
    this.allowedLateness = allowedLateness;
    this.earlyFiring = earlyFiring;
  }

  @Override
  public PCollection<DayTotals> expand(PCollection<ServerDay> days) {
    return days.apply("ToContributions", ParDo.of(new ToContributionFn()))
        .setCoder(KvCoder.of(VarIntCoder.of(), TotalsContribution.Coder.of()))
        .apply(
            "RetriggerDaily",
            WindowIntoDays.<KV<Integer, TotalsContribution>>retrigger(allowedLateness, earlyFiring))
        .apply("CombinePerDay", Combine.perKey(new TotalsFn()))
        .setCoder(KvCoder.of(VarIntCoder.of(), DayTotals.Coder.of()))
        .apply("AttachLogDate", ParDo.of(new AttachDayFn()))
        .setCoder(DayTotals.Coder.of());
  }

  static final class ToContributionFn extends DoFn<ServerDay, KV<Integer, TotalsContribution>> {
    @ProcessElement
    public void process(@Element ServerDay d, OutputReceiver<KV<Integer, TotalsContribution>> out) {
      out.output(KV.of(d.logEpochDay(), TotalsContribution.of(d)));
    }
  }

  static final class AttachDayFn extends DoFn<KV<Integer, DayTotals>, DayTotals> {
    @ProcessElement
    public void process(@Element KV<Integer, DayTotals> kv, OutputReceiver<DayTotals> out) {
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
      return DayTotals.of(-1, acc.contributions());
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
}

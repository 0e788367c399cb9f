package dw.transforms.daily;

import dw.transforms.windows.Timed;
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
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Instant;

/**
 * Bounded graph: each day's totals from the merged server-days. A server-day is complete and in
 * exactly one merged shard, so the day's totals are the sums of its server-days' contributions,
 * added up per bundle and day where the server-days are written ({@code SumPerBundle}, chained after
 * the write in the merge's task) and then per day: the same numbers the streaming graph's
 * newest-contribution-per-server totals reach.
 */
public final class SumShardTotals
    extends PTransform<PCollection<Timed<ServerDay>>, PCollection<DayTotals>> {

  @Override
  public PCollection<DayTotals> expand(PCollection<Timed<ServerDay>> serverDays) {
    return serverDays
        .apply("SumPerBundle", ParDo.of(new SumPerBundleFn()))
        .setCoder(KvCoder.of(VarIntCoder.of(), DayTotals.Coder.of()))
        .apply("SumPerDay", Combine.perKey(new SumFn()))
        .setCoder(KvCoder.of(VarIntCoder.of(), DayTotals.Coder.of()))
        .apply("AttachLogDate", ParDo.of(new AttachDayFn()))
        .setCoder(DayTotals.Coder.of());
  }

  /** Per day of a bundle's server-days, the sums by breakdown, emitted at the end of the bundle. */
  static final class SumPerBundleFn extends DoFn<Timed<ServerDay>, KV<Integer, DayTotals>> {
    private transient Map<Integer, Map<BreakdownKey, long[]>> days;
    /** The sums of the previous element's day (a merged shard's server-days share their day). */
    private transient Map<BreakdownKey, long[]> lastSums;
    private transient int lastDay;

    @StartBundle
    public void startBundle() {
      days = new HashMap<>();
      lastSums = null;
    }

    @ProcessElement
    public void process(@Element Timed<ServerDay> d) {
      ServerDay day = d.value();
      int epochDay = day.logEpochDay();
      if (lastSums == null || epochDay != lastDay) {
        lastSums = days.computeIfAbsent(epochDay, k -> new HashMap<>());
        lastDay = epochDay;
      }
      DayTotals.add(lastSums, TotalsContribution.of(day));
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
      lastSums = null;
    }
  }

  static final class AttachDayFn extends DoFn<KV<Integer, DayTotals>, DayTotals> {
    @ProcessElement
    public void process(@Element KV<Integer, DayTotals> kv, OutputReceiver<DayTotals> out) {
      out.output(new DayTotals(kv.getKey(), kv.getValue().rows()));
    }
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

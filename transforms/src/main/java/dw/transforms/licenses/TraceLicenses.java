package dw.transforms.licenses;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.Distinct;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Every license through every snapshot read ({@link LicenseHistory}): {@link #STATES} one {@link
 * LicenseState} per license id, {@link #CHANGES} its changes on the snapshot dates {@code
 * [changesFrom, changesTo]}, keyed by snapshot date. The list of snapshot dates (those with at least
 * one valid row) is a side input. Bounded input, global window.
 */
public final class TraceLicenses extends PTransform<PCollection<LicenseRow>, PCollectionTuple> {
  public static final TupleTag<LicenseState> STATES = new TupleTag<>("licenses") {};
  public static final TupleTag<KV<Integer, LicenseChange>> CHANGES = new TupleTag<>("changes") {};

  private final int changesFrom;
  private final int changesTo;

  public TraceLicenses(int changesFrom, int changesTo) {
    this.changesFrom = changesFrom;
    this.changesTo = changesTo;
  }

  @Override
  public PCollectionTuple expand(PCollection<LicenseRow> rows) {
    PCollectionView<List<Integer>> days =
        rows.apply("ListSnapshotDates", MapElements.into(TypeDescriptors.integers()).via(LicenseRow::snapshotEpochDay))
            .setCoder(VarIntCoder.of())
            .apply("DistinctSnapshotDates", Distinct.create())
            .apply("ViewSnapshotDates", View.asList());
    PCollectionTuple out =
        rows.apply(
                "KeyByLicenseId",
                MapElements.into(TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptor.of(LicenseRow.class)))
                    .via((LicenseRow r) -> KV.of(r.licenseId(), r)))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), LicenseRow.Coder.of()))
            .apply("GroupByLicenseId", GroupByKey.create())
            .apply(
                "TraceHistory",
                ParDo.of(new TraceFn(days, changesFrom, changesTo))
                    .withSideInputs(days)
                    .withOutputTags(STATES, TupleTagList.of(CHANGES)));
    out.get(STATES).setCoder(LicenseState.Coder.of());
    out.get(CHANGES).setCoder(KvCoder.of(VarIntCoder.of(), LicenseChange.Coder.of()));
    return out;
  }

  static final class TraceFn extends DoFn<KV<String, Iterable<LicenseRow>>, LicenseState> {
    private final PCollectionView<List<Integer>> daysView;
    private final int from;
    private final int to;

    TraceFn(PCollectionView<List<Integer>> daysView, int from, int to) {
      this.daysView = daysView;
      this.from = from;
      this.to = to;
    }

    @ProcessElement
    public void process(ProcessContext c) {
      List<Integer> days = new ArrayList<>(c.sideInput(daysView));
      days.sort(null);
      LicenseHistory.Result r = LicenseHistory.of(days, c.element().getValue(), from, to);
      c.output(r.state());
      for (LicenseChange ch : r.changes()) {
        c.output(CHANGES, KV.of(ch.snapshotEpochDay(), ch));
      }
    }
  }
}

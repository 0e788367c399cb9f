package dw.transforms.common;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.BooleanCoder;
import org.apache.beam.sdk.transforms.Impulse;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.transforms.join.CoGroupByKey;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Bounded input: gathers values keyed by a day (epoch day, or any int scope) into one complete
 * list per day, and gives every day of {@code [fromDay, toDay]} an element, an empty list when no
 * value has it. A snapshot table written from this output (REPLACE_SCOPE) therefore also clears a
 * day that has become empty on a re-run. Values of days outside the range are dropped (callers
 * filter them before, and count them there). Lists are sorted with {@code order} so an element
 * never depends on the order the runner delivered its values in.
 */
public final class GroupIntoDays<V> extends PTransform<PCollection<KV<Integer, V>>, PCollection<KV<Integer, List<V>>>> {
  private final int fromDay;
  private final int toDay;
  private final SerializableComparator<V> order;

  /** A comparator Beam can ship to the workers. */
  public interface SerializableComparator<V> extends java.util.Comparator<V>, java.io.Serializable {}

  private GroupIntoDays(int fromDay, int toDay, SerializableComparator<V> order) {
    this.fromDay = fromDay;
    this.toDay = toDay;
    this.order = order;
  }

  public static <V> GroupIntoDays<V> of(int fromDay, int toDay, SerializableComparator<V> order) {
    if (toDay < fromDay || (long) toDay - fromDay > 100_000) {
      throw new IllegalArgumentException("day range " + fromDay + ".." + toDay + " is not a backfill range");
    }
    return new GroupIntoDays<>(fromDay, toDay, order);
  }

  @Override
  public PCollection<KV<Integer, List<V>>> expand(PCollection<KV<Integer, V>> values) {
    @SuppressWarnings("unchecked")
    Coder<V> valueCoder = ((KvCoder<Integer, V>) values.getCoder()).getValueCoder();
    PCollection<KV<Integer, Boolean>> range =
        values
            .getPipeline()
            .apply("Start", Impulse.create())
            .apply("ListDays", ParDo.of(new DaysFn(fromDay, toDay)))
            .setCoder(KvCoder.of(VarIntCoder.of(), BooleanCoder.of()));
    TupleTag<V> valuesTag = new TupleTag<>("values");
    TupleTag<Boolean> dayTag = new TupleTag<>("days");
    return KeyedPCollectionTuple.of(valuesTag, values)
        .and(dayTag, range)
        .apply("JoinDays", CoGroupByKey.create())
        .apply("CollectDays", ParDo.of(new CollectFn<>(valuesTag, dayTag, order)))
        .setCoder(KvCoder.of(VarIntCoder.of(), ListCoder.of(valueCoder)));
  }

  /** Every day of the range, once (no Create: its source would travel Java-serialized). */
  static final class DaysFn extends DoFn<byte[], KV<Integer, Boolean>> {
    private final int from;
    private final int to;

    DaysFn(int from, int to) {
      this.from = from;
      this.to = to;
    }

    @ProcessElement
    public void process(OutputReceiver<KV<Integer, Boolean>> out) {
      for (int d = from; d <= to; d++) {
        out.output(KV.of(d, true));
      }
    }
  }

  static final class CollectFn<V> extends DoFn<KV<Integer, CoGbkResult>, KV<Integer, List<V>>> {
    private final TupleTag<V> valuesTag;
    private final TupleTag<Boolean> dayTag;
    private final SerializableComparator<V> order;

    CollectFn(TupleTag<V> valuesTag, TupleTag<Boolean> dayTag, SerializableComparator<V> order) {
      this.valuesTag = valuesTag;
      this.dayTag = dayTag;
      this.order = order;
    }

    @ProcessElement
    public void process(@Element KV<Integer, CoGbkResult> e, OutputReceiver<KV<Integer, List<V>>> out) {
      if (!e.getValue().getAll(dayTag).iterator().hasNext()) {
        return; // a day outside the range
      }
      List<V> list = new ArrayList<>();
      for (V v : e.getValue().getAll(valuesTag)) {
        list.add(v);
      }
      list.sort(order);
      out.output(KV.of(e.getKey(), list));
    }
  }
}

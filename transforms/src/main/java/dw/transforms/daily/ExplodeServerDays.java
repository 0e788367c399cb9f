package dw.transforms.daily;

import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/** Bounded graph: the server-days of merged shards, one element each (for the row writer). */
public final class ExplodeServerDays
    extends PTransform<PCollection<KV<Integer, ServerDayShard>>, PCollection<ServerDay>> {

  @Override
  public PCollection<ServerDay> expand(PCollection<KV<Integer, ServerDayShard>> shards) {
    return shards.apply("EmitServerDays", ParDo.of(new EmitFn())).setCoder(ServerDayCoder.of());
  }

  static final class EmitFn extends DoFn<KV<Integer, ServerDayShard>, ServerDay> {
    @ProcessElement
    public void process(
        @Element KV<Integer, ServerDayShard> shard, OutputReceiver<ServerDay> out) {
      shard.getValue().forEachServerDay(out::output);
    }
  }
}

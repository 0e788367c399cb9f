package dw.transforms.daily;

import dw.transforms.pings.SecurityPingCoder;
import dw.transforms.security.SecurityPing;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * Per (day window, server): one {@link ServerDay} from the server's pings of the day. A combine,
 * so the runner pre-aggregates before the shuffle (combiner lifting).
 */
public final class AggregateServerDays
    extends PTransform<PCollection<SecurityPing>, PCollection<ServerDay>> {

  @Override
  public PCollection<ServerDay> expand(PCollection<SecurityPing> pings) {
    return pings
        .apply("KeyByServer", ParDo.of(new KeyByServerFn()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), SecurityPingCoder.of()))
        .apply("CombinePerServer", Combine.perKey(new ServerDayFn()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), ServerDayCoder.of()))
        .apply("ExtractServerDays", ParDo.of(new ExtractFn()))
        .setCoder(ServerDayCoder.of());
  }

  /**
   * The server-days, without the empty result a window's closing pane can carry when its end and
   * its lateness both passed in one watermark step (the full result was emitted just before).
   */
  static final class ExtractFn extends DoFn<KV<String, ServerDay>, ServerDay> {
    @ProcessElement
    public void process(@Element KV<String, ServerDay> kv, OutputReceiver<ServerDay> out) {
      if (kv.getValue().pings() > 0) {
        out.output(kv.getValue());
      }
    }
  }

  static final class KeyByServerFn extends DoFn<SecurityPing, KV<String, SecurityPing>> {
    @ProcessElement
    public void process(@Element SecurityPing p, OutputReceiver<KV<String, SecurityPing>> out) {
      out.output(KV.of(p.serverId(), p));
    }
  }

  /** The combine: add pings to a {@link ServerDay}, merge partial days. */
  public static final class ServerDayFn extends Combine.CombineFn<SecurityPing, ServerDay, ServerDay> {
    @Override
    public ServerDay createAccumulator() {
      return new ServerDay();
    }

    @Override
    public ServerDay addInput(ServerDay acc, SecurityPing p) {
      return acc.add(p);
    }

    @Override
    public ServerDay mergeAccumulators(Iterable<ServerDay> accs) {
      ServerDay merged = null;
      for (ServerDay a : accs) {
        merged = merged == null ? a : merged.merge(a);
      }
      return merged == null ? new ServerDay() : merged;
    }

    @Override
    public ServerDay extractOutput(ServerDay acc) {
      return acc;
    }

    @Override
    public Coder<ServerDay> getAccumulatorCoder(CoderRegistry r, Coder<SecurityPing> in) {
      return ServerDayCoder.of();
    }

    @Override
    public Coder<ServerDay> getDefaultOutputCoder(CoderRegistry r, Coder<SecurityPing> in) {
      return ServerDayCoder.of();
    }
  }
}

package dw.pipelines;

import dw.transforms.push.PushRequestFormat;
import org.apache.beam.sdk.Pipeline;

/** {@code push-proxy}: see {@link PushProxyPipeline}. */
final class PushProxyCommand extends LogPipelineCommand<PushProxyOptions, PushProxyPipeline.Config> {
  @Override
  public String description() {
    return "ALB logs of the push proxies -> hourly push requests per deployment and route"
        + " (--from/--to: backfill; else streaming)";
  }

  @Override
  String name() {
    return PushProxyPipeline.NAME;
  }

  @Override
  Class<PushProxyOptions> optionsType() {
    return PushProxyOptions.class;
  }

  @Override
  String parsedCounter() {
    return PushRequestFormat.PARSED;
  }

  @Override
  PushProxyPipeline.Config validate(PushProxyOptions o) {
    return PushProxyPipeline.validate(o);
  }

  @Override
  void checkResources(PushProxyOptions o, PushProxyPipeline.Config c) {
    PushProxyPipeline.checkResources(o, c);
  }

  @Override
  void build(Pipeline p, PushProxyOptions o, PushProxyPipeline.Config c) {
    PushProxyPipeline.build(p, o, c);
  }

  static Outcome execute(PushProxyOptions o) {
    return new PushProxyCommand().runPipeline(o);
  }
}

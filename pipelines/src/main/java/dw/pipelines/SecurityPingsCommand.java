package dw.pipelines;

import dw.transforms.common.CounterNames;
import org.apache.beam.sdk.Pipeline;

/** {@code security-pings}: see {@link SecurityPingsPipeline}. */
final class SecurityPingsCommand
    extends LogPipelineCommand<SecurityPingsOptions, SecurityPingsPipeline.Config> {
  @Override
  public String description() {
    return "CloudFront security pings -> daily active servers and users (--from/--to: backfill;"
        + " else streaming)";
  }

  @Override
  String name() {
    return SecurityPingsPipeline.NAME;
  }

  @Override
  Class<SecurityPingsOptions> optionsType() {
    return SecurityPingsOptions.class;
  }

  @Override
  String parsedCounter() {
    return CounterNames.PARSED;
  }

  @Override
  SecurityPingsPipeline.Config validate(SecurityPingsOptions o) {
    return SecurityPingsPipeline.validate(o);
  }

  @Override
  void checkResources(SecurityPingsOptions o, SecurityPingsPipeline.Config c) {
    SecurityPingsPipeline.checkResources(o, c);
  }

  @Override
  void build(Pipeline p, SecurityPingsOptions o, SecurityPingsPipeline.Config c) {
    SecurityPingsPipeline.build(p, o, c);
  }

  /** Validates, checks resources, builds and runs (see {@link LogPipelineCommand#runPipeline}). */
  static Outcome execute(SecurityPingsOptions o) {
    return new SecurityPingsCommand().runPipeline(o);
  }
}

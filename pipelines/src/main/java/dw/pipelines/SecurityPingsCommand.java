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

  /** The same as {@link #execute(SecurityPingsOptions)} for an explicit launch (tests). */
  static Outcome execute(SecurityPingsOptions o, Launch launch) {
    return new SecurityPingsCommand().runPipeline(o, launch);
  }

  /** The dashboard job name of {@code security-pings} with these settings. */
  static String jobName(SecurityPingsPipeline.Config c, SecurityPingsOptions o) {
    return new SecurityPingsCommand().jobName(c.log(), o);
  }
}

package dw.pipelines;

import dw.transforms.licenses.LicenseFormat;
import org.apache.beam.sdk.Pipeline;

/** {@code licenses}: see {@link LicensesPipeline}. */
final class LicensesCommand extends LogPipelineCommand<LicensesOptions, LicensesPipeline.Config> {
  @Override
  public String description() {
    return "nightly license CSV exports -> license snapshots, licenses and their changes"
        + " (bounded: --from/--to snapshot dates)";
  }

  @Override
  String name() {
    return LicensesPipeline.NAME;
  }

  @Override
  Class<LicensesOptions> optionsType() {
    return LicensesOptions.class;
  }

  @Override
  String parsedCounter() {
    return LicenseFormat.PARSED_COUNTER;
  }

  @Override
  LicensesPipeline.Config validate(LicensesOptions o) {
    return LicensesPipeline.validate(o);
  }

  @Override
  void checkResources(LicensesOptions o, LicensesPipeline.Config c) {
    LicensesPipeline.checkResources(o, c);
  }

  @Override
  void build(Pipeline p, LicensesOptions o, LicensesPipeline.Config c) {
    LicensesPipeline.build(p, o, c);
  }

  /** Validates, checks resources, builds and runs (see {@link LogPipelineCommand#runPipeline}). */
  static Outcome execute(LicensesOptions o) {
    return new LicensesCommand().runPipeline(o);
  }
}

package dw.pipelines;

import dw.transforms.releases.DeduplicateDownloads;
import dw.transforms.releases.ReleaseLogFormat;
import org.apache.beam.sdk.Pipeline;

/** {@code releases}: see {@link ReleasesPipeline}. */
final class ReleasesCommand extends LogPipelineCommand<ReleasesOptions, ReleasesPipeline.Config> {
  @Override
  public String description() {
    return "download-CDN CloudFront logs -> release downloads per request and per day (bounded:"
        + " --from/--to)";
  }

  @Override
  String name() {
    return ReleasesPipeline.NAME;
  }

  @Override
  Class<ReleasesOptions> optionsType() {
    return ReleasesOptions.class;
  }

  @Override
  String parsedCounter() {
    return ReleaseLogFormat.PARSED_COUNTER;
  }

  @Override
  ReleasesPipeline.Config validate(ReleasesOptions o) {
    return ReleasesPipeline.validate(o);
  }

  @Override
  void checkResources(ReleasesOptions o, ReleasesPipeline.Config c) {
    ReleasesPipeline.checkResources(o, c);
  }

  @Override
  void build(Pipeline p, ReleasesOptions o, ReleasesPipeline.Config c) {
    ReleasesPipeline.build(p, o, c);
  }

  /** The shared flow; the summary also gives the copies dropped by request id. */
  @Override
  Outcome runPipeline(ReleasesOptions o) {
    Outcome outcome = super.runPipeline(o);
    if (outcome.summary() != null) {
      outcome
          .summary()
          .json()
          .put(DeduplicateDownloads.DUPLICATES, outcome.summary().counter(DeduplicateDownloads.DUPLICATES));
    }
    return outcome;
  }

  /** Validates, checks resources, builds and runs (see {@link LogPipelineCommand#runPipeline}). */
  static Outcome execute(ReleasesOptions o) {
    return new ReleasesCommand().runPipeline(o);
  }
}

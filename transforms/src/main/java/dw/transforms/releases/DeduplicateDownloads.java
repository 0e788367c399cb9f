package dw.transforms.releases;

import dw.transforms.common.CounterNames;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * One download per CloudFront {@code x-edge-request-id} (the same request can be logged in two
 * files): the copy with the earliest event time is kept ({@link ReleaseDownload#KEEP_ORDER}), the
 * others are counted in {@value #DUPLICATES} (after the reading step, so not part of its line
 * accounting). Bounded input, global window.
 */
public final class DeduplicateDownloads
    extends PTransform<PCollection<ReleaseDownload>, PCollection<ReleaseDownload>> {
  /** Counter of dropped copies of a request id already seen. */
  public static final String DUPLICATES = "duplicate_request_ids";

  @Override
  public PCollection<ReleaseDownload> expand(PCollection<ReleaseDownload> downloads) {
    return downloads
        .apply(
            "KeyByRequestId",
            MapElements.into(
                    TypeDescriptors.kvs(
                        TypeDescriptors.strings(),
                        org.apache.beam.sdk.values.TypeDescriptor.of(ReleaseDownload.class)))
                .via((ReleaseDownload d) -> KV.of(d.requestId(), d)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), ReleaseDownload.Coder.of()))
        .apply("GroupByRequestId", GroupByKey.create())
        .apply("KeepFirstCopy", ParDo.of(new KeepFirstFn()))
        .setCoder(ReleaseDownload.Coder.of());
  }

  static final class KeepFirstFn extends DoFn<KV<String, Iterable<ReleaseDownload>>, ReleaseDownload> {
    private final Counter duplicates = Metrics.counter(CounterNames.NAMESPACE, DUPLICATES);

    @ProcessElement
    public void process(
        @Element KV<String, Iterable<ReleaseDownload>> e, OutputReceiver<ReleaseDownload> out) {
      ReleaseDownload keep = null;
      long copies = 0;
      for (ReleaseDownload d : e.getValue()) {
        copies++;
        if (keep == null || ReleaseDownload.KEEP_ORDER.compare(d, keep) < 0) {
          keep = d;
        }
      }
      if (copies > 1) {
        duplicates.inc(copies - 1);
      }
      out.output(keep);
    }
  }
}

package dw.transforms.licenses;

import dw.transforms.common.CounterNames;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;

/**
 * One row per license id in a snapshot whose rows are in file order: a license id already seen in
 * the same file was filtered by the reader ({@code duplicate_in_snapshot}); one seen in another file
 * of the same date is dropped here and counted in {@value #DUPLICATES}.
 */
public final class KeepFirstPerLicense extends DoFn<KV<Integer, List<LicenseRow>>, KV<Integer, List<LicenseRow>>> {
  public static final String DUPLICATES = "license_duplicates_across_files";
  private final Counter duplicates = Metrics.counter(CounterNames.NAMESPACE, DUPLICATES);

  @ProcessElement
  public void process(
      @Element KV<Integer, List<LicenseRow>> snapshot, OutputReceiver<KV<Integer, List<LicenseRow>>> out) {
    Set<String> seen = new HashSet<>();
    List<LicenseRow> kept = new ArrayList<>(snapshot.getValue().size());
    for (LicenseRow r : snapshot.getValue()) {
      if (seen.add(r.licenseId())) {
        kept.add(r);
      } else {
        duplicates.inc();
      }
    }
    out.output(KV.of(snapshot.getKey(), kept));
  }
}

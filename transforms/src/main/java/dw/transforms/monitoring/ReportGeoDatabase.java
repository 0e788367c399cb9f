package dw.transforms.monitoring;

import dw.geo.GeoLookup;
import dw.geo.GeoLookups;
import dw.transforms.common.CounterNames;
import org.apache.beam.sdk.metrics.Gauge;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;

/**
 * Sets the gauge {@code geoip_build_epoch_seconds}: the build time of the GeoIP City database the
 * worker's shared lookup ({@link GeoLookups#shared}, the one the parse step uses) has open. Applied
 * to the stream of files: once per file, on the workers that read them, so the value follows the
 * database those workers really use. Emits nothing.
 */
public final class ReportGeoDatabase<T> extends PTransform<PCollection<T>, PDone> {
  private final String cityPath;
  private final String asnPathOrNull;

  private ReportGeoDatabase(String cityPath, String asnPathOrNull) {
    this.cityPath = cityPath;
    this.asnPathOrNull = asnPathOrNull;
  }

  public static <T> ReportGeoDatabase<T> of(String cityPath, String asnPathOrEmpty) {
    return new ReportGeoDatabase<>(
        cityPath, asnPathOrEmpty == null || asnPathOrEmpty.isEmpty() ? null : asnPathOrEmpty);
  }

  @Override
  public PDone expand(PCollection<T> input) {
    input.apply("SetBuildTimeGauge", ParDo.of(new GaugeFn<T>(cityPath, asnPathOrNull)));
    return PDone.in(input.getPipeline());
  }

  static final class GaugeFn<T> extends DoFn<T, Void> {
    private final String cityPath;
    private final String asnPathOrNull;
    private final Gauge buildTime =
        Metrics.gauge(CounterNames.NAMESPACE, CounterNames.GEOIP_BUILD_EPOCH_SECONDS);

    GaugeFn(String cityPath, String asnPathOrNull) {
      this.cityPath = cityPath;
      this.asnPathOrNull = asnPathOrNull;
    }

    @ProcessElement
    public void process() {
      GeoLookup lookup = GeoLookups.shared(cityPath, asnPathOrNull);
      buildTime.set(lookup.buildEpochSeconds());
    }
  }
}

package dw.transforms.monitoring;

import dw.geo.GeoLookup;
import dw.geo.GeoLookups;
import dw.transforms.common.CounterNames;
import dw.transforms.common.GeoDatabases;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Gauge;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;

/**
 * Sets the gauge {@code geoip_build_epoch_seconds}: the build time of the GeoIP City database the
 * worker's shared lookup ({@link GeoLookups#shared}, the one the parse step uses) has open now, so
 * after a refresh it shows the new database. Also counts the worker's database refreshes ({@code
 * geoip_refreshes}) and rejected replacements ({@code geoip_refresh_failures}), each once per JVM.
 * Applied to the stream of files: once per file, on the workers that read them, so the values
 * follow the database those workers really use. Emits nothing.
 */
public final class ReportGeoDatabase<T> extends PTransform<PCollection<T>, PDone> {
  private final String cityPath;
  private final String asnPathOrEmpty;
  private final int refreshHours;

  private ReportGeoDatabase(String cityPath, String asnPathOrEmpty, int refreshHours) {
    this.cityPath = cityPath;
    this.asnPathOrEmpty = asnPathOrEmpty;
    this.refreshHours = refreshHours;
  }

  /** For the databases and the refresh period the parse step was given. */
  public static <T> ReportGeoDatabase<T> of(
      String cityPath, String asnPathOrEmpty, int refreshHours) {
    return new ReportGeoDatabase<>(cityPath, asnPathOrEmpty == null ? "" : asnPathOrEmpty, refreshHours);
  }

  @Override
  public PDone expand(PCollection<T> input) {
    input.apply(
        "SetBuildTimeGauge", ParDo.of(new GaugeFn<T>(cityPath, asnPathOrEmpty, refreshHours)));
    return PDone.in(input.getPipeline());
  }

  static final class GaugeFn<T> extends DoFn<T, Void> {
    private final String cityPath;
    private final String asnPathOrEmpty;
    private final int refreshHours;
    private final Gauge buildTime =
        Metrics.gauge(CounterNames.NAMESPACE, CounterNames.GEOIP_BUILD_EPOCH_SECONDS);
    private final Counter refreshes =
        Metrics.counter(CounterNames.NAMESPACE, CounterNames.GEOIP_REFRESHES);
    private final Counter refreshFailures =
        Metrics.counter(CounterNames.NAMESPACE, CounterNames.GEOIP_REFRESH_FAILURES);

    GaugeFn(String cityPath, String asnPathOrEmpty, int refreshHours) {
      this.cityPath = cityPath;
      this.asnPathOrEmpty = asnPathOrEmpty;
      this.refreshHours = refreshHours;
    }

    @ProcessElement
    public void process() {
      GeoLookup lookup = GeoDatabases.forOptions(cityPath, asnPathOrEmpty, refreshHours);
      buildTime.set(lookup.buildEpochSeconds());
      refreshes.inc(lookup.drainRefreshes());
      refreshFailures.inc(lookup.drainRefreshFailures());
    }
  }
}

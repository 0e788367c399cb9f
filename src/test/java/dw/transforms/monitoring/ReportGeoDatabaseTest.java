package dw.transforms.monitoring;

import static dw.geo.CityTestDatabases.NEW_BUILD;
import static dw.geo.CityTestDatabases.OLD_BUILD;
import static dw.geo.CityTestDatabases.cityDb;
import static dw.geo.CityTestDatabases.replaceByRename;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dw.geo.GeoLookup;
import dw.geo.GeoLookups;
import dw.testing.TestPipelineExtension;
import dw.transforms.common.CounterNames;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.GaugeResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The GeoIP metrics follow the database a worker has open after refreshes. */
@ExtendWith(TestPipelineExtension.class)
class ReportGeoDatabaseTest {
  @TempDir Path dir;

  @AfterEach
  void closeShared() {
    GeoLookups.closeAll();
  }

  @Test
  void gaugeShowsTheSwappedDatabaseAndCountersCountEachRefreshOnce(TestPipeline p)
      throws Exception {
    Path city = dir.resolve("GeoLite2-City.mmdb");
    Files.write(city, cityDb("London", OLD_BUILD));
    GeoLookup geo = GeoLookups.forOptions(city.toString(), "", 0);
    replaceByRename(city, new byte[] {1, 2, 3}); // broken
    assertFalse(GeoLookups.refreshNow(geo));
    replaceByRename(city, cityDb("Paris", NEW_BUILD));
    assertTrue(GeoLookups.refreshNow(geo));

    p.apply(Create.of("file-1", "file-2", "file-3"))
        .apply("ReportGeoDatabase", ReportGeoDatabase.of(city.toString(), "", 0));
    PipelineResult r = p.run();
    r.waitUntilFinish();

    MetricQueryResults q =
        r.metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.inNamespace(CounterNames.NAMESPACE))
                    .build());
    long refreshes = 0;
    long failures = 0;
    for (MetricResult<Long> c : q.getCounters()) {
      if (c.getName().getName().equals(CounterNames.GEOIP_REFRESHES)) {
        refreshes += c.getAttempted();
      } else if (c.getName().getName().equals(CounterNames.GEOIP_REFRESH_FAILURES)) {
        failures += c.getAttempted();
      }
    }
    assertEquals(1, refreshes);
    assertEquals(1, failures);
    long gauge = -1;
    for (MetricResult<GaugeResult> g : q.getGauges()) {
      if (g.getName().getName().equals(CounterNames.GEOIP_BUILD_EPOCH_SECONDS)) {
        gauge = g.getAttempted().getValue();
      }
    }
    assertEquals(NEW_BUILD, gauge);
  }
}

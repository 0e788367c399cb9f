package dw.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dw.io.warehouse.DuckDbStore;
import dw.io.warehouse.WarehouseUrl;
import dw.pipelines.generate.PushProxyGenerator;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * push-proxy backfill on the Flink runner (embedded mini cluster) from generated ALB files into the
 * embedded warehouse: every table equals the generator's ground truth exactly, the line accounting
 * balances, and a re-run leaves every column identical.
 */
class PushProxyFlinkTest {
  @TempDir static Path dir;
  static Path logs;
  static Path mmdb;

  @BeforeAll
  static void generate() throws Exception {
    logs = dir.resolve("alb");
    new PushProxyGenerator(
            new PushProxyGenerator.Config(logs)
                .from(LocalDate.parse("2026-10-01"))
                .to(LocalDate.parse("2026-10-02"))
                .requestsPerHour(80)
                .seed(7))
        .generate();
    mmdb = DemoGeoDatabase.write(dir.resolve("geo.mmdb"));
  }

  @AfterAll
  static void close() {
    DuckDbStore.closeAll();
  }

  static PushProxyCommand.Outcome backfill(Path input, String warehouse) {
    return PushProxyCommand.execute(
        PipelineSupport.parse(
            new String[] {
              "--input=" + input,
              "--from=2026-10-01",
              "--to=2026-10-02",
              "--warehouse=" + warehouse,
              "--geoipCityDatabase=" + mmdb,
              "--deployments=" + PushProxyGenerator.DEPLOYMENTS_OPTION,
              "--parallelism=2"
            },
            PushProxyOptions.class));
  }

  @Test
  void backfillEqualsGroundTruthAndReRunsChangeNothing() throws Exception {
    Path w = dir.resolve("push.duckdb");
    RunSummary s = backfill(logs, w.toString()).summary();
    WarehouseUrl url = WarehouseUrl.parse(w.toString());
    PushProxyTruth.assertEqualsTruth(logs, url, s);
    // a backfill of days whose lateness has long expired writes final, on-time rows
    List<String> panes = GroundTruth.query(url, PushProxyTruth.PANES_SQL);
    assertEquals(1, panes.size(), panes.toString());
    assertTrue(panes.get(0).startsWith("ON_TIME|true|"), panes.toString());
    assertTrue(s.json().get("filtered").get("outside_date_range").asLong() > 0, s.toJsonLine());

    List<String> all = GroundTruth.query(url, "SELECT * FROM push_proxy_hourly");
    List<String> countries = GroundTruth.query(url, "SELECT * FROM push_proxy_hourly_by_country");
    List<String> dead = GroundTruth.query(url, "SELECT * FROM dead_letters");
    backfill(logs, w.toString());
    assertEquals(all, GroundTruth.query(url, "SELECT * FROM push_proxy_hourly"), "re-run");
    assertEquals(countries, GroundTruth.query(url, "SELECT * FROM push_proxy_hourly_by_country"), "re-run");
    assertEquals(dead, GroundTruth.query(url, "SELECT * FROM dead_letters"), "re-run");
  }
}

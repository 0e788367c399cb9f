package dw.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dw.io.warehouse.DuckDbStore;
import dw.io.warehouse.WarehouseUrl;
import dw.testing.FaultyHttpProxy;
import dw.testing.FaultyHttpProxy.Fault;
import dw.testing.S3ProxyServer;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * S3 faults: the backfill reads S3Proxy through {@link FaultyHttpProxy}, which answers a share of
 * the requests with 503 SlowDown or 500, answers some slowly, and resets some connections in the
 * middle of an object's body. The run must retry and end equal to the ground truth (totals, lines,
 * server days). A persistent failure (every GET of one object fails) must fail the run with a
 * message naming the object, and write nothing for the days it read.
 */
class S3FaultsTest {
  @TempDir static Path dir;
  static S3ProxyServer s3;
  static FaultyHttpProxy proxy;
  static Path logs;
  static Path mmdb;

  @BeforeAll
  static void setUp() throws Exception {
    s3 = S3ProxyServer.start(dir.resolve("s3proxy"));
    proxy = FaultyHttpProxy.start(URI.create(s3.endpoint()).getPort());
    logs = dir.resolve("logs");
    GroundTruth.generateTwoDays(logs, 60, 31);
    mmdb = DemoGeoDatabase.write(dir.resolve("geo.mmdb"));
    s3.createBucket("faulty");
    s3.upload(logs, "faulty", "cloudfront/");
  }

  @AfterAll
  static void tearDown() {
    DuckDbStore.closeAll();
    if (proxy != null) {
      proxy.close();
    }
    if (s3 != null) {
      s3.close();
    }
  }

  static SecurityPingsOptions options(Path warehouse) {
    List<String> a = new ArrayList<>();
    for (String o : s3.options()) {
      a.add(o.startsWith("--endpoint=") ? "--endpoint=" + proxy.endpoint() : o);
    }
    a.add("--input=s3://faulty/cloudfront");
    a.add("--from=2026-09-01");
    a.add("--to=2026-09-02");
    a.add("--warehouse=" + warehouse);
    a.add("--geoipCityDatabase=" + mmdb);
    a.add("--parallelism=2");
    return PipelineSupport.parse(a.toArray(new String[0]), SecurityPingsOptions.class);
  }

  @Test
  void aBackfillThroughFaultsEqualsTheGroundTruth() throws Exception {
    proxy.faults(true);
    proxy.failAlways(path -> false);
    Path w = dir.resolve("faults.duckdb");
    RunSummary s = SecurityPingsCommand.execute(options(w)).summary();
    for (Fault f : List.of(Fault.SLOW_DOWN_503, Fault.INTERNAL_500, Fault.SLOW, Fault.RESET_MID_BODY)) {
      assertTrue(proxy.injected(f) > 0, f + " never injected in " + proxy.requests() + " requests");
    }
    JsonNode truth = GroundTruth.summary(logs);
    assertEquals(truth.get("files").asLong(), s.json().get("files").asLong(), s.toJsonLine());
    assertEquals(truth.get("lines_read").asLong(), s.json().get("lines_read").asLong(), s.toJsonLine());
    assertEquals(truth.get("parsed_pings").asLong(), s.json().get("parsed_pings").asLong(), s.toJsonLine());
    assertEquals(truth.get("dead_lettered").asLong(), s.json().get("dead_lettered").asLong(), s.toJsonLine());
    assertTrue(s.balanced(), s.toJsonLine());
    GroundTruth.assertTablesEqualTruth(logs, WarehouseUrl.parse(w.toString()));
  }

  @Test
  void aPersistentFailureFailsTheRunWithTheObjectNamed() throws Exception {
    proxy.faults(false);
    String victim = ".2026-09-01-12.";
    proxy.failAlways(path -> path.contains(victim) && !path.contains("list-type"));
    try {
      Path w = dir.resolve("persistent.duckdb");
      RuntimeException e = assertThrows(RuntimeException.class, () -> SecurityPingsCommand.execute(options(w)));
      String message = Main.messageOf(e);
      assertTrue(message.contains("2026-09-01-12"), message);
      assertTrue(proxy.injected(Fault.PERSISTENT_500) > 0);
      assertEquals(
          List.of(),
          GroundTruth.query(WarehouseUrl.parse(w.toString()), "SELECT * FROM security_daily_totals"),
          "a failed run wrote totals");
    } finally {
      proxy.failAlways(path -> false);
      proxy.faults(true);
    }
  }
}

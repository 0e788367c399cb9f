package dw.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dw.io.warehouse.ResilientPostgres;
import dw.io.warehouse.WarehouseUrl;
import dw.pipelines.generate.SecurityPingGenerator;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Connection loss while security-pings writes PostgreSQL through JdbcIO: a second thread
 * terminates this run's warehouse connections (only those with this test's application_name; the
 * server keeps running) every 500 ms while the backfill runs. The job recovers (reconnect and
 * retry of the failed batch), ends with tables equal to the ground truth, and nothing is
 * duplicated.
 */
class SecurityPingsPostgresResilienceTest {
  static final String BASE_URL = TestPostgres.BASE_URL;
  static final String SCHEMA = "dw_kill_" + Long.toHexString(System.nanoTime());
  static final String APP = "dwkill" + Long.toHexString(System.nanoTime());

  @TempDir static Path dir;
  static Path logs;
  static Path mmdb;
  static String url;
  static String plainUrl;

  @BeforeAll
  static void setUp() throws Exception {
    plainUrl = TestPostgres.createSchema(SCHEMA);
    url = plainUrl + "&ApplicationName=" + APP;
    logs = dir.resolve("logs");
    GroundTruth.generateTwoDays(logs, 3000, 31);
    mmdb = DemoGeoDatabase.write(dir.resolve("geo.mmdb"));
  }

  @AfterAll
  static void dropSchema() throws Exception {
    TestPostgres.dropSchema(SCHEMA);
  }

  @Test
  void killingTheWarehouseConnectionsMidRunRecoversWithExactTotals() throws Exception {
    long reconnectsBefore = ResilientPostgres.reconnects();
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger killed = new AtomicInteger();
    Thread killer =
        new Thread(
            () -> {
              long deadline = System.currentTimeMillis() + 180_000;
              try (Connection c = DriverManager.getConnection(BASE_URL);
                  PreparedStatement ps =
                      c.prepareStatement(
                          "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity"
                              + " WHERE datname = current_database() AND application_name = ?"
                              + " AND pid <> pg_backend_pid()"
                              // the writers' connections: once they have run an upsert
                              + " AND query ILIKE 'INSERT%'")) {
                ps.setString(1, APP);
                // Look every 10 ms until the first kill (on a warm JVM the writers may finish in
                // well under a second), then every 500 ms so that retried batches can complete.
                while (running.get() && System.currentTimeMillis() < deadline) {
                  try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    killed.addAndGet(rs.getInt(1));
                  }
                  Thread.sleep(killed.get() > 0 ? 500 : 10);
                }
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            },
            "connection-killer");
    RunSummary summary;
    try {
      // Tables exist before the killer starts, so start-up itself is not what is tested.
      dw.io.warehouse.WriteToWarehouse.ensureTables(WarehouseUrl.parse(url), dw.io.tables.SecurityTables.all());
      killer.start();
      summary =
          SecurityPingsCommand.execute(
                  PipelineSupport.parse(
                      new String[] {
                        "--input=" + logs,
                        "--from=2026-09-01",
                        "--to=2026-09-02",
                        "--warehouse=" + url,
                        "--geoipCityDatabase=" + mmdb,
                        "--parallelism=2"
                      },
                      SecurityPingsOptions.class))
              .summary();
    } finally {
      running.set(false);
      killer.join();
    }
    assertTrue(summary.balanced(), summary.toJsonLine());
    assertTrue(killed.get() > 0, "the killer terminated no warehouse connection");
    assertTrue(
        ResilientPostgres.reconnects() > reconnectsBefore,
        "connections were killed (" + killed.get() + ") but the writers never reconnected");

    WarehouseUrl w = WarehouseUrl.parse(plainUrl);
    GroundTruth.assertSameRows(
        GroundTruth.csv(logs, SecurityPingGenerator.DAILY_TOTALS_CSV),
        GroundTruth.query(w, GroundTruth.TOTALS_SQL),
        "totals after " + killed.get() + " killed connections");
    GroundTruth.assertSameRows(
        GroundTruth.csv(logs, SecurityPingGenerator.SERVER_DAILY_CSV),
        GroundTruth.query(w, GroundTruth.SERVERS_SQL),
        "server days after " + killed.get() + " killed connections");
    assertEquals(
        GroundTruth.query(w, "SELECT COUNT(*) FROM security_server_daily"),
        GroundTruth.query(w, "SELECT COUNT(*) FROM (SELECT DISTINCT log_date, server_id FROM security_server_daily) d"));
    System.out.println(
        "resilience: killed " + killed.get() + " connections, "
            + (ResilientPostgres.reconnects() - reconnectsBefore) + " reconnects");
  }
}

package dw.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dw.io.files.TailClock;
import dw.io.warehouse.ResilientPostgres;
import dw.io.warehouse.WarehouseUrl;
import dw.pipelines.generate.SecurityPingGenerator;
import dw.testing.FlinkJobs;
import dw.testing.OutageTcpProxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.beam.sdk.PipelineResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The warehouse failing under a streaming security-pings job that writes PostgreSQL through JdbcIO
 * (through a TCP proxy on 127.0.0.1, {@link OutageTcpProxy}), in two phases of one job:
 *
 * <ol>
 *   <li>connections killed: a second thread terminates this run's warehouse connections (only
 *       those with this test's application_name; the server keeps running) every 500 ms while the
 *       first half of the files is written; the writers reconnect and retry the failed batch;
 *   <li>an outage of 60 s: every connection dropped and new ones refused while the second half of
 *       the files arrives; the writers' batches fail, back off (JdbcIO's retry configuration,
 *       {@link ResilientPostgres#retryConfiguration}), reconnect when the server is back, and
 *       carry on in place.
 * </ol>
 *
 * The tables end equal to the ground truth with nothing duplicated.
 */
class SecurityPingsPostgresResilienceTest {
  static final String BASE_URL = TestPostgres.BASE_URL;
  static final String SCHEMA = "dw_kill_" + Long.toHexString(System.nanoTime());
  static final String APP = "dwkill" + Long.toHexString(System.nanoTime());
  static final String CLOCK = "postgres-resilience";
  static final Duration OUTAGE = Duration.ofSeconds(60);

  @TempDir static Path dir;
  static Path logs;
  static Path mmdb;
  static String plainUrl;
  static final Pattern SERVER = Pattern.compile("^jdbc:postgresql://([^:/?]+):(\\d+)/");
  static OutageTcpProxy proxy;
  static String server;

  @BeforeAll
  static void setUp() throws Exception {
    plainUrl = TestPostgres.createSchema(SCHEMA);
    logs = dir.resolve("logs");
    GroundTruth.generateTwoDays(logs, 3000, 31);
    mmdb = DemoGeoDatabase.write(dir.resolve("geo.mmdb"));
    Matcher m = SERVER.matcher(BASE_URL);
    assertTrue(m.find(), "host and port in " + BASE_URL);
    server = m.group(1) + ":" + m.group(2);
    proxy = OutageTcpProxy.start(m.group(1), Integer.parseInt(m.group(2)));
  }

  @AfterAll
  static void tearDown() throws Exception {
    if (proxy != null) {
      proxy.close();
    }
    TestPostgres.dropSchema(SCHEMA);
  }

  @Test
  void killedConnectionsAndAMinuteOfRefusedConnectionsRecoverWithExactTotals() throws Exception {
    String url = plainUrl.replace("//" + server + "/", "//127.0.0.1:" + proxy.port() + "/") + "&ApplicationName=" + APP;
    assertTrue(url.contains(":" + proxy.port() + "/"), "the warehouse URL goes through the proxy: " + url);
    // Tables exist before the faults start, so start-up itself is not what is tested.
    dw.io.warehouse.WriteToWarehouse.ensureTables(WarehouseUrl.parse(url), dw.io.tables.SecurityTables.all());
    Path watched = Files.createDirectories(dir.resolve("watched"));
    List<Path> files = SecurityPingsFlinkTest.logFiles(logs);
    int half = files.size() / 2;
    // both generated days open (2026-09-01 until 2026-09-03T01:00 + the watermark delay)
    TailClock.set(CLOCK, Instant.parse("2026-09-03T00:30:00Z").toEpochMilli());
    PipelineResult job =
        SecurityPingsCommand.execute(
                PipelineSupport.parse(
                    new String[] {
                      "--input=" + watched,
                      "--warehouse=" + url,
                      "--geoipCityDatabase=" + mmdb,
                      "--parallelism=2",
                      "--attachedMode=false",
                      "--pollIntervalSeconds=1",
                      "--earlyFiringSeconds=1",
                      "--checkpointingInterval=2000",
                      "--tailClock=manual:" + CLOCK
                    },
                    SecurityPingsOptions.class))
            .result();
    WarehouseUrl w = WarehouseUrl.parse(plainUrl);
    List<String> totals = GroundTruth.csv(logs, SecurityPingGenerator.DAILY_TOTALS_CSV);
    List<String> servers = GroundTruth.csv(logs, SecurityPingGenerator.SERVER_DAILY_CSV);
    AtomicBoolean killing = new AtomicBoolean(true);
    AtomicInteger killed = new AtomicInteger();
    Thread killer = new Thread(() -> killWriterConnections(killing, killed), "connection-killer");
    try {
      // 1. Connections killed while the first half is written.
      long reconnectsBefore = ResilientPostgres.reconnects();
      killer.start();
      SecurityPingsFlinkTest.moveAll(files.subList(0, half), logs, watched);
      FlinkJobs.waitFor(
          () -> killed.get() > 0 && ResilientPostgres.reconnects() > reconnectsBefore,
          "a killed warehouse connection and a writer's reconnect");
      killing.set(false);
      killer.join();
      long reconnectsAfterKills = ResilientPostgres.reconnects() - reconnectsBefore;

      // 2. The warehouse unreachable for a minute while the second half arrives.
      long retriesBefore = ResilientPostgres.retriedBatches();
      long t0 = System.nanoTime();
      proxy.outage(OUTAGE);
      SecurityPingsFlinkTest.moveAll(files.subList(half, files.size()), logs, watched);
      // the writes really ran into it: batches failed and were retried while it lasted
      FlinkJobs.waitFor(
          () -> ResilientPostgres.retriedBatches() > retriesBefore || !proxy.down(),
          "a failed warehouse batch during the outage");
      assertTrue(proxy.down() && ResilientPostgres.retriedBatches() > retriesBefore,
          "no warehouse write failed during the outage");
      long reconnectsBeforeRecovery = ResilientPostgres.reconnects();
      FlinkJobs.waitFor(
          () -> !proxy.down()
              && GroundTruth.query(w, GroundTruth.TOTALS_SQL).equals(totals)
              && GroundTruth.query(w, GroundTruth.SERVERS_SQL).equals(servers),
          "the warehouse to equal the ground truth after the outage");
      double recoveredAfter = (System.nanoTime() - t0) / 1e9;
      long retriesDuringOutage = ResilientPostgres.retriedBatches() - retriesBefore;
      // the same writers carried on: they reconnected (a restarted job would open new ones)
      assertTrue(ResilientPostgres.reconnects() > reconnectsBeforeRecovery,
          "the writers did not reconnect after the outage");
      GroundTruth.assertSameRows(totals, GroundTruth.query(w, GroundTruth.TOTALS_SQL), "totals after both faults");
      GroundTruth.assertSameRows(servers, GroundTruth.query(w, GroundTruth.SERVERS_SQL), "server days after both faults");
      assertEquals(
          GroundTruth.query(w, "SELECT COUNT(*) FROM security_server_daily"),
          GroundTruth.query(w, "SELECT COUNT(*) FROM (SELECT DISTINCT log_date, server_id FROM security_server_daily) d"),
          "one row per server day");
      assertEquals(
          GroundTruth.query(w, "SELECT COUNT(*) FROM dead_letters"),
          GroundTruth.query(w, "SELECT COUNT(*) FROM (SELECT DISTINCT file, line_number FROM dead_letters) d"),
          "one row per dead letter");
      System.out.printf(
          "resilience: killed %d connections (%d reconnects); outage of %d s: %d batch retries, tables whole %.1f s after it began%n",
          killed.get(), reconnectsAfterKills, OUTAGE.toSeconds(), retriesDuringOutage, recoveredAfter);
    } finally {
      killing.set(false);
      job.cancel();
    }
  }

  /** Terminates this run's writer connections (once they have run an upsert) until told to stop. */
  static void killWriterConnections(AtomicBoolean running, AtomicInteger killed) {
    long deadline = System.currentTimeMillis() + 180_000;
    try (Connection c = DriverManager.getConnection(BASE_URL);
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity"
                    + " WHERE datname = current_database() AND application_name = ?"
                    + " AND pid <> pg_backend_pid()"
                    + " AND query ILIKE 'INSERT%'")) {
      ps.setString(1, APP);
      // every 10 ms until the first kill, then every 500 ms so that retried batches can complete
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
  }
}

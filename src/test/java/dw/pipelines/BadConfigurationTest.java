package dw.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dw.io.tables.SecurityTables;
import dw.io.warehouse.DuckDbStore;
import dw.io.warehouse.WarehouseUrl;
import dw.io.warehouse.WriteToWarehouse;
import dw.testing.S3ProxyServer;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad configuration through the real CLI ({@link Main#run}): a missing, unreadable, broken or
 * wrong-type GeoIP database, invalid dates, an unreachable warehouse, wrong credentials, an unknown
 * option, a bucket that does not exist, Snowflake URLs with bad parts. Each gives one clear message
 * naming the problem (no stack trace), a non-zero exit, and leaves the warehouse's tables exactly
 * as they were (a sentinel row in each table is checked before and after), over logs that would
 * otherwise load.
 */
class BadConfigurationTest {
  @TempDir static Path dir;
  static Path logs;
  static Path warehouse;
  static List<String> before;

  @BeforeAll
  static void setUp() throws Exception {
    logs = dir.resolve("logs");
    GroundTruth.generateTwoDays(logs, 20, 3);
    warehouse = dir.resolve("w.duckdb");
    WarehouseUrl url = WarehouseUrl.parse(warehouse.toString());
    WriteToWarehouse.ensureTables(url, SecurityTables.all());
    try (Connection c = WriteToWarehouse.connect(url);
        Statement st = c.createStatement()) {
      st.execute(
          "INSERT INTO dead_letters (file, line_number, pipeline, reason, raw_line)"
              + " VALUES ('sentinel', 1, 'security-pings', 'sentinel', 'x')");
    }
    before = snapshot(url);
  }

  @AfterAll
  static void close() {
    DuckDbStore.closeAll();
  }

  private record Run(int code, String err) {}

  private static Run run(String... args) {
    CliRun r = CliRun.of(args);
    return new Run(r.code(), r.err());
  }

  /**
   * A backfill of the good logs into the sentinel warehouse (unless {@code extra} names another),
   * with {@code extra} options.
   */
  private static Run backfill(String... extra) {
    List<String> a = new ArrayList<>();
    a.add("security-pings");
    a.add("--input=" + logs);
    a.add("--from=2026-09-01");
    a.add("--to=2026-09-02");
    if (java.util.Arrays.stream(extra).noneMatch(x -> x.startsWith("--warehouse="))) {
      a.add("--warehouse=" + warehouse);
    }
    a.addAll(List.of(extra));
    return run(a.toArray(new String[0]));
  }

  /** Non-zero exit, one message with every expected part, no stack trace, tables untouched. */
  private static void assertRejected(Run r, String... parts) throws Exception {
    assertNotEquals(0, r.code, r.err);
    assertTrue(r.err.startsWith("error: security-pings"), r.err);
    for (String p : parts) {
      assertTrue(r.err.contains(p), "'" + p + "' missing from: " + r.err);
    }
    assertFalse(r.err.contains("\tat "), "a stack trace: " + r.err);
    assertEquals(before, snapshot(WarehouseUrl.parse(warehouse.toString())), "tables changed");
  }

  private static List<String> snapshot(WarehouseUrl url) throws Exception {
    List<String> rows = new ArrayList<>();
    for (String t : List.of("security_server_daily", "security_daily_totals", "dead_letters")) {
      for (String row : GroundTruth.query(url, "SELECT * FROM " + t)) {
        rows.add(t + ":" + row);
      }
    }
    return rows;
  }

  private static Path resource(String name) throws Exception {
    Path p = dir.resolve(name);
    try (InputStream in = BadConfigurationTest.class.getResourceAsStream("/geoip/bad/" + name)) {
      Files.copy(in, p);
    }
    return p;
  }

  @Test
  void aMissingGeoIpDatabaseIsNamed() throws Exception {
    Path missing = dir.resolve("no-such.mmdb");
    assertRejected(backfill("--geoipCityDatabase=" + missing), "--geoipCityDatabase", missing.toString());
  }

  @Test
  void anUnreadableGeoIpDatabaseIsNamed() throws Exception {
    Path folder = Files.createDirectories(dir.resolve("a-folder.mmdb"));
    assertRejected(backfill("--geoipCityDatabase=" + folder), "--geoipCityDatabase", folder.toString());
  }

  @Test
  void brokenGeoIpDatabasesAreNamed() throws Exception {
    for (String name :
        List.of(
            "GeoIP2-City-Test-Broken-Double-Format.mmdb",
            "GeoIP2-City-Test-Invalid-Node-Count.mmdb",
            "libmaxminddb-corrupt-search-tree.mmdb")) {
      Path bad = resource(name);
      assertRejected(backfill("--geoipCityDatabase=" + bad), "--geoipCityDatabase", bad.toString());
    }
  }

  @Test
  void aGeoIpDatabaseOfTheWrongTypeIsNamed() throws Exception {
    Path asn = resource("GeoLite2-ASN-Test.mmdb");
    assertRejected(backfill("--geoipCityDatabase=" + asn), "--geoipCityDatabase", asn.toString(), "ASN");
  }

  @Test
  void invalidDateRangesAreNamed() throws Exception {
    assertRejected(
        run("security-pings", "--input=" + logs, "--from=2026-09-02", "--to=2026-09-01",
            "--warehouse=" + warehouse),
        "--from=2026-09-02 is after --to=2026-09-01");
    assertRejected(
        run("security-pings", "--input=" + logs, "--from=2026-02-30", "--to=2026-03-01",
            "--warehouse=" + warehouse),
        "--from=2026-02-30", "not a date");
  }

  @Test
  void anOptionGivenTwiceIsNamedWithoutItsValues() throws Exception {
    String password = "Tw1ce-Pa55w0rd-4-test";
    Run r = run("security-pings", "--input=" + logs, "--from=2026-09-01", "--to=2026-09-02",
        "--warehouse=" + warehouse, "--warehouse=jdbc:postgresql://h/db?user=u&password=" + password);
    assertRejected(r, "--warehouse", "more than once");
    assertFalse(r.err.contains(password), r.err);
  }

  @Test
  void anUnknownOptionIsNamed() throws Exception {
    assertRejected(backfill("--geoipCityDatabse=/x.mmdb"), "geoipCityDatabse");
  }

  @Test
  void anUnreachableWarehouseIsNamed() throws Exception {
    Run r = backfill("--warehouse=jdbc:postgresql://127.0.0.1:9/test?user=postgres");
    assertRejected(r, "127.0.0.1:9");
  }

  @Test
  void wrongWarehouseCredentialsAreNamedWithoutThePassword() throws Exception {
    String password = "Wr0ng-Pa55w0rd-4-test";
    Run r =
        backfill(
            "--warehouse=" + TestPostgres.BASE_URL.replaceAll("user=[^&]*", "user=dw_no_such_role")
                + "&password=" + password);
    assertRejected(r, "dw_no_such_role");
    assertFalse(r.err.contains(password), r.err);
  }

  @Test
  void aBucketThatDoesNotExistIsNamed() throws Exception {
    try (S3ProxyServer s3 = S3ProxyServer.start(dir.resolve("s3"))) {
      s3.createBucket("logs");
      List<String> a = new ArrayList<>(s3.options());
      a.add("--geoipCityDatabase=");
      Run r = backfillFrom("s3://no-such-bucket/cloudfront", a);
      assertRejected(r, "no-such-bucket");
    }
  }

  private static Run backfillFrom(String input, List<String> extra) {
    List<String> a = new ArrayList<>();
    a.add("security-pings");
    a.add("--input=" + input);
    a.add("--from=2026-09-01");
    a.add("--to=2026-09-02");
    a.add("--warehouse=" + warehouse);
    a.addAll(extra);
    return run(a.toArray(new String[0]));
  }

  @Test
  void snowflakeUrlsWithBadPartsAreNamed() throws Exception {
    for (String url :
        List.of(
            "snowflake://acme/DB",
            "snowflake://acme/DB/RAW/EXTRA",
            "snowflake://acme/DB;DROP/RAW",
            "snowflake:///DB/RAW",
            "snowflake://acme/DB/RA W")) {
      assertRejected(backfill("--warehouse=" + url), "--warehouse=");
    }
  }
}

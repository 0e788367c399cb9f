package dw.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dw.io.warehouse.WarehouseUrl;
import dw.pipelines.generate.LicenseExportGenerator;
import dw.pipelines.generate.ReleaseLogGenerator;
import dw.pipelines.generate.SecurityPingGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code releases} and {@code licenses} into a real PostgreSQL through Beam JdbcIO (one atomic
 * replace statement per day or snapshot date, upserts for licenses): equal to the ground truth, and
 * a second run leaves identical tables. The server is the machine's PostgreSQL on 127.0.0.1:5432
 * ({@link TestPostgres}).
 */
class ReleasesLicensesPostgresTest {
  static final String SCHEMA = "dw_rel_" + Long.toHexString(System.nanoTime());

  @TempDir static Path dir;
  static String url;

  @BeforeAll
  static void setUp() throws Exception {
    url = TestPostgres.createSchema(SCHEMA);
    Files.writeString(dir.resolve("ip.key"), "0123456789abcdef0123456789abcdef");
  }

  @AfterAll
  static void dropSchema() throws Exception {
    TestPostgres.dropSchema(SCHEMA);
  }

  @Test
  void releasesIntoPostgresEqualTruthAndAreIdempotent() throws Exception {
    Path logs = dir.resolve("logs");
    new ReleaseLogGenerator(
            new ReleaseLogGenerator.Config(logs)
                .from(LocalDate.parse("2026-10-01"))
                .to(LocalDate.parse("2026-10-02"))
                .downloadsPerDay(80)
                .seed(9))
        .generate();
    Path truth = logs.resolve(SecurityPingGenerator.TRUTH_DIR);
    Path mmdb = DemoGeoDatabase.write(dir.resolve("geo.mmdb"));
    String[] args = {
      "--input=" + logs, "--from=2026-10-01", "--to=2026-10-02", "--warehouse=" + url,
      "--geoipCityDatabase=" + mmdb, "--storeClientIpInClear", "--ipHashKeyFile=" + dir.resolve("ip.key"),
      "--parallelism=2"
    };
    RunSummary s = ReleasesCommand.execute(PipelineSupport.parse(args, ReleasesOptions.class)).summary();
    ReleasesFlinkTest.assertAccounting(JsonTruth.summary(truth.resolve(ReleaseLogGenerator.SUMMARY_JSON)), s);
    WarehouseUrl w = WarehouseUrl.parse(url);
    ReleasesFlinkTest.assertTablesEqualTruth(truth, w, "postgres");
    List<String> all = GroundTruth.query(w, "SELECT * FROM release_downloads");
    ReleasesCommand.execute(PipelineSupport.parse(args, ReleasesOptions.class));
    assertEquals(all, GroundTruth.query(w, "SELECT * FROM release_downloads"));
    ReleasesFlinkTest.assertTablesEqualTruth(truth, w, "postgres after re-run");
  }

  @Test
  void licensesIntoPostgresEqualTruthAndAreIdempotent() throws Exception {
    Path exports = dir.resolve("exports");
    new LicenseExportGenerator(
            new LicenseExportGenerator.Config(exports)
                .from(LocalDate.parse("2020-01-01"))
                .to(LocalDate.parse("2020-01-05"))
                .licenses(40)
                .seed(4))
        .generate();
    Path truth = exports.resolve(SecurityPingGenerator.TRUTH_DIR);
    String[] args = {
      "--input=" + exports, "--from=2020-01-01", "--to=2020-01-05", "--warehouse=" + url,
      "--storeEmailInClear", "--ipHashKeyFile=" + dir.resolve("ip.key"), "--parallelism=2"
    };
    RunSummary s = LicensesCommand.execute(PipelineSupport.parse(args, LicensesOptions.class)).summary();
    LicensesFlinkTest.assertAccounting(JsonTruth.summary(truth.resolve(LicenseExportGenerator.SUMMARY_JSON)), s);
    assertTrue(s.balanced());
    WarehouseUrl w = WarehouseUrl.parse(url);
    LicensesFlinkTest.assertTablesEqualTruth(truth, w, "postgres");
    List<String> licenses = GroundTruth.query(w, "SELECT * FROM licenses");
    LicensesCommand.execute(PipelineSupport.parse(args, LicensesOptions.class));
    assertEquals(licenses, GroundTruth.query(w, "SELECT * FROM licenses"));
    LicensesFlinkTest.assertTablesEqualTruth(truth, w, "postgres after re-run");
  }
}

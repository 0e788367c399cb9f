package dw.pipelines;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dw.io.snowflake.PostgresSnowflakeEmulator;
import dw.io.warehouse.WarehouseUrl;
import dw.pipelines.generate.LicenseExportGenerator;
import dw.pipelines.generate.ReleaseLogGenerator;
import dw.pipelines.generate.SecurityPingGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code releases} and {@code licenses} with {@code --warehouse=snowflake://…} on the Flink runner,
 * to the network boundary: SnowflakeIO stages gzip CSV files (a local folder stands in for the S3
 * bucket) and {@link PostgresSnowflakeEmulator} runs the COPY INTO / MERGE / snapshot-replace
 * transactions in PostgreSQL. The merged tables equal the ground truth, also after a re-run.
 */
class ReleasesLicensesSnowflakeTest {
  static final String SCHEMA = "dw_sfr_" + Long.toHexString(System.nanoTime());

  @TempDir static Path dir;
  static Path key;
  static String pgUrl;

  @BeforeAll
  static void setUp() throws Exception {
    pgUrl = TestPostgres.createSchema(SCHEMA);
    System.setProperty(PostgresSnowflakeEmulator.URL_PROPERTY, pgUrl);
    key = dir.resolve("rsa_key.p8");
    dw.testing.TestKeys.writeRsaPrivateKey(key);
    Files.writeString(dir.resolve("ip.key"), "0123456789abcdef0123456789abcdef");
  }

  @AfterAll
  static void dropSchema() throws Exception {
    TestPostgres.dropSchema(SCHEMA);
  }

  static String[] args(String input, String from, String to, String... more) {
    List<String> a =
        new ArrayList<>(
            List.of(
                "--input=" + input,
                "--from=" + from,
                "--to=" + to,
                "--warehouse=snowflake://acme-test/ANALYTICS/PUBLIC",
                "--snowflakeUser=LOADER",
                "--snowflakePrivateKeyFile=" + key,
                "--snowflakeWarehouse=LOAD_WH",
                "--snowflakeStagingBucket=" + dir.resolve("stage"),
                "--snowflakeStorageIntegration=DW_S3",
                "--snowflakeSqlExecutor=" + PostgresSnowflakeEmulator.class.getName(),
                "--ipHashKeyFile=" + dir.resolve("ip.key"),
                "--parallelism=2"));
    a.addAll(List.of(more));
    return a.toArray(new String[0]);
  }

  @Test
  void releasesThroughSnowflakeIoEqualTruth() throws Exception {
    Path logs = dir.resolve("logs");
    new ReleaseLogGenerator(
            new ReleaseLogGenerator.Config(logs)
                .from(LocalDate.parse("2026-10-01"))
                .to(LocalDate.parse("2026-10-02"))
                .downloadsPerDay(60)
                .seed(13))
        .generate();
    Path truth = logs.resolve(SecurityPingGenerator.TRUTH_DIR);
    Path mmdb = DemoGeoDatabase.write(dir.resolve("geo.mmdb"));
    String[] a = args(logs.toString(), "2026-10-01", "2026-10-02", "--geoipCityDatabase=" + mmdb, "--storeClientIpInClear");
    RunSummary s = ReleasesCommand.execute(PipelineSupport.parse(a, ReleasesOptions.class)).summary();
    assertTrue(s.balanced(), s.toJsonLine());
    WarehouseUrl w = WarehouseUrl.parse(pgUrl);
    ReleasesFlinkTest.assertTablesEqualTruth(truth, w, "snowflake");
    ReleasesCommand.execute(PipelineSupport.parse(a, ReleasesOptions.class));
    ReleasesFlinkTest.assertTablesEqualTruth(truth, w, "snowflake after re-run");
  }

  @Test
  void licensesThroughSnowflakeIoEqualTruth() throws Exception {
    Path exports = dir.resolve("exports");
    new LicenseExportGenerator(
            new LicenseExportGenerator.Config(exports)
                .from(LocalDate.parse("2020-01-01"))
                .to(LocalDate.parse("2020-01-05"))
                .licenses(30)
                .seed(8))
        .generate();
    Path truth = exports.resolve(SecurityPingGenerator.TRUTH_DIR);
    String[] a = args(exports.toString(), "2020-01-01", "2020-01-05", "--storeEmailInClear");
    RunSummary s = LicensesCommand.execute(PipelineSupport.parse(a, LicensesOptions.class)).summary();
    assertTrue(s.balanced(), s.toJsonLine());
    WarehouseUrl w = WarehouseUrl.parse(pgUrl);
    LicensesFlinkTest.assertTablesEqualTruth(truth, w, "snowflake");
    LicensesCommand.execute(PipelineSupport.parse(a, LicensesOptions.class));
    LicensesFlinkTest.assertTablesEqualTruth(truth, w, "snowflake after re-run");
  }
}

package dw.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dw.io.snowflake.PostgresSnowflakeEmulator;
import dw.io.warehouse.WarehouseUrl;
import dw.pipelines.generate.LicenseExportGenerator;
import dw.pipelines.generate.ReleaseLogGenerator;
import dw.pipelines.generate.SecurityPingGenerator;
import java.nio.charset.StandardCharsets;
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

  /**
   * With the clear-text flags off, the gzip CSV files staged for Snowflake (the rows of every table
   * and the dead letters, as the COPY reads them) hold no client address of the releases input and
   * no e-mail address of the license exports.
   */
  @Test
  void stagedFilesHoldNoClearAddressOrEmail() throws Exception {
    Path logs = dir.resolve("private-logs");
    new ReleaseLogGenerator(
            new ReleaseLogGenerator.Config(logs).from(LocalDate.parse("2026-10-01")).to(LocalDate.parse("2026-10-01"))
                .downloadsPerDay(40).seed(21))
        .generate();
    Path exports = dir.resolve("private-exports");
    new LicenseExportGenerator(
            new LicenseExportGenerator.Config(exports).from(LocalDate.parse("2020-01-01")).to(LocalDate.parse("2020-01-04"))
                .licenses(20).seed(21))
        .generate();
    // a schema of its own: the other tests compare their tables with their truth
    String schema = SCHEMA + "_private";
    System.setProperty(PostgresSnowflakeEmulator.URL_PROPERTY, TestPostgres.createSchema(schema));
    try {
      scanStagedFiles(logs, exports);
    } finally {
      System.setProperty(PostgresSnowflakeEmulator.URL_PROPERTY, pgUrl);
      TestPostgres.dropSchema(schema);
    }
  }

  private void scanStagedFiles(Path logs, Path exports) throws Exception {
    Path stage = dir.resolve("stage-private");
    Path mmdb = DemoGeoDatabase.write(dir.resolve("geo-private.mmdb"));
    String[] r = staged(args(logs.toString(), "2026-10-01", "2026-10-01", "--geoipCityDatabase=" + mmdb), stage);
    assertTrue(ReleasesCommand.execute(PipelineSupport.parse(r, ReleasesOptions.class)).summary().balanced());
    String[] l = staged(args(exports.toString(), "2020-01-01", "2020-01-04"), stage);
    assertTrue(LicensesCommand.execute(PipelineSupport.parse(l, LicensesOptions.class)).summary().balanced());

    java.util.Set<String> ips = ClientIpPrivacyTest.clientIpsOf(logs);
    ClientIpPrivacyTest.AddressScanner scanner = new ClientIpPrivacyTest.AddressScanner(ips);
    java.util.Set<String> emails = PipelinesHostileInputTest.csvEmails(exports);
    assertTrue(ips.size() > 20 && emails.size() > 10, ips.size() + " addresses, " + emails.size() + " e-mails");
    StringBuilder staged = new StringBuilder();
    for (Path f : PipelinesHostileInputTest.files(stage, "")) {
      staged.append(gunzip(f)).append('\n');
    }
    String text = staged.toString();
    assertTrue(text.length() > 10_000, "staged " + text.length() + " characters");
    assertEquals(java.util.Set.of(), scanner.find(text.getBytes(StandardCharsets.UTF_8)), "client addresses in staged files");
    String lower = text.toLowerCase(java.util.Locale.ROOT);
    assertEquals(List.of(), emails.stream().filter(e -> lower.contains(e.toLowerCase(java.util.Locale.ROOT))).toList(),
        "e-mails in staged files");
    // the scans can fail: the same staging with the flags on holds them
    String[] clear = staged(
        args(logs.toString(), "2026-10-01", "2026-10-01", "--geoipCityDatabase=" + mmdb, "--storeClientIpInClear"),
        dir.resolve("stage-clear"));
    ReleasesCommand.execute(PipelineSupport.parse(clear, ReleasesOptions.class));
    StringBuilder clearText = new StringBuilder();
    for (Path f : PipelinesHostileInputTest.files(dir.resolve("stage-clear"), "")) {
      clearText.append(gunzip(f));
    }
    assertFalse(scanner.find(clearText.toString().getBytes(StandardCharsets.UTF_8)).isEmpty(), "the scan finds clear addresses");
  }

  private static String gunzip(Path f) throws java.io.IOException {
    try (java.io.InputStream in = new java.util.zip.GZIPInputStream(Files.newInputStream(f))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** The arguments with another staging folder. */
  private static String[] staged(String[] args, Path stage) {
    return java.util.Arrays.stream(args)
        .map(a -> a.startsWith("--snowflakeStagingBucket=") ? "--snowflakeStagingBucket=" + stage : a)
        .toArray(String[]::new);
  }
}

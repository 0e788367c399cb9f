package dw.pipelines;

import dw.io.warehouse.DuckDbStore;
import dw.io.warehouse.WarehouseUrl;
import dw.pipelines.generate.LicenseExportGenerator;
import dw.pipelines.generate.SecurityPingGenerator;
import dw.testing.S3ProxyServer;
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
 * {@code licenses} from a real S3 server (S3Proxy on 127.0.0.1) on the Flink runner: the snapshot
 * folders are found by a delimiter listing under the prefix, and the tables and the line accounting
 * equal the ground truth exactly.
 */
class S3LicensesFlinkTest {
  @TempDir static Path dir;
  static S3ProxyServer s3;

  @BeforeAll
  static void setUp() throws Exception {
    s3 = S3ProxyServer.start(dir.resolve("s3proxy"));
    Files.writeString(dir.resolve("ip.key"), "0123456789abcdef0123456789abcdef");
  }

  @AfterAll
  static void tearDown() {
    DuckDbStore.closeAll();
    if (s3 != null) {
      s3.close();
    }
  }

  @Test
  void licensesFromS3EqualGroundTruth() throws Exception {
    Path exports = dir.resolve("exports");
    new LicenseExportGenerator(
            new LicenseExportGenerator.Config(exports)
                .from(LocalDate.parse("2020-01-01"))
                .to(LocalDate.parse("2020-01-05"))
                .licenses(30)
                .seed(21))
        .generate();
    Path truth = exports.resolve(SecurityPingGenerator.TRUTH_DIR);
    s3.createBucket("licenses");
    s3.upload(exports, "licenses", "exports/");
    Path w = dir.resolve("s3.duckdb");
    List<String> a = new ArrayList<>(s3.options());
    a.addAll(
        List.of(
            "--input=s3://licenses/exports",
            "--from=2020-01-01",
            "--to=2020-01-05",
            "--warehouse=" + w,
            "--storeEmailInClear",
            "--ipHashKeyFile=" + dir.resolve("ip.key"),
            "--parallelism=2"));
    RunSummary s = LicensesCommand.execute(PipelineSupport.parse(a.toArray(new String[0]), LicensesOptions.class)).summary();
    LicensesFlinkTest.assertAccounting(JsonTruth.summary(truth.resolve(LicenseExportGenerator.SUMMARY_JSON)), s);
    LicensesFlinkTest.assertTablesEqualTruth(truth, WarehouseUrl.parse(w.toString()), "s3");
  }
}

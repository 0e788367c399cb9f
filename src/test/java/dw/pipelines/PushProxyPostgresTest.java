package dw.pipelines;

import dw.io.warehouse.WarehouseUrl;
import dw.pipelines.generate.PushProxyGenerator;
import java.nio.file.Path;
import java.time.LocalDate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** push-proxy backfill on embedded Flink into PostgreSQL (127.0.0.1:5432) equals the generator's truth. */
class PushProxyPostgresTest {
  static final String SCHEMA = "push_proxy_test";
  @TempDir static Path dir;
  static Path logs;
  static Path mmdb;
  static String url;

  @BeforeAll
  static void setUp() throws Exception {
    TestPostgres.dropSchema(SCHEMA);
    url = TestPostgres.createSchema(SCHEMA);
    logs = dir.resolve("alb");
    new PushProxyGenerator(
            new PushProxyGenerator.Config(logs)
                .from(LocalDate.parse("2026-10-01"))
                .to(LocalDate.parse("2026-10-02"))
                .requestsPerHour(60)
                .seed(19))
        .generate();
    mmdb = DemoGeoDatabase.write(dir.resolve("geo.mmdb"));
  }

  @AfterAll
  static void tearDown() throws Exception {
    TestPostgres.dropSchema(SCHEMA);
  }

  @Test
  void backfillIntoPostgresEqualsGroundTruth() throws Exception {
    RunSummary s =
        PushProxyCommand.execute(
                PipelineSupport.parse(
                    new String[] {
                      "--input=" + logs,
                      "--from=2026-10-01",
                      "--to=2026-10-02",
                      "--warehouse=" + url,
                      "--geoipCityDatabase=" + mmdb,
                      "--deployments=" + PushProxyGenerator.DEPLOYMENTS_OPTION,
                      "--ipHashKeyFile=" + java.nio.file.Files.writeString(dir.resolve("ip.key"), "0123456789abcdef0123456789abcdef"),
                      "--parallelism=2"
                    },
                    PushProxyOptions.class))
            .summary();
    PushProxyTruth.assertEqualsTruth(logs, WarehouseUrl.parse(url), s);
  }
}

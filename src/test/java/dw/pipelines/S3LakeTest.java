package dw.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dw.io.warehouse.DuckDbStore;
import dw.pipelines.generate.SecurityPingGenerator;
import dw.testing.S3ProxyServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * {@code --lake=s3://bucket/prefix} on the Flink runner against a real S3 server (S3Proxy): a
 * bounded backfill writes the Parquet lake through Beam's S3 filesystem; the objects, downloaded
 * and read with DuckDB's read_parquet (Hive partitions), hold every parsed ping once, per day and
 * server as the generator's ground truth, under {@code table=security_pings/date=…/hour=…/}.
 */
class S3LakeTest {
  @TempDir static Path dir;
  static S3ProxyServer s3;
  static Path logs;
  static Path mmdb;

  @BeforeAll
  static void setUp() throws Exception {
    s3 = S3ProxyServer.start(dir.resolve("s3proxy"));
    logs = dir.resolve("logs");
    GroundTruth.generateTwoDays(logs, 150, 31);
    mmdb = DemoGeoDatabase.write(dir.resolve("geo.mmdb"));
  }

  @AfterAll
  static void tearDown() {
    DuckDbStore.closeAll();
    if (s3 != null) {
      s3.close();
    }
  }

  @Test
  void backfillWritesTheLakeToS3AndItReadsBackAsTheGroundTruth() throws Exception {
    s3.createBucket("lake");
    List<String> args = new ArrayList<>(s3.options());
    args.addAll(
        List.of(
            "--input=" + logs,
            "--from=2026-09-01",
            "--to=2026-09-02",
            "--warehouse=" + dir.resolve("wh.duckdb"),
            "--ipHashKeyFile=" + Files.writeString(dir.resolve("ip.key"), "0123456789abcdef0123456789abcdef"),
            "--lake=s3://lake/dw",
            "--geoipCityDatabase=" + mmdb,
            "--parallelism=2"));
    RunSummary s =
        SecurityPingsCommand.execute(
                PipelineSupport.parse(args.toArray(new String[0]), SecurityPingsOptions.class))
            .summary();
    JsonNode truth = GroundTruth.summary(logs);
    assertTrue(s.balanced(), s.toJsonLine());
    assertEquals(truth.get("parsed_pings").asLong(), s.json().get("parsed_pings").asLong());

    // Download every object under the prefix, keeping its key as the path.
    Path local = dir.resolve("downloaded");
    List<String> keys = new ArrayList<>();
    String token = null;
    do {
      var page =
          s3.client()
              .listObjectsV2(
                  ListObjectsV2Request.builder().bucket("lake").prefix("dw/").continuationToken(token).build());
      for (S3Object o : page.contents()) {
        keys.add(o.key());
        Path target = local.resolve(o.key());
        Files.createDirectories(target.getParent());
        s3.client()
            .getObject(GetObjectRequest.builder().bucket("lake").key(o.key()).build(), ResponseTransformer.toFile(target));
      }
      token = page.isTruncated() ? page.nextContinuationToken() : null;
    } while (token != null);
    assertTrue(!keys.isEmpty());
    for (String k : keys) {
      assertTrue(
          k.matches("dw/table=security_pings/date=2026-09-0[12]/hour=\\d\\d/part-00000-of-00001\\.parquet"),
          "no temporary or stray objects left: " + k);
    }
    Path lake = local.resolve("dw");
    assertEquals(
        List.of(truth.get("parsed_pings").asText()),
        SecurityPingsLakeTest.duck("SELECT count(*) FROM " + SecurityPingsLakeTest.pings(lake)));
    List<String> truthServerPings = new ArrayList<>();
    Map<String, Integer> perDay = new TreeMap<>();
    for (String row : GroundTruth.csv(logs, SecurityPingGenerator.SERVER_DAILY_CSV)) {
      String[] f = row.split("\\|", -1);
      truthServerPings.add(f[0] + "|" + f[1] + "|" + f[2]);
      perDay.merge(f[0], 1, Integer::sum);
    }
    truthServerPings.sort(null);
    GroundTruth.assertSameRows(
        truthServerPings,
        SecurityPingsLakeTest.duck(
            "SELECT date, server_id, count(*) FROM " + SecurityPingsLakeTest.pings(lake) + " GROUP BY ALL"),
        "S3 lake pings per server and day");
    assertEquals(
        List.of("0"),
        SecurityPingsLakeTest.duck(
            "SELECT count(*) FROM " + SecurityPingsLakeTest.pings(lake)
                + " WHERE client_ip IS NOT NULL OR NOT regexp_matches(client_ip_hash, '^[0-9a-f]{64}$')"));
  }
}

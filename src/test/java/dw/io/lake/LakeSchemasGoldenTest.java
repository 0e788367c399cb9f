package dw.io.lake;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dw.io.snowflake.RawPings;
import dw.transforms.pings.SecurityPingCoderGoldenTest;
import dw.transforms.privacy.ClientIpPolicy;
import dw.transforms.privacy.IpPseudonymizer;
import dw.transforms.push.PushRequest;
import dw.transforms.push.PushRoute;
import dw.transforms.security.SecurityPing;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The lake tables' Avro schemas and records, and the raw Snowflake table of the pings, are an
 * interface (Parquet readers, dashboards, Snowpipe): fields are only ever appended. The golden files
 * hold them as they were; the schemas are built from the records' field tables, and must stay equal.
 * A deliberate addition regenerates the files with {@code -Ddw.updateGolden=true}.
 */
class LakeSchemasGoldenTest {
  private static final Path DIR = Paths.get("src/test/resources/dw/io/lake");
  private static final ClientIpPolicy HASH_ONLY = policy(false, false);
  private static final ClientIpPolicy EVERYTHING = policy(true, true);

  private static ClientIpPolicy policy(boolean network, boolean clear) {
    return new ClientIpPolicy(
        new IpPseudonymizer(HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f")),
        network,
        clear);
  }

  private static void assertGolden(String file, List<String> actual) throws IOException {
    Path golden = DIR.resolve(file);
    if (Boolean.getBoolean("dw.updateGolden")) {
      Files.write(golden, actual, StandardCharsets.UTF_8);
    }
    assertEquals(Files.readAllLines(golden, StandardCharsets.UTF_8), actual, file);
  }

  @Test
  void securityPingsSchemaRecordsAndRawTable() throws IOException {
    assertGolden("security_pings.avsc", List.of(LakeSchema.schema().toString(true).split("\n")));
    List<String> records = new ArrayList<>();
    for (Map.Entry<String, SecurityPing> e : SecurityPingCoderGoldenTest.pings().entrySet()) {
      if (e.getValue().serverId() == null) {
        continue; // server_id is required in the lake
      }
      for (ClientIpPolicy ips : List.of(HASH_ONLY, EVERYTHING)) {
        String name = e.getKey() + (ips == HASH_ONLY ? " hash-only" : " everything");
        records.add(name + " " + LakeSchema.toRecord(e.getValue(), ips));
        records.add(name + " raw " + RawPings.row(LakeSchema.toRecord(e.getValue(), ips)));
      }
    }
    records.addAll(List.of(RawPings.createTable().split("\n")));
    assertGolden("security_pings.records", records);
  }

  @Test
  void pushRequestsSchemaAndRecords() throws IOException {
    PushRequestsLake lake = new PushRequestsLake();
    assertGolden("push_proxy_requests.avsc", List.of(lake.schema().toString(true).split("\n")));
    List<PushRequest> requests =
        List.of(
            new PushRequest(
                1_790_000_000_123_456L, "us-east-1", "app/push-us/1", "US", PushRoute.SEND_PUSH, "https",
                "HTTP/2.0", 200, 201, 1, 2, 3, 400, 500, "2001:db8::1", "DE", "Go-http-client/2.0",
                "Root=1-abc", "forward", "none"),
            new PushRequest(
                -1_000L, null, null, null, PushRoute.ACK, null, null, -1, -1, -1, -1, -1, -1, -1, null,
                null, null, null, null, null));
    List<String> records = new ArrayList<>();
    for (PushRequest q : requests) {
      records.add(lake.toRecord(q, HASH_ONLY).toString());
      records.add(lake.toRecord(q, EVERYTHING).toString());
    }
    assertGolden("push_proxy_requests.records", records);
  }
}

package dw.io.lake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dw.testing.TestPipelineExtension;
import dw.transforms.pings.SecurityPingCoder;
import dw.transforms.privacy.ClientIpPolicy;
import dw.transforms.privacy.IpPseudonymizer;
import dw.transforms.security.SecurityPing;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lake writer in streaming (TestStream, DirectRunner): one file set per hour when the
 * watermark passes it, one more small set per late pane, nothing dropped or duplicated; and the
 * record mapping.
 */
@ExtendWith(TestPipelineExtension.class)
class WritePingsToLakeTest {
  static final ClientIpPolicy IPS =
      new ClientIpPolicy(new IpPseudonymizer(new byte[32]), false, false);

  @TempDir Path dir;

  static SecurityPing ping(String server, String isoTime, String ip) {
    return ping(server, isoTime, ip, IPS);
  }

  /** A ping pseudonymized by {@code policy}, as the parse step makes it. */
  static SecurityPing ping(String server, String isoTime, String ip, ClientIpPolicy policy) {
    return SecurityPing.builder()
        .eventTimeMillis(java.time.Instant.parse(isoTime).toEpochMilli())
        .serverId(server)
        .rawBuild("9.5.3.9.5.3")
        .enterpriseReady(true)
        .database("postgres")
        .os("linux")
        .registeredUsers(10L)
        .activeUsers(3L)
        .clientIp(ip)
        .geo("US", "United States", null, null, null, null)
        .pseudonymize(policy)
        .build();
  }

  static TimestampedValue<SecurityPing> at(SecurityPing p) {
    return TimestampedValue.of(p, new Instant(p.eventTimeMillis()));
  }

  @Test
  void streamingWritesOneFileSetPerHourPaneAndLatePingsOnce(TestPipeline p) throws Exception {
    Instant start = Instant.parse("2026-11-20T10:00:00Z");
    TestStream<SecurityPing> s =
        TestStream.create(SecurityPingCoder.of())
            .advanceWatermarkTo(start)
            .addElements(
                at(ping("a", "2026-11-20T10:05:00Z", "192.0.2.1")),
                at(ping("b", "2026-11-20T10:59:59Z", "192.0.2.2")),
                at(ping("a", "2026-11-20T11:30:00Z", "192.0.2.1")))
            .addElements(at(ping("c", "2026-11-20T10:30:00Z", "2001:db8::1")))
            .advanceWatermarkTo(Instant.parse("2026-11-20T12:00:00Z"))
            // hour 10 is closed; this one is late (CloudFront delivered it late)
            .addElements(at(ping("d", "2026-11-20T10:45:00Z", "192.0.2.4")))
            .advanceProcessingTime(Duration.standardMinutes(11))
            .advanceWatermarkToInfinity();
    Path lake = dir.resolve("lake");
    p.apply(s)
        .apply(
            WritePingsToLake.to(
                lake.toString(), IPS, 1, Duration.standardHours(25), Duration.standardMinutes(10)));
    p.run().waitUntilFinish();

    List<String> files = new ArrayList<>();
    try (Stream<Path> w = Files.walk(lake)) {
      w.filter(Files::isRegularFile).forEach(f -> files.add(lake.relativize(f).toString()));
    }
    files.sort(null);
    assertEquals(
        List.of(
            "table=security_pings/date=2026-11-20/hour=10/part-p0-00000-of-00001.parquet",
            "table=security_pings/date=2026-11-20/hour=10/part-p1-00000-of-00001.parquet",
            "table=security_pings/date=2026-11-20/hour=11/part-p0-00000-of-00001.parquet"),
        files);
    List<String> rows = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT hour, server_id, client_ip_hash, filename LIKE '%-p1-%' FROM read_parquet('"
                    + lake
                    + "/table=security_pings/*/*/*.parquet', hive_partitioning = true, filename = true,"
                    + " hive_types_autocast = false) ORDER BY 1, 2")) {
      while (rs.next()) {
        rows.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3).equals(IPS.hash(ip(rs.getString(2)))) + " " + rs.getBoolean(4));
      }
    }
    assertEquals(
        List.of("10 a true false", "10 b true false", "10 c true false", "10 d true true", "11 a true false"),
        rows);
  }

  private static String ip(String server) {
    return switch (server) {
      case "a" -> "192.0.2.1";
      case "b" -> "192.0.2.2";
      case "c" -> "2001:db8::1";
      default -> "192.0.2.4";
    };
  }

  @Test
  void recordsCarryTheHashAndTheUtcPartition() {
    SecurityPing ping = ping("srv", "2026-11-20T09:59:59.999Z", "::ffff:192.0.2.9");
    assertEquals("date=2026-11-20/hour=09", LakeSchema.partition(ping.eventTimeMillis()));
    GenericRecord r = LakeSchema.toRecord(ping, IPS);
    assertEquals(IPS.hash("192.0.2.9"), r.get("client_ip_hash"));
    assertNull(r.get("client_ip"));
    assertNull(r.get("client_network"));
    assertEquals((int) java.time.LocalDate.parse("2026-11-20").toEpochDay(), r.get("log_date"));
    assertEquals("E0", r.get("edition"));
    assertEquals(List.of(), r.get("exclusion_reasons"));
    assertTrue(org.apache.avro.generic.GenericData.get().validate(LakeSchema.schema(), r));
    ClientIpPolicy clearPolicy = new ClientIpPolicy(new IpPseudonymizer(new byte[32]), true, true);
    SecurityPing clearPing = ping("srv", "2026-11-20T09:59:59.999Z", "::ffff:192.0.2.9", clearPolicy);
    GenericRecord clear = LakeSchema.toRecord(clearPing, clearPolicy);
    assertEquals("::ffff:192.0.2.9", clear.get("client_ip"));
    assertEquals("192.0.2.0/24", clear.get("client_network"));
    assertEquals(IPS.hash("192.0.2.9"), clear.get("client_ip_hash"));
    // a ping that carries its clear address (restored state of a job run with the flags) loses it
    // when the writer's policy does not allow it
    GenericRecord withheld = LakeSchema.toRecord(clearPing, IPS);
    assertNull(withheld.get("client_ip"));
    assertNull(withheld.get("client_network"));
  }
}

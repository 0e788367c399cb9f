package dw.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dw.io.warehouse.DuckDbStore;
import dw.io.warehouse.WarehouseUrl;
import dw.pipelines.generate.SecurityPingGenerator;
import dw.transforms.privacy.IpPseudonymizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * security-pings with {@code --lake} on the Flink runner: the Parquet files (read back with
 * DuckDB's read_parquet and Hive partitioning) hold exactly the generator's parsed pings, per day,
 * server and hour partition, with hashed client IPs only; the warehouse holds hashes, not IPs,
 * unless {@code --storeClientIpInClear}; re-running a backfill replaces its lake files.
 */
class SecurityPingsLakeTest {
  @TempDir static Path dir;
  static Path logs;
  static Path mmdb;

  @BeforeAll
  static void generate() throws Exception {
    logs = dir.resolve("logs");
    GroundTruth.generateTwoDays(logs, 150, 23);
    mmdb = DemoGeoDatabase.write(dir.resolve("geo.mmdb"));
  }

  @AfterAll
  static void close() {
    DuckDbStore.closeAll();
  }

  static RunSummary run(Path warehouse, Path lake, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--input=" + logs,
                "--from=2026-09-01",
                "--to=2026-09-02",
                "--warehouse=" + warehouse,
                "--geoipCityDatabase=" + mmdb,
                "--parallelism=2"));
    if (lake != null) {
      args.add("--lake=" + lake);
    }
    args.addAll(List.of(extra));
    return SecurityPingsCommand.execute(
            PipelineSupport.parse(args.toArray(new String[0]), SecurityPingsOptions.class))
        .summary();
  }

  static String pings(Path lake) {
    return "read_parquet('" + lake + "/table=security_pings/*/*/*.parquet', hive_partitioning = true,"
        + " hive_types_autocast = false)";
  }

  static List<String> duck(String sql) throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= n; i++) {
          Object v = rs.getObject(i);
          sb.append(i > 1 ? "|" : "").append(v == null ? "" : v.toString());
        }
        out.add(sb.toString());
      }
    }
    java.util.Collections.sort(out);
    return out;
  }

  static Map<String, List<String>> filesPerPartition(Path lake) throws Exception {
    Map<String, List<String>> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(lake)) {
      s.filter(Files::isRegularFile)
          .forEach(
              f -> {
                Path rel = lake.relativize(f);
                out.computeIfAbsent(rel.getParent().toString(), k -> new ArrayList<>())
                    .add(rel.getFileName().toString());
              });
    }
    out.values().forEach(l -> l.sort(null));
    return out;
  }

  @Test
  void theLakeHoldsEveryParsedPingPartitionedByHourWithHashedIpsOnly() throws Exception {
    Path warehouse = dir.resolve("wh/hashed.duckdb");
    Path lake = dir.resolve("lake");
    RunSummary s = run(warehouse, lake);
    JsonNode truth = GroundTruth.summary(logs);
    assertEquals(truth.get("parsed_pings").asLong(), s.json().get("parsed_pings").asLong());

    // every parsed ping, once
    assertEquals(List.of(truth.get("parsed_pings").asText()), duck("SELECT count(*) FROM " + pings(lake)));
    assertEquals(
        truth.get("parsed_pings").asLong(),
        s.json().get("rows_written").get("lake_security_pings").asLong());

    // per (day, server): the ground truth's pings; per day: its server count
    List<String> truthServerPings = new ArrayList<>();
    Map<String, Integer> truthServersPerDay = new TreeMap<>();
    for (String row : GroundTruth.csv(logs, SecurityPingGenerator.SERVER_DAILY_CSV)) {
      String[] f = row.split("\\|", -1);
      truthServerPings.add(f[0] + "|" + f[1] + "|" + f[2]);
      truthServersPerDay.merge(f[0], 1, Integer::sum);
    }
    truthServerPings.sort(null);
    GroundTruth.assertSameRows(
        truthServerPings,
        duck("SELECT date, server_id, count(*) FROM " + pings(lake) + " GROUP BY ALL"),
        "lake pings per server and day");
    List<String> perDay = new ArrayList<>();
    truthServersPerDay.forEach((d, n) -> perDay.add(d + "|" + n));
    assertEquals(perDay, duck("SELECT date, count(DISTINCT server_id) FROM " + pings(lake) + " GROUP BY ALL"));

    // partitions are the pings' UTC date and hour; one file per partition (--lakeShards=1)
    assertEquals(
        List.of("0"),
        duck("SELECT count(*) FROM " + pings(lake) + " WHERE \"table\" <> 'security_pings'"
            + " OR CAST(log_date AS VARCHAR) <> date"
            + " OR lpad(CAST((epoch_ms(event_time) // 3600000) % 24 AS VARCHAR), 2, '0') <> hour"));
    Map<String, List<String>> files = filesPerPartition(lake);
    assertEquals(48, files.size(), files.keySet().toString());
    files.forEach(
        (partition, names) -> {
          assertTrue(partition.matches("table=security_pings/date=2026-09-0[12]/hour=\\d\\d"), partition);
          assertEquals(List.of("part-00000-of-00001.parquet"), names, partition);
        });

    // privacy: hashes only, in the lake and in the warehouse
    assertEquals(
        List.of("0|0|" + truth.get("parsed_pings").asText()),
        duck("SELECT count(client_ip), count(client_network),"
            + " count(*) FILTER (WHERE regexp_full_match(client_ip_hash, '[0-9a-f]{64}')) FROM " + pings(lake)));
    WarehouseUrl url = WarehouseUrl.parse(warehouse.toString());
    List<String> servers = GroundTruth.csv(logs, SecurityPingGenerator.SERVER_DAILY_CSV);
    assertEquals(
        List.of("0|0|" + servers.size()),
        GroundTruth.query(url, "SELECT count(client_ip), count(client_network),"
            + " count(*) FILTER (WHERE regexp_full_match(client_ip_hash, '[0-9a-f]{64}')) FROM security_server_daily"));
    // the warehouse's hash is that of a ping of the same server and day in the lake
    List<String> hashes = GroundTruth.query(url, "SELECT CAST(log_date AS VARCHAR), server_id, client_ip_hash FROM security_server_daily");
    List<String> lakeHashes =
        duck("SELECT DISTINCT date, server_id, client_ip_hash FROM " + pings(lake));
    assertTrue(lakeHashes.containsAll(hashes), "warehouse hashes missing from the lake");

    // the generated key sits beside the warehouse, owner-only
    Path key = warehouse.resolveSibling(SecurityPingsPipeline.DEFAULT_KEY_FILE);
    assertTrue(Files.exists(key));
    assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
    assertFalse(s.toJsonLine().contains(Files.readString(key).strip()), "the key is not in the summary");

    // re-running the backfill replaces the lake's files: same files, same rows
    run(warehouse, lake);
    assertEquals(files, filesPerPartition(lake));
    assertEquals(List.of(truth.get("parsed_pings").asText()), duck("SELECT count(*) FROM " + pings(lake)));

    // --storeClientIpInClear/--storeNetwork (same folder, so the same generated key): the clear
    // address, its network and its hash agree, and the hashes equal those of the first run
    Path clearWarehouse = dir.resolve("wh/clear.duckdb");
    Path clearLake = dir.resolve("clear-lake");
    run(clearWarehouse, clearLake, "--storeClientIpInClear=true", "--storeNetwork=true", "--lakeShards=2");
    IpPseudonymizer keyed = new IpPseudonymizer(HexFormat.of().parseHex(Files.readString(key).strip()));
    List<String> rows =
        GroundTruth.query(
            WarehouseUrl.parse(clearWarehouse.toString()),
            "SELECT CAST(log_date AS VARCHAR), server_id, client_ip_hash, client_ip, client_network FROM security_server_daily");
    assertEquals(servers.size(), rows.size());
    List<String> clearHashes = new ArrayList<>();
    for (String r : rows) {
      String[] f = r.split("\\|", -1);
      assertFalse(f[3].isEmpty(), r);
      assertEquals(keyed.hash(f[3]), f[2], r);
      assertEquals(IpPseudonymizer.network(f[3]), f[4], r);
      clearHashes.add(f[0] + "|" + f[1] + "|" + f[2]);
    }
    clearHashes.sort(null);
    assertEquals(hashes, clearHashes);
    assertEquals(
        List.of(truth.get("parsed_pings").asText() + "|" + truth.get("parsed_pings").asText()),
        duck("SELECT count(client_ip), count(client_network) FROM " + pings(clearLake)));
    // Two shards per partition: a shard that receives no ping writes no file, so a small
    // partition may hold one file; none holds more than two, and most hold two.
    int[] two = new int[1];
    filesPerPartition(clearLake)
        .forEach((p, names) -> {
          assertTrue(
              List.of("part-00000-of-00002.parquet", "part-00001-of-00002.parquet").containsAll(names)
                  && !names.isEmpty(),
              p + ": " + names);
          two[0] += names.size() == 2 ? 1 : 0;
        });
    assertTrue(two[0] > filesPerPartition(clearLake).size() / 2, "most partitions should have 2 files");
  }

  @Test
  void badLakeOptionsAreNamed() throws Exception {
    Path file = Files.writeString(dir.resolve("not-a-folder"), "x");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> run(dir.resolve("wh/bad.duckdb"), file));
    assertTrue(e.getMessage().startsWith("--lake=" + file), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> run(dir.resolve("wh/bad.duckdb"), null, "--lake=nosuch://bucket/x"));
    assertTrue(e.getMessage().startsWith("--lake=nosuch://bucket/x: no Beam filesystem"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> run(dir.resolve("wh/bad.duckdb"), dir.resolve("l"), "--lakeShards=0"));
    assertTrue(e.getMessage().startsWith("--lakeShards=0"), e.getMessage());
  }
}

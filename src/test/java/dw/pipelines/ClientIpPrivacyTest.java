package dw.pipelines;

import static dw.testing.FlinkJobs.stopWithSavepoint;
import static dw.testing.FlinkJobs.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dw.io.files.TailClock;
import dw.io.tables.SecurityTables;
import dw.io.warehouse.DuckDbStore;
import dw.io.warehouse.TableSpec;
import dw.io.warehouse.WarehouseUrl;
import dw.pipelines.generate.SecurityPingGenerator;
import dw.transforms.privacy.IpPseudonymizer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.beam.sdk.PipelineResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No clear client address anywhere the pipeline stores data: every client IP of the generated
 * input, in each of its text forms, is searched in the dead letters, every warehouse table, the
 * Parquet lake (a backfill), and in the warehouse and the bytes of a savepoint of the streaming job
 * on the Flink runner (whose state holds the open days' server-days and the lake's buffered pings).
 * With {@code --storeClientIpInClear} the same scans do find the addresses, so they can fail.
 */
class ClientIpPrivacyTest {
  @TempDir static Path dir;
  static Path logs;
  static Path mmdb;
  /** Every client address of the input, as logged. */
  static Set<String> clientIps;
  static AddressScanner scanner;

  @BeforeAll
  static void generate() throws Exception {
    logs = dir.resolve("logs");
    GroundTruth.generateTwoDays(logs, 150, 41);
    mmdb = DemoGeoDatabase.write(dir.resolve("geo.mmdb"));
    clientIps = clientIpsOf(logs);
    scanner = new AddressScanner(clientIps);
  }

  @AfterAll
  static void close() {
    DuckDbStore.closeAll();
  }

  /** The {@code c-ip} of every line of the input whose fourth tab is there (shorter lines cut it). */
  static Set<String> clientIpsOf(Path root) throws Exception {
    Set<String> ips = new TreeSet<>();
    for (Path f : SecurityPingsFlinkTest.logFiles(root)) {
      try (BufferedReader r =
          new BufferedReader(
              new InputStreamReader(new GZIPInputStream(Files.newInputStream(f)), StandardCharsets.UTF_8))) {
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          String[] fields = line.split("\t", 6);
          if (!line.startsWith("#") && fields.length == 6 && !fields[4].equals("-")) {
            ips.add(fields[4]);
          }
        }
      }
    }
    return ips;
  }

  /**
   * Finds any text form of the given addresses in bytes or text: as logged, lower and upper case,
   * and the JDK's full form (IPv6 without {@code ::}). A dotted quad must not continue a longer
   * number ({@code 1.2.3.4} is not found in {@code 11.2.3.45}); other forms match anywhere.
   */
  static final class AddressScanner {
    private final Map<Integer, List<byte[]>> byPrefix = new HashMap<>();
    private final Map<String, String> addressOfForm = new HashMap<>();

    AddressScanner(Set<String> ips) throws Exception {
      for (String ip : ips) {
        Set<String> forms = new LinkedHashSet<>();
        forms.add(ip);
        forms.add(ip.toLowerCase(Locale.ROOT));
        forms.add(ip.toUpperCase(Locale.ROOT));
        forms.add(InetAddress.getByName(ip).getHostAddress()); // a literal: no DNS
        for (String form : forms) {
          byte[] b = form.getBytes(StandardCharsets.ISO_8859_1);
          byPrefix.computeIfAbsent(prefix(b, 0), k -> new ArrayList<>()).add(b);
          addressOfForm.put(form, ip);
        }
      }
    }

    private static int prefix(byte[] b, int at) {
      return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
    }

    private static boolean numberChar(byte c) {
      return (c >= '0' && c <= '9') || c == '.';
    }

    /** The addresses found in {@code data} (as logged). */
    Set<String> find(byte[] data) {
      Set<String> found = new TreeSet<>();
      for (int i = 0; i + 4 <= data.length; i++) {
        List<byte[]> candidates = byPrefix.get(prefix(data, i));
        if (candidates == null) {
          continue;
        }
        for (byte[] form : candidates) {
          if (!java.util.Arrays.equals(data, i, Math.min(data.length, i + form.length), form, 0, form.length)) {
            continue;
          }
          boolean dotted = new String(form, StandardCharsets.ISO_8859_1).indexOf(':') < 0;
          if (dotted
              && ((i > 0 && numberChar(data[i - 1]))
                  || (i + form.length < data.length && numberChar(data[i + form.length])))) {
            continue;
          }
          found.add(addressOfForm.get(new String(form, StandardCharsets.ISO_8859_1)));
        }
      }
      return found;
    }

    Set<String> find(List<String> rows) {
      return find(String.join("\n", rows).getBytes(StandardCharsets.UTF_8));
    }
  }

  static RunSummary backfill(Path warehouse, Path lake, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--input=" + logs,
                "--from=2026-09-01",
                "--to=2026-09-02",
                "--warehouse=" + warehouse,
                "--lake=" + lake,
                "--geoipCityDatabase=" + mmdb,
                "--parallelism=2"));
    args.addAll(List.of(extra));
    return SecurityPingsCommand.execute(PipelineSupport.parse(args.toArray(new String[0]), SecurityPingsOptions.class))
        .summary();
  }

  /** Every row of every warehouse table, all columns. */
  static Map<String, List<String>> tables(Path warehouse) throws Exception {
    Map<String, List<String>> rows = new HashMap<>();
    for (TableSpec t : SecurityTables.all()) {
      rows.put(t.name(), GroundTruth.query(WarehouseUrl.parse(warehouse.toString()), "SELECT * FROM " + t.name()));
    }
    return rows;
  }

  static List<String> lake(Path lake) throws Exception {
    return SecurityPingsLakeTest.duck("SELECT * FROM " + SecurityPingsLakeTest.pings(lake));
  }

  static IpPseudonymizer keyBeside(Path warehouse) throws Exception {
    Path key = warehouse.resolveSibling(SecurityPingsPipeline.DEFAULT_KEY_FILE);
    return new IpPseudonymizer(HexFormat.of().parseHex(Files.readString(key).strip()));
  }

  static boolean contains(byte[] data, byte[] part) {
    for (int i = 0; i + part.length <= data.length; i++) {
      if (java.util.Arrays.equals(data, i, i + part.length, part, 0, part.length)) {
        return true;
      }
    }
    return false;
  }

  @Test
  void theInputHasAddressesToLookFor() throws Exception {
    assertTrue(clientIps.size() > 100, clientIps.size() + " addresses");
    assertTrue(clientIps.stream().anyMatch(ip -> ip.contains(":")), "IPv6 addresses too");
    byte[] sample = ("x\u0001" + clientIps.iterator().next() + "\u0002").getBytes(StandardCharsets.ISO_8859_1);
    assertEquals(Set.of(clientIps.iterator().next()), scanner.find(sample));
  }

  @Test
  void aBackfillStoresNoClearAddressInTablesDeadLettersOrTheLake() throws Exception {
    Path warehouse = dir.resolve("hashed/w.duckdb");
    Path lake = dir.resolve("hashed/lake");
    RunSummary s = backfill(warehouse, lake);
    JsonNode truth = GroundTruth.summary(logs);
    assertTrue(s.balanced(), s.toJsonLine());

    Map<String, List<String>> tables = tables(warehouse);
    assertEquals(truth.get("dead_lettered").asLong(), tables.get("dead_letters").size());
    assertFalse(tables.get("security_server_daily").isEmpty());
    for (Map.Entry<String, List<String>> t : tables.entrySet()) {
      assertEquals(Set.of(), scanner.find(t.getValue()), t.getKey());
    }
    List<String> lakeRows = lake(lake);
    assertEquals(truth.get("parsed_pings").asLong(), lakeRows.size());
    assertEquals(Set.of(), scanner.find(lakeRows), "lake");

    // the dead letters keep their lines, with the address's hash (= client_ip_hash) in its place
    IpPseudonymizer keyed = keyBeside(warehouse);
    List<String> dead = GroundTruth.query(WarehouseUrl.parse(warehouse.toString()), "SELECT raw_line FROM dead_letters");
    String allDead = String.join("\n", dead);
    long withHash = clientIps.stream().filter(ip -> allDead.contains(keyed.hash(ip))).count();
    assertTrue(withHash > 0, "no dead letter holds a client IP hash: " + dead);
    List<String> hashes =
        GroundTruth.query(
            WarehouseUrl.parse(warehouse.toString()), "SELECT DISTINCT client_ip_hash FROM security_server_daily");
    Set<String> expected = new TreeSet<>();
    clientIps.forEach(ip -> expected.add(keyed.hash(ip)));
    assertTrue(expected.containsAll(hashes), "client_ip_hash is the keyed hash of an input address");
  }

  @Test
  void withStoreClientIpInClearTheScansFindTheAddresses() throws Exception {
    Path warehouse = dir.resolve("clear/w.duckdb");
    Path lake = dir.resolve("clear/lake");
    backfill(warehouse, lake, "--storeClientIpInClear=true");
    List<String> clear =
        GroundTruth.query(WarehouseUrl.parse(warehouse.toString()), "SELECT client_ip FROM security_server_daily");
    assertFalse(clear.isEmpty());
    assertTrue(clientIps.containsAll(clear), "client_ip holds the addresses as logged");
    Map<String, List<String>> tables = tables(warehouse);
    assertEquals(new TreeSet<>(clear), scanner.find(tables.get("security_server_daily")));
    assertFalse(scanner.find(tables.get("dead_letters")).isEmpty(), "raw lines keep their address");
    assertFalse(scanner.find(lake(lake)).isEmpty(), "lake client_ip");
  }

  @Test
  void aStreamingSavepointHoldsNoClearAddressUnlessAskedFor() throws Exception {
    Set<String> hashed = streamAndScanSavepoint("hashed-stream");
    assertEquals(Set.of(), hashed, "clear addresses in the savepoint");
    Set<String> clear = streamAndScanSavepoint("clear-stream", "--storeClientIpInClear=true");
    assertTrue(clear.size() > 10, "with --storeClientIpInClear the state holds addresses: " + clear.size());
  }

  /**
   * Streams the generated days into a warehouse and a lake on the Flink runner, waits until the
   * server-days and dead letters equal the truth, stops with a savepoint, and returns the
   * addresses found in the savepoint's files; the warehouse is checked as well when the flag is off.
   */
  private Set<String> streamAndScanSavepoint(String name, String... extra) throws Exception {
    Path watched = dir.resolve(name + "/in");
    Files.createDirectories(watched);
    for (Path f : SecurityPingsFlinkTest.logFiles(logs)) {
      Path target = watched.resolve(logs.relativize(f));
      Files.createDirectories(target.getParent());
      Files.copy(f, target);
    }
    Path warehouse = dir.resolve(name + "/w.duckdb");
    WarehouseUrl url = WarehouseUrl.parse(warehouse.toString());
    String clock = "privacy-" + name;
    // every file hour (2026-08-31T23 .. 2026-09-02T23) stays open: the windows and the lake's
    // hours keep their state until the savepoint
    TailClock.set(clock, Instant.parse("2026-09-03T01:30:00Z").toEpochMilli());
    List<String> args =
        new ArrayList<>(
            List.of(
                "--input=" + watched,
                "--warehouse=" + warehouse,
                "--lake=" + dir.resolve(name + "/lake"),
                "--geoipCityDatabase=" + mmdb,
                "--parallelism=2",
                "--attachedMode=false",
                "--pollIntervalSeconds=1",
                "--earlyFiringSeconds=1",
                "--checkpointingInterval=2000",
                "--tailClock=manual:" + clock,
                "--allowedLatenessHours=52"));
    args.addAll(List.of(extra));
    List<String> servers = GroundTruth.csv(logs, SecurityPingGenerator.SERVER_DAILY_CSV);
    String deadLettered = GroundTruth.summary(logs).get("dead_lettered").asText();
    PipelineResult job =
        SecurityPingsCommand.execute(PipelineSupport.parse(args.toArray(new String[0]), SecurityPingsOptions.class))
            .result();
    String savepoint;
    try {
      waitFor(
          () ->
              GroundTruth.query(url, GroundTruth.SERVERS_SQL).equals(servers)
                  && GroundTruth.query(url, "SELECT COUNT(*) FROM dead_letters").equals(List.of(deadLettered)),
          "the streamed server-days and dead letters");
      savepoint = stopWithSavepoint(job, dir.resolve(name + "/savepoints"));
    } catch (Exception | AssertionError e) {
      job.cancel();
      throw e;
    }
    if (extra.length == 0) {
      for (Map.Entry<String, List<String>> t : tables(warehouse).entrySet()) {
        assertEquals(Set.of(), scanner.find(t.getValue()), "streamed " + t.getKey());
      }
    }
    Path savepointDir = Path.of(java.net.URI.create(savepoint));
    Set<String> found = new TreeSet<>();
    long bytes = 0;
    // the hash key travels in the job graph, never in the state: neither its bytes nor its text
    String keyText = Files.readString(warehouse.resolveSibling(SecurityPingsPipeline.DEFAULT_KEY_FILE)).strip();
    byte[] key = HexFormat.of().parseHex(keyText);
    try (Stream<Path> files = Files.walk(savepointDir)) {
      for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        byte[] data = Files.readAllBytes(f);
        bytes += data.length;
        found.addAll(scanner.find(data));
        assertFalse(contains(data, key) || contains(data, keyText.getBytes(StandardCharsets.US_ASCII)), "key in " + f);
      }
    }
    // the state is there to be scanned: the open days' server-days and the lake's pings
    assertTrue(bytes > 10_000, "savepoint of " + bytes + " bytes");
    return found;
  }
}

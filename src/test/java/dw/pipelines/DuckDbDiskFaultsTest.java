package dw.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dw.io.warehouse.DuckDbStore;
import dw.io.tables.SecurityTables;
import dw.io.warehouse.WarehouseUrl;
import dw.io.warehouse.WriteToWarehouse;
import java.sql.Connection;
import java.sql.Statement;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded DuckDB warehouse on a disk that fails: its file lives on a small tmpfs of its own
 * (mounted by the test; the suite runs as root, as on the project's test machine), which is then
 * filled to the last byte (writes get ENOSPC) or remounted read-only (EROFS), and a backfill of
 * two days runs through the real CLI. Expected: exit code 1, one message naming the warehouse
 * file and the operating system's reason, and the tables exactly as they were before the run
 * (every write is one transaction; a failed one leaves nothing behind).
 */
class DuckDbDiskFaultsTest {
  @TempDir static Path dir;
  static Path logs;
  static Path mmdb;
  static Path key;
  static Path disk;
  static Path warehouse;
  static List<String> before;

  @BeforeAll
  static void setUp() throws Exception {
    logs = dir.resolve("logs");
    GroundTruth.generateTwoDays(logs, 30, 41);
    mmdb = DemoGeoDatabase.write(dir.resolve("geo.mmdb"));
    key = Files.writeString(dir.resolve("ip-hash.key"), "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\n");
    disk = Files.createDirectories(dir.resolve("disk"));
    // 8 MiB: room for a small warehouse (DuckDB blocks are 256 KiB) and little else
    sh("mount", "-t", "tmpfs", "-o", "size=8m", "dw-test-disk", disk.toString());
    warehouse = disk.resolve("warehouse.duckdb");
    // a warehouse with rows of earlier runs (its tables created as a run creates them)
    WarehouseUrl url = WarehouseUrl.parse(warehouse.toString());
    WriteToWarehouse.ensureTables(url, SecurityTables.all());
    try (Connection c = WriteToWarehouse.connect(url);
        Statement st = c.createStatement()) {
      st.execute("INSERT INTO security_server_daily (log_date, server_id, pings) VALUES ('2026-08-31', 'earlier', 7)");
      st.execute("INSERT INTO security_daily_totals (log_date, version, edition, database_type, operating_system, country_iso)"
              + " VALUES ('2026-08-31', '9.0.0', 'team', 'postgres', 'linux', 'DE')");
      st.execute(
          "INSERT INTO dead_letters (file, line_number, pipeline, reason, raw_line)"
              + " VALUES ('earlier', 1, 'security-pings', 'earlier', 'x')");
    }
    DuckDbStore.closeAll();
    before = snapshot();
    assertEquals(3, before.size(), before.toString());
    DuckDbStore.closeAll();
  }

  @AfterAll
  static void unmount() throws Exception {
    DuckDbStore.closeAll();
    if (disk != null) {
      sh("umount", disk.toString());
    }
  }

  @AfterEach
  void restoreTheDisk() throws Exception {
    DuckDbStore.closeAll();
    sh("mount", "-o", "remount,rw", disk.toString());
    Files.deleteIfExists(disk.resolve("filler"));
  }

  @Test
  void aFullDiskFailsTheRunNamingTheFileAndWritesNothing() throws Exception {
    long filled = fill(disk.resolve("filler"));
    assertTrue(filled > 0, "the filler took the free space");
    CliRun r = backfill();
    System.out.println("disk-fault message:\n" + r.err());
    assertNotEquals(0, r.code(), "a run that could not write must fail:\n" + r.err());
    assertTrue(r.err().contains(warehouse.toString()), "the message names the warehouse file:\n" + r.err());
    assertTrue(r.err().contains("No space left on device"), "the message says why:\n" + r.err());
    assertEquals(1, r.err().strip().lines().filter(l -> l.startsWith("error:")).count(), r.err());
    Files.delete(disk.resolve("filler"));
    DuckDbStore.closeAll();
    assertEquals(before, snapshot(), "the tables changed although the run failed");
  }

  @Test
  void aReadOnlyDiskFailsTheRunNamingTheFileAndWritesNothing() throws Exception {
    sh("mount", "-o", "remount,ro", disk.toString());
    CliRun r = backfill();
    System.out.println("disk-fault message:\n" + r.err());
    assertNotEquals(0, r.code(), "a run that could not write must fail:\n" + r.err());
    assertTrue(r.err().contains(warehouse.toString()), "the message names the warehouse file:\n" + r.err());
    assertTrue(r.err().contains("Read-only file system"), "the message says why:\n" + r.err());
    DuckDbStore.closeAll();
    sh("mount", "-o", "remount,rw", disk.toString());
    assertEquals(before, snapshot(), "the tables changed although the run failed");
  }

  @Test
  void aReadOnlyDiskWhereTheDefaultKeyWouldGoNamesTheKeyFile() throws Exception {
    sh("mount", "-o", "remount,ro", disk.toString());
    // no --ipHashKeyFile: the default key file is created beside the warehouse, on the same disk
    CliRun r = CliRun.of("security-pings", "--input=" + logs, "--from=2026-09-01", "--to=2026-09-02",
        "--warehouse=" + warehouse, "--geoipCityDatabase=" + mmdb);
    System.out.println("disk-fault message:\n" + r.err());
    assertNotEquals(0, r.code(), r.err());
    assertTrue(r.err().contains(disk.resolve("ip-hash.key").toString()) && r.err().contains("Read-only file system"),
        "the message names the key file and why:\n" + r.err());
    sh("mount", "-o", "remount,rw", disk.toString());
    assertEquals(before, snapshot(), "the tables changed although the run failed");
  }

  static CliRun backfill() {
    return CliRun.of(
        "security-pings",
        "--input=" + logs,
        "--from=2026-09-01",
        "--to=2026-09-02",
        "--warehouse=" + warehouse,
        "--geoipCityDatabase=" + mmdb,
        // the key on another disk (by default it is created beside the warehouse)
        "--ipHashKeyFile=" + key,
        "--parallelism=2");
  }

  /** Every row of the tables a run writes, as "table:a|b|c", sorted. */
  static List<String> snapshot() throws Exception {
    WarehouseUrl url = WarehouseUrl.parse(warehouse.toString());
    List<String> rows = new ArrayList<>();
    for (String t : List.of("security_server_daily", "security_daily_totals", "dead_letters")) {
      for (String row : GroundTruth.query(url, "SELECT * FROM " + t)) {
        rows.add(t + ":" + row);
      }
    }
    return rows;
  }

  /** Writes zeros to {@code file} until the file system has no space left; returns the bytes written. */
  static long fill(Path file) throws IOException {
    byte[] block = new byte[64 * 1024];
    long n = 0;
    try (OutputStream out = Files.newOutputStream(file)) {
      while (true) {
        try {
          out.write(block);
          n += block.length;
        } catch (IOException full) {
          if (String.valueOf(full.getMessage()).contains("No space left")) {
            break;
          }
          throw full;
        }
      }
    } catch (IOException closing) {
      if (!String.valueOf(closing.getMessage()).contains("No space left")) {
        throw closing;
      }
    }
    // the last bytes (a short write) as well
    try (OutputStream out = Files.newOutputStream(file, java.nio.file.StandardOpenOption.APPEND)) {
      for (int i = 0; i < 64 * 1024; i++) {
        out.write(0);
        out.flush();
      }
    } catch (IOException full) {
      // the disk is full to the byte
    }
    return n;
  }

  static void sh(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), String.join(" ", command) + " did not end");
    String out = new String(p.getInputStream().readAllBytes());
    assertEquals(0, p.exitValue(), String.join(" ", command) + " failed (the test mounts a tmpfs, which needs root): " + out);
  }
}

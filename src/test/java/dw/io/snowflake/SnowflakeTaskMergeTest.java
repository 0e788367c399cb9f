package dw.io.snowflake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dw.io.warehouse.TableSpec;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The streaming merge: the tasks' bodies (ddl.sql) run by {@link PostgresSnowflakeEmulator} over
 * rows appended to the load tables as Snowpipe would, in any order and split across loads. Newest
 * version wins, an older pane arriving late changes nothing, a snapshot is applied only when all
 * its rows are loaded, and every row is merged once (the stream is consumed).
 */
class SnowflakeTaskMergeTest {
  static final String SCHEMA = "dw_sft_" + Long.toHexString(System.nanoTime());
  static final String URL = WriteToSnowflakeTest.BASE_URL + "&currentSchema=" + SCHEMA;
  static final TableSpec NOTES = WriteToSnowflakeTest.NOTES;
  static final TableSpec SNAPSHOTS = WriteToSnowflakeTest.SNAPSHOTS;
  static final PostgresSnowflakeEmulator EMULATOR = new PostgresSnowflakeEmulator();
  static SnowflakeConfig config;

  @BeforeAll
  static void schema() throws Exception {
    try (Connection c = DriverManager.getConnection(WriteToSnowflakeTest.BASE_URL);
        Statement st = c.createStatement()) {
      st.execute("CREATE SCHEMA " + SCHEMA);
    }
    System.setProperty(PostgresSnowflakeEmulator.URL_PROPERTY, URL);
    config =
        SnowflakeConfig.parse(
            "snowflake://acme-test/ANALYTICS/PUBLIC",
            Map.of(
                "SNOWFLAKE_LOAD_USER", "LOADER",
                "SNOWFLAKE_LOAD_PASSWORD", "pw",
                "SNOWFLAKE_LOAD_WAREHOUSE", "LOAD_WH",
                "SNOWFLAKE_STAGING_BUCKET", "/tmp/unused/",
                "SNOWFLAKE_STORAGE_INTEGRATION", "DW_S3"),
            SnowflakeConfig.Overrides.none());
    List<String> ddl = new ArrayList<>();
    for (TableSpec s : List.of(NOTES, SNAPSHOTS)) {
      ddl.add(SnowflakeSql.createTable(s));
      ddl.add(SnowflakeSql.createLoadTable(s));
      ddl.addAll(SnowflakeSql.streamingDdl(s));
    }
    EMULATOR.runInTransaction(config, ddl);
  }

  @AfterAll
  static void drop() throws Exception {
    try (Connection c = DriverManager.getConnection(WriteToSnowflakeTest.BASE_URL);
        Statement st = c.createStatement()) {
      st.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
    }
  }

  static final String NOTE_COLS = "id, note, n, empty, day, at, _emitted_at, _pane";

  static void note(String id, String text, String emittedAt, int pane) throws Exception {
    try (Connection c = DriverManager.getConnection(URL);
        Statement st = c.createStatement()) {
      st.execute(
          "INSERT INTO sf_notes_load (" + NOTE_COLS + ") VALUES ('" + id + "', '" + text
              + "', NULL, NULL, NULL, NULL, '" + emittedAt + "', " + pane + ")");
    }
  }

  static void snap(String day, String k, Long v, String emittedAt, int pane, boolean marker, Integer rows)
      throws Exception {
    try (Connection c = DriverManager.getConnection(URL);
        Statement st = c.createStatement()) {
      st.execute(
          "INSERT INTO sf_snapshots_load (day, k, v, _emitted_at, _pane, _marker, _rows) VALUES ('" + day + "', "
              + (k == null ? "NULL" : "'" + k + "'") + ", " + v + ", '" + emittedAt + "', " + pane + ", " + marker
              + ", " + rows + ")");
    }
  }

  static List<String> query(String sql) throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(URL);
        Statement st = c.createStatement();
        java.sql.ResultSet rs = st.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<String> row = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
          row.add(rs.getString(i));
        }
        out.add(String.join("|", row));
      }
    }
    return out;
  }

  static void runTasks() throws Exception {
    PostgresSnowflakeEmulator.runTasks();
  }

  @Test
  void upsertsKeepTheNewestVersionWhateverOrderTheyArriveIn() throws Exception {
    note("a", "v2", "2026-09-01 10:00:02", 2);
    note("a", "v1", "2026-09-01 10:00:01", 1); // same task run, older: loses
    runTasks();
    assertEquals(List.of("a|v2|2"), query("SELECT id, note, _pane FROM sf_notes"));
    note("a", "v0", "2026-09-01 10:00:00", 0); // a late file with an older pane: ignored
    runTasks();
    assertEquals(List.of("a|v2|2"), query("SELECT id, note, _pane FROM sf_notes"));
    note("a", "v3", "2026-09-01 10:00:03", 3);
    note("b", "b0", "2026-09-01 10:00:03", 0);
    runTasks();
    assertEquals(
        List.of("a|v3|3", "b|b0|0"), query("SELECT id, note, _pane FROM sf_notes ORDER BY id"));
    // a re-run (a later emitted-at, pane 0 again) replaces
    note("a", "rerun", "2026-09-02 08:00:00", 0);
    runTasks();
    assertEquals(List.of("a|rerun|0"), query("SELECT id, note, _pane FROM sf_notes WHERE id = 'a'"));
    assertEquals(List.of("0"), query("SELECT COUNT(*) FROM sf_notes_load WHERE NOT _consumed"));
  }

  @Test
  void aSnapshotIsAppliedWhenAllItsRowsAreLoadedAndOnlyIfNewer() throws Exception {
    String day = "2026-09-05";
    // pane 0: two rows, but only one of them and the marker are loaded so far
    snap(day, "x", 1L, "2026-09-05 01:00:00", 0, false, null);
    snap(day, null, null, "2026-09-05 01:00:00", 0, true, 2);
    runTasks();
    assertEquals(List.of(), query("SELECT k FROM sf_snapshots WHERE day = '" + day + "'"));
    assertEquals(List.of("2"), query("SELECT COUNT(*) FROM sf_snapshots_pending"));
    snap(day, "y", 2L, "2026-09-05 01:00:00", 0, false, null);
    runTasks();
    assertEquals(
        List.of("2026-09-05|x|1", "2026-09-05|y|2"),
        query("SELECT day, k, v FROM sf_snapshots WHERE day = '" + day + "' ORDER BY k"));
    assertEquals(List.of("0"), query("SELECT COUNT(*) FROM sf_snapshots_pending"));
    // pane 2 (complete) and the late pane 1 (complete) in the same run: pane 2 wins
    snap(day, "x", 5L, "2026-09-05 01:00:02", 2, false, null);
    snap(day, null, null, "2026-09-05 01:00:02", 2, true, 1);
    snap(day, "z", 9L, "2026-09-05 01:00:01", 1, false, null);
    snap(day, null, null, "2026-09-05 01:00:01", 1, true, 1);
    runTasks();
    assertEquals(
        List.of("2026-09-05|x|5"),
        query("SELECT day, k, v FROM sf_snapshots WHERE day = '" + day + "' ORDER BY k"));
    // pane 1 arriving again later (a file loaded late): older than what the table holds, ignored
    snap(day, "z", 9L, "2026-09-05 01:00:01", 1, false, null);
    snap(day, null, null, "2026-09-05 01:00:01", 1, true, 1);
    runTasks();
    assertEquals(
        List.of("2026-09-05|x|5"),
        query("SELECT day, k, v FROM sf_snapshots WHERE day = '" + day + "' ORDER BY k"));
    // a newer empty snapshot clears the day
    snap(day, null, null, "2026-09-05 01:00:03", 3, true, 0);
    runTasks();
    assertEquals(List.of(), query("SELECT k FROM sf_snapshots WHERE day = '" + day + "'"));
    assertEquals(List.of("0"), query("SELECT COUNT(*) FROM sf_snapshots_pending"));
    assertTrue(PostgresSnowflakeEmulator.resumedTasks().contains(SnowflakeSql.task(SNAPSHOTS)));
  }
}

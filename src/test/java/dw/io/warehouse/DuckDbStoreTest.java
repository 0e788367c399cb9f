package dw.io.warehouse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DuckDbStoreTest {
  static final TableSpec KV =
      TableSpec.upsert(
          "kv",
          List.of(
              Column.key("k", ColumnType.TEXT),
              Column.of("v", ColumnType.BIGINT),
              Column.of("seen_at", ColumnType.TIMESTAMP),
              Column.of("flag", ColumnType.BOOLEAN)),
          "k");
  static final TableSpec SNAP =
      TableSpec.replaceScope(
          "snap",
          List.of(
              Column.key("day", ColumnType.DATE),
              Column.key("g", ColumnType.TEXT),
              Column.of("n", ColumnType.BIGINT)),
          "day",
          "day",
          "g");

  @TempDir Path dir;

  @AfterEach
  void close() {
    DuckDbStore.closeAll();
  }

  private static List<String> query(DuckDbStore s, String sql) throws Exception {
    List<String> rows = new ArrayList<>();
    try (Connection c = s.newConnection();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= n; i++) {
          sb.append(i > 1 ? "|" : "").append(rs.getObject(i));
        }
        rows.add(sb.toString());
      }
    }
    return rows;
  }

  @Test
  void upsertReplacesRowsWithTheSameKeyAndKeepsTheLastPendingVersion() throws Exception {
    DuckDbStore s = DuckDbStore.open(dir.resolve("w.duckdb").toString());
    PendingRows p = new PendingRows(KV);
    Instant t = Instant.parse("2026-01-02T03:04:05Z");
    p.addRow(new Object[] {"a", 1L, t, true});
    p.addRow(new Object[] {"b", 2L, null, null});
    p.addRow(new Object[] {"a", 3L, t, false}); // refinement within one batch
    assertEquals(2, p.rowCount());
    s.write(p);
    p.clear();
    p.addRow(new Object[] {"b", 20L, t, true});
    s.write(p);
    s.write(p); // re-running the same batch changes nothing
    assertEquals(
        List.of("a|3|2026-01-02 03:04:05.0|false", "b|20|2026-01-02 03:04:05.0|true"),
        query(s, "SELECT k, v, seen_at, flag FROM kv ORDER BY k"));
  }

  @Test
  void aFailedUpsertLeavesTheTableAsItWas() throws Exception {
    String file = dir.resolve("w.duckdb").toString();
    DuckDbStore s = DuckDbStore.open(file);
    PendingRows p = new PendingRows(KV);
    p.addRow(new Object[] {"a", 1L, null, true});
    s.write(p);
    p.clear();
    // the keys are deleted and the first row appended before the second one fails
    p.addRow(new Object[] {"a", 2L, null, false});
    p.addRow(new Object[] {"b", "not a number", null, false});
    SQLException e = assertThrows(SQLException.class, () -> s.write(p));
    assertTrue(e.getMessage().contains("cannot write table kv"), e.getMessage());
    DuckDbStore.closeAll();
    assertEquals(List.of("a|1|true"), query(DuckDbStore.open(file), "SELECT k, v, flag FROM kv ORDER BY k"));
  }

  static final TableSpec BY_DAY = byFirstKey("by_day", "day", ColumnType.DATE);
  static final TableSpec BY_HOUR = byFirstKey("by_hour", "hour", ColumnType.TIMESTAMP);

  /** An upsert table keyed by {@code (first, id)}. */
  static TableSpec byFirstKey(String table, String first, ColumnType type) {
    return TableSpec.upsert(
        table,
        List.of(Column.key(first, type), Column.key("id", ColumnType.TEXT), Column.of("v", ColumnType.BIGINT)),
        first,
        "id");
  }

  /** Upserts rows of {key..., v} into a store of the file, each row in its own write. */
  private static void upsertEach(String file, TableSpec spec, Object[]... rows) throws Exception {
    DuckDbStore s = DuckDbStore.open(file);
    for (Object[] row : rows) {
      PendingRows p = new PendingRows(spec);
      p.addRow(row);
      s.write(p);
    }
  }

  @Test
  void upsertsReplaceRowsWrittenByThisStoreAndByEarlierOnesOfAnyFirstKeyType() throws Exception {
    String file = dir.resolve("w.duckdb").toString();
    LocalDate d1 = LocalDate.parse("2026-10-01");
    LocalDate d2 = LocalDate.parse("2026-10-02");
    Instant h1 = Instant.parse("2026-10-01T10:00:00.123456Z");
    upsertEach(file, BY_DAY, new Object[] {d1, "a", 1L}, new Object[] {d1, "b", 1L}, new Object[] {d1, "a", 2L});
    upsertEach(file, BY_HOUR, new Object[] {h1, "a", 1L}, new Object[] {h1, "a", 2L});
    DuckDbStore.closeAll(); // a new store: the rows are the file's, written before it
    upsertEach(file, BY_DAY, new Object[] {d1, "b", 3L}, new Object[] {d2, "a", 4L}, new Object[] {d2, "a", 5L});
    upsertEach(file, BY_HOUR, new Object[] {h1, "a", 3L}, new Object[] {h1.plusSeconds(3600), "a", 4L});
    DuckDbStore s = DuckDbStore.open(file);
    assertEquals(
        List.of("2026-10-01|a|2", "2026-10-01|b|3", "2026-10-02|a|5"),
        query(s, "SELECT day, id, v FROM by_day ORDER BY ALL"));
    assertEquals(List.of("a|3", "a|4"), query(s, "SELECT id, v FROM by_hour ORDER BY ALL"));
  }

  /** What one of {@link #writeFromThreads}' threads writes in a round. */
  interface RoundWriter {
    void write(DuckDbStore s, int round, List<Object[]> rows) throws Exception;
  }

  /**
   * Writes from {@code threads} threads, in rounds, new keys of each thread's own, rewrites of its
   * own earlier keys and of keys shared by every thread; then checks that every key is there once,
   * with its last value.
   */
  private void writeFromThreads(int threads, RoundWriter writer) throws Exception {
    DuckDbStore s = DuckDbStore.open(dir.resolve("w.duckdb").toString());
    LocalDate day = LocalDate.parse("2026-10-01");
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
    List<java.util.concurrent.Future<?>> done = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int me = t;
      done.add(
          pool.submit(
              () -> {
                for (int round = 0; round < 5; round++) {
                  List<Object[]> rows = new ArrayList<>();
                  for (int i = 0; i < 300; i++) {
                    rows.add(new Object[] {day, "t" + me + "-" + (round * 300 + i), (long) round});
                  }
                  for (int i = 0; i < 50; i++) {
                    rows.add(new Object[] {day, "t" + me + "-" + i, 100L + round});
                    rows.add(new Object[] {day, "shared-" + i, (long) me});
                  }
                  writer.write(s, round, rows);
                }
                s.commitDirect();
                return null;
              }));
    }
    for (java.util.concurrent.Future<?> f : done) {
      f.get();
    }
    pool.shutdown();
    assertEquals(
        List.of((threads * 1500 + 50) + "|" + (threads * 1500 + 50)),
        query(s, "SELECT count(*), count(DISTINCT id) FROM by_day"));
    assertEquals(List.of(threads * 50 + "|104"), query(s, "SELECT count(*), min(v) FROM by_day WHERE v >= 100"));
    assertEquals(
        List.of(threads * 1450 + "|" + threads * 1450),
        query(s, "SELECT count(*), sum(CASE WHEN v = CAST(split_part(id, '-', 2) AS BIGINT) // 300 THEN 1 ELSE 0 END)"
            + " FROM by_day WHERE id LIKE 't%' AND v < 100"));
  }

  @Test
  void writersOfManyThreadsKeepEveryKeyOnceWithItsLastValue() throws Exception {
    // each round one write: new keys appended in parallel, the others deleted first, alone
    writeFromThreads(
        4,
        (s, round, rows) -> {
          PendingRows p = new PendingRows(BY_DAY);
          rows.forEach(p::addRow);
          s.write(p);
        });
  }

  /** A writer as {@code DuckDbWriteFn} is: rows of new keys appended directly, the rest written. */
  private static void appendOrWrite(DuckDbStore s, TableSpec spec, List<Object[]> rows) throws SQLException {
    List<Object[]> rest = s.appendNew(spec, rows);
    if (!rest.isEmpty()) {
      PendingRows p = new PendingRows(spec);
      rest.forEach(p::addRow);
      s.write(p);
    }
  }

  @Test
  void aWriteOfAKeyAnotherThreadAppendedDirectlyCommitsThatAppendFirst() throws Exception {
    String file = dir.resolve("w.duckdb").toString();
    DuckDbStore s = DuckDbStore.open(file);
    LocalDate day = LocalDate.parse("2026-10-01");
    java.util.concurrent.CountDownLatch appended = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch written = new java.util.concurrent.CountDownLatch(1);
    Thread a =
        new Thread(
            () -> {
              try {
                // new keys: appended in a transaction this thread leaves open
                assertEquals(List.of(), s.appendNew(BY_DAY, List.of(new Object[] {day, "x", 1L}, new Object[] {day, "y", 1L})));
                appended.countDown();
                written.await();
                s.commitDirect();
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    a.start();
    appended.await();
    // another writer's row of x: the ledger has x, so it is written (delete, then append) and
    // commits a's open transaction before it deletes
    List<Object[]> rest = s.appendNew(BY_DAY, List.of(new Object[] {day, "x", 2L}, new Object[] {day, "z", 2L}));
    assertEquals(1, rest.size());
    PendingRows p = new PendingRows(BY_DAY);
    rest.forEach(p::addRow);
    s.write(p);
    s.commitDirect();
    written.countDown();
    a.join();
    assertEquals(
        List.of("x|2", "y|1", "z|2"), query(s, "SELECT id, v FROM by_day ORDER BY id"));
  }

  @Test
  void directAndWrittenRowsOfManyThreadsKeepEveryKeyOnceWithItsLastValue() throws Exception {
    // as the writer does it: new keys into each thread's open transaction, the rest written
    writeFromThreads(
        4,
        (s, round, rows) -> {
          appendOrWrite(s, BY_DAY, rows);
          if (round % 2 == 1) {
            s.commitDirect(); // a bundle's end; other rounds stay open across calls
          }
        });
  }

  @Test
  void anAbandonedDirectTransactionLeavesNothingAndAFailedOneSaysWhichTable() throws Exception {
    String file = dir.resolve("w.duckdb").toString();
    DuckDbStore s = DuckDbStore.open(file);
    LocalDate day = LocalDate.parse("2026-10-01");
    s.appendNew(BY_DAY, List.<Object[]>of(new Object[] {day, "a", 1L}));
    s.commitDirect();
    s.appendNew(BY_DAY, List.<Object[]>of(new Object[] {day, "b", 1L}));
    s.abandonDirect(); // a writer torn down mid-bundle
    assertEquals(List.of("a|1"), query(s, "SELECT id, v FROM by_day ORDER BY id"));
    SQLException e =
        assertThrows(
            SQLException.class,
            () -> s.appendNew(BY_DAY, List.<Object[]>of(new Object[] {day, "c", "not a number"})));
    assertTrue(e.getMessage().contains("cannot write table by_day"), e.getMessage());
    DuckDbStore.closeAll();
    assertEquals(List.of("a|1"), query(DuckDbStore.open(file), "SELECT id, v FROM by_day ORDER BY id"));
  }

  /**
   * Two writers of one store, as two subtasks of a job are: one has rows appended directly and not
   * yet committed when the other's write fails. Closing the failed store rolls the first one's rows
   * back, so its commit at the bundle's end must fail too (a silent return would let a checkpoint
   * count rows that are not in the table), and every later call of it must report the first
   * failure's reason, not what the closed connection says.
   */
  @Test
  void afterAnotherThreadsWriteFailedACommitFailsWithThatReasonAndLeavesNothing() throws Exception {
    String file = dir.resolve("w.duckdb").toString();
    DuckDbStore s = DuckDbStore.open(file);
    LocalDate day = LocalDate.parse("2026-10-01");
    java.util.concurrent.ExecutorService other = java.util.concurrent.Executors.newSingleThreadExecutor();
    try {
      assertEquals(
          List.of(),
          other.submit(() -> s.appendNew(BY_DAY, List.<Object[]>of(new Object[] {day, "a", 1L}))).get());
      PendingRows bad = new PendingRows(KV);
      bad.addRow(new Object[] {"k", "not a number", null, true});
      SQLException first = assertThrows(SQLException.class, () -> s.write(bad));
      assertTrue(first.getMessage().startsWith("embedded warehouse " + file + ": cannot write table kv ("), first.getMessage());
      String reason = first.getMessage().substring(first.getMessage().indexOf('(') + 1, first.getMessage().length() - 1);
      for (java.util.concurrent.Callable<?> call :
          List.<java.util.concurrent.Callable<?>>of(
              () -> {
                s.commitDirect();
                return null;
              },
              () -> s.appendNew(BY_DAY, List.<Object[]>of(new Object[] {day, "b", 1L})),
              () -> {
                PendingRows p = new PendingRows(SNAP);
                p.addSnapshot(day, List.<Object[]>of(new Object[] {day, "g", 1L}));
                s.write(p);
                return null;
              })) {
        java.util.concurrent.ExecutionException e =
            assertThrows(java.util.concurrent.ExecutionException.class, () -> other.submit(call).get());
        assertTrue(e.getCause() instanceof SQLException, String.valueOf(e.getCause()));
        String message = e.getCause().getMessage();
        assertTrue(message.startsWith("embedded warehouse " + file + ": cannot "), message);
        assertTrue(message.endsWith(": an earlier write failed (" + reason + ")"), message);
      }
    } finally {
      other.shutdown();
    }
    DuckDbStore.closeAll();
    DuckDbStore again = DuckDbStore.open(file);
    assertEquals(List.of("0"), query(again, "SELECT count(*) FROM by_day"));
    assertEquals(List.of("0"), query(again, "SELECT count(*) FROM kv"));
  }

  @Test
  void theLedgerTellsWhichKeysMayBeThereAndGivesUpPastItsLimit() {
    KeyLedger ledger = new KeyLedger(BY_DAY, new java.util.HashSet<>(java.util.Set.of(20_000L)), 1000);
    LocalDate old = LocalDate.ofEpochDay(20_000);
    LocalDate fresh = LocalDate.ofEpochDay(20_001);
    assertTrue(ledger.mayHold(new Object[] {old, "x", 1L}), "a day that had rows may hold any key");
    assertEquals(false, ledger.mayHold(new Object[] {fresh, "x", 1L}));
    for (int i = 0; i < 1000; i++) {
      ledger.add(new Object[] {fresh, "id" + i, 1L});
    }
    for (int i = 0; i < 1000; i++) {
      assertTrue(ledger.mayHold(new Object[] {fresh, new String("id" + i), 2L}), "id" + i);
    }
    int maybe = 0;
    for (int i = 1000; i < 101_000; i++) {
      maybe += ledger.mayHold(new Object[] {fresh, "id" + i, 1L}) ? 1 : 0;
    }
    assertEquals(0, maybe, "keys never written are not there");
    assertEquals(false, ledger.gaveUp());
    ledger.add(new Object[] {fresh, "one too many", 1L});
    assertTrue(ledger.gaveUp());
    assertTrue(ledger.mayHold(new Object[] {fresh, "id5000", 1L}), "past its limit every key may be there");
  }

  @Test
  void aTableOfAnEarlierVersionGainsTheColumnsAddedSince() throws Exception {
    String file = dir.resolve("old.duckdb").toString();
    TableSpec v1 =
        TableSpec.upsert("kv", List.of(Column.key("k", ColumnType.TEXT), Column.of("v", ColumnType.BIGINT)), "k");
    DuckDbStore old = DuckDbStore.open(file);
    PendingRows p1 = new PendingRows(v1);
    p1.addRow(new Object[] {"a", 1L});
    old.write(p1);
    DuckDbStore.closeAll();

    DuckDbStore s = DuckDbStore.open(file); // a new version starts on the old file
    s.ensureTable(KV);
    PendingRows p = new PendingRows(KV);
    p.addRow(new Object[] {"b", 2L, null, true});
    s.write(p);
    assertEquals(
        List.of("a|1|null|null", "b|2|null|true"), query(s, "SELECT k, v, seen_at, flag FROM kv ORDER BY k"));
    assertEquals(
        List.of("k", "v", "seen_at", "flag").toString(),
        query(s, "SELECT list(column_name ORDER BY column_index) FROM duckdb_columns() WHERE table_name = 'kv'")
            .get(0));
  }

  @Test
  void snapshotReplacesTheWholeScopeIncludingVanishedRows() throws Exception {
    DuckDbStore s = DuckDbStore.open(dir.resolve("w.duckdb").toString());
    LocalDate d1 = LocalDate.parse("2026-01-01");
    LocalDate d2 = LocalDate.parse("2026-01-02");
    PendingRows p = new PendingRows(SNAP);
    p.addSnapshot(d1, List.of(new Object[] {d1, "x", 1L}, new Object[] {d1, "y", 2L}));
    p.addSnapshot(d2, List.<Object[]>of(new Object[] {d2, "x", 5L}));
    s.write(p);
    p.clear();
    // a refinement of day 1 in which group y vanished and z appeared
    p.addSnapshot(d1, List.of(new Object[] {d1, "x", 7L}, new Object[] {d1, "z", 1L}));
    s.write(p);
    assertEquals(
        List.of("2026-01-01|x|7", "2026-01-01|z|1", "2026-01-02|x|5"),
        query(s, "SELECT day, g, n FROM snap ORDER BY day, g"));
    p.clear();
    p.addSnapshot(d2, List.<Object[]>of()); // an empty snapshot clears its scope
    s.write(p);
    assertEquals(List.of("2026-01-01|x|7", "2026-01-01|z|1"), query(s, "SELECT day, g, n FROM snap ORDER BY day, g"));
  }

  @Test
  void theSameFileIsOneSharedStore() {
    String f = dir.resolve("w.duckdb").toString();
    assertTrue(DuckDbStore.open(f) == DuckDbStore.open(dir.resolve("./w.duckdb").toString()));
  }

  @Test
  void rejectsRowsOfTheWrongWidth() {
    PendingRows p = new PendingRows(KV);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> p.addRow(new Object[] {"a"}));
    assertTrue(e.getMessage().contains("kv"), e.getMessage());
  }

  @Test
  void duckDbRunsOneWorkerThreadOnceTheStoreWritesAndItsDefaultUntilThen() throws Exception {
    String duckDbDefault;
    try (Connection c = java.sql.DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT current_setting('threads')")) {
      rs.next();
      duckDbDefault = rs.getString(1);
    }
    DuckDbStore s = DuckDbStore.open(dir.resolve("w.duckdb").toString());
    s.ensureTable(KV);
    assertEquals(List.of(duckDbDefault), query(s, "SELECT current_setting('threads')")); // a reader's process
    PendingRows p = new PendingRows(KV);
    p.addRow(new Object[] {"a", 1L, null, null});
    s.write(p);
    assertEquals(List.of(String.valueOf(DuckDbStore.WRITER_THREADS)), query(s, "SELECT current_setting('threads')"));
    assertEquals(List.of("a|1"), query(s, "SELECT k, v FROM kv"));
  }

  @Test
  void theWriterThreadsAreAWholeNumberOrTheDefault() {
    assertEquals(DuckDbStore.WRITER_THREADS, DuckDbStore.writerThreads(null));
    assertEquals(DuckDbStore.WRITER_THREADS, DuckDbStore.writerThreads(""));
    assertEquals(2, DuckDbStore.writerThreads(" 2 "));
    for (String bad : new String[] {"0", "-1", "two", "1.5", "1; DROP TABLE x"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DuckDbStore.writerThreads(bad));
      assertTrue(e.getMessage().startsWith("DW_DUCKDB_THREADS=" + bad + ": "), e.getMessage());
    }
  }

  @Test
  void theMemoryLimitIsASizeOrTheDefault() {
    org.junit.jupiter.api.Assertions.assertEquals(DuckDbStore.MEMORY_LIMIT, DuckDbStore.memoryLimit(null));
    org.junit.jupiter.api.Assertions.assertEquals(DuckDbStore.MEMORY_LIMIT, DuckDbStore.memoryLimit(" "));
    org.junit.jupiter.api.Assertions.assertEquals("2GiB", DuckDbStore.memoryLimit(" 2GiB "));
    org.junit.jupiter.api.Assertions.assertEquals("1.5GB", DuckDbStore.memoryLimit("1.5GB"));
    for (String bad : new String[] {"80%", "lots", "256", "1GB; DROP TABLE x"}) {
      IllegalArgumentException e =
          org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> DuckDbStore.memoryLimit(bad));
      org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().startsWith("DW_DUCKDB_MEMORY_LIMIT=" + bad), e.getMessage());
    }
  }
}

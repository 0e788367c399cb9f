package dw.io.warehouse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * The embedded warehouse: one DuckDB file, opened once per JVM and shared by every writer in it.
 *
 * <p>DuckDB's per-row JDBC upserts are unusably slow (dependencies.md §9), so a write bulk-loads
 * the rows through DuckDB's Appender, in one transaction: an upsert deletes the keys the table may
 * hold ({@link KeyLedger}) and appends its rows to the table; a snapshot goes through a staging
 * table and replaces its scopes with set-based statements. Upserts of keys the table cannot hold
 * yet run in parallel, each on its writing thread's connection; every other write runs alone,
 * which avoids DuckDB's optimistic-concurrency conflicts (two deletes of one row) and keeps keys
 * unique (see {@link #write}). DuckDB allows one process per file: the embedded warehouse suits
 * local runs and the embedded Flink cluster; a multi-process cluster writes to PostgreSQL or
 * Snowflake instead.
 */
public final class DuckDbStore {
  private static final Map<String, DuckDbStore> STORES = new ConcurrentHashMap<>();
  /** WAL size at which DuckDB checkpoints (see {@link #connect}). */
  static final String CHECKPOINT_THRESHOLD = "64MB";
  /** DuckDB's buffer-pool limit per JVM (see {@link #memoryLimit}). */
  static final String MEMORY_LIMIT = "256MB";
  /** DuckDB's worker threads once the store writes (see {@link #writerThreads}). */
  static final int WRITER_THREADS = 1;

  private final String file;
  private final DuckDBConnection conn;
  /** DuckDB's worker threads once the store writes ({@link #writerThreads}). */
  private final int threads;
  private final Set<String> ensured = ConcurrentHashMap.newKeySet();
  /** Per upsert table: the keys it may hold (see {@link KeyLedger}); loaded on its first write. */
  private final Map<String, KeyLedger> ledgers = new java.util.HashMap<>();
  /** Whether DuckDB's threads are set for writing ({@link #writerThreads}); under this store's monitor. */
  private boolean writing;
  /** Why a write failed, once one has: the store is closed then (see {@link #write}). */
  private volatile String failure;
  /** Held while deciding from the ledgers which writes may run in parallel (see {@link #write}). */
  private final Object ledgerLock = new Object();
  /** Shared by the upserts of keys the table cannot hold yet, exclusive for every other write. */
  private final ReentrantReadWriteLock exclusive = new ReentrantReadWriteLock();
  /** Each writing thread's connection (see {@link #writerConnection}). */
  private final Map<Thread, WriterConnection> writers = new ConcurrentHashMap<>();
  /**
   * Rows of a direct transaction after which it commits ({@link #appendNew}): two of DuckDB's row
   * groups, which it writes compressed to the file while appending, not through its WAL.
   */
  static final int DIRECT_COMMIT_ROWS = 2 * 122_880;

  private DuckDbStore(String file, DuckDBConnection conn, int threads) {
    this.file = file;
    this.conn = conn;
    this.threads = threads;
  }

  /** The JVM-wide store for a DuckDB file, opened (and its folder created) on first use. */
  public static DuckDbStore open(String file) {
    String key = Paths.get(file).toAbsolutePath().normalize().toString();
    return STORES.computeIfAbsent(key, DuckDbStore::connect);
  }

  private static DuckDbStore connect(String file) {
    try {
      int threads = writerThreads();
      Path parent = Paths.get(file).getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Connection c = DriverManager.getConnection("jdbc:duckdb:" + file);
      try (java.sql.Statement st = c.createStatement()) {
        // DuckDB checkpoints (rewrites and compresses the tables) whenever its WAL passes 16 MB by
        // default: every few batches of a backfill. Merging a backfill's 655 k server-days took
        // 9.7 s that way and 6.3 s with 256 MB (final checkpoint included, key index still on).
        // Without the key index, 64 MB did better than 256 MB for a 2.28 M-row backfill (four
        // alternated pairs: 0.3-0.9 s less wall, 0.5-1.4 s less CPU): the checkpoints run beside
        // the writers, and the one left for closing the file, on one thread, is smaller.
        st.execute("SET checkpoint_threshold = '" + CHECKPOINT_THRESHOLD + "'");
        // DuckDB's buffer pool may take 80 % of the RAM by default; a backfill's writes need far
        // less. With 256 MB a 3.4 M-line backfill at -Xmx1g peaked at 1.35 GB RSS instead of
        // 1.59 GB, same CPU, identical tables (docs/performance.md); larger work spills to disk.
        st.execute("SET memory_limit = '" + memoryLimit() + "'");
      }
      return new DuckDbStore(file, c.unwrap(DuckDBConnection.class), threads);
    } catch (Exception e) {
      throw new IllegalStateException(
          "embedded warehouse " + file + ": cannot open the DuckDB file (" + e.getMessage() + ")",
          e);
    }
  }

  /** DuckDB's memory limit for the embedded warehouse: {@value #MEMORY_LIMIT}, or DW_DUCKDB_MEMORY_LIMIT. */
  static String memoryLimit() {
    return memoryLimit(System.getenv("DW_DUCKDB_MEMORY_LIMIT"));
  }

  static String memoryLimit(String v) {
    if (v == null || v.isBlank()) {
      return MEMORY_LIMIT;
    }
    if (!v.trim().matches("[0-9]+(\\.[0-9]+)?\\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)")) {
      throw new IllegalArgumentException(
          "DW_DUCKDB_MEMORY_LIMIT=" + v + ": expected a size such as 256MB or 2GiB");
    }
    return v.trim();
  }

  /**
   * DuckDB's worker threads in a process that writes to the store: {@value #WRITER_THREADS}, or
   * DW_DUCKDB_THREADS. A job's writers run on every core already (one per Flink task, each
   * compressing what it commits); DuckDB's own workers (by default one per core) only compete with
   * them for the cores. A 3.4 M-line backfill on 2 cores took about 3 % less CPU and wall time with
   * one (docs/performance.md, "Eighth round"). Set when the store's first writer connects, so a
   * process that only queries the file (the {@code sql} command) keeps DuckDB's default.
   */
  static int writerThreads() {
    return writerThreads(System.getenv("DW_DUCKDB_THREADS"));
  }

  static int writerThreads(String v) {
    if (v == null || v.isBlank()) {
      return WRITER_THREADS;
    }
    try {
      int n = Integer.parseInt(v.trim());
      if (n >= 1) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("DW_DUCKDB_THREADS=" + v + ": expected a whole number of threads, 1 or more");
  }

  public String file() {
    return file;
  }

  /** A new connection to the same database (for reads and ad-hoc SQL); the caller closes it. */
  public Connection newConnection() throws SQLException {
    return conn.duplicate();
  }

  /** Creates the table and its staging twin if missing. */
  public synchronized void ensureTable(TableSpec spec) {
    if (ensured.contains(spec.name())) {
      return;
    }
    try (Statement st = conn.createStatement()) {
      st.execute(spec.createTableSql(Dialect.DUCKDB));
      for (String add : spec.addColumnsSql(Dialect.DUCKDB, spec.name())) {
        st.execute(add);
      }
      st.execute(
          "CREATE TABLE IF NOT EXISTS "
              + stagingName(spec)
              + " AS SELECT * FROM "
              + spec.name()
              + " WHERE false");
      for (String add : spec.addColumnsSql(Dialect.DUCKDB, stagingName(spec))) {
        st.execute(add);
      }
      ensured.add(spec.name());
    } catch (SQLException e) {
      throw new IllegalStateException(
          "embedded warehouse " + file + ": cannot create table " + spec.name() + ": " + e, e);
    }
  }

  /**
   * Appends those of {@code rows} (rows of an upsert table) whose keys the table certainly does not
   * hold yet ({@link KeyLedger}: a backfill's) straight to the table, in a transaction of the calling
   * thread's connection that stays open across calls (a direct transaction); the others are left for
   * {@link #write}, which the caller must do, and returned. The direct transaction commits every
   * {@link #DIRECT_COMMIT_ROWS} rows, at {@link #commitDirect} (a bundle's end, so before a
   * checkpoint), and before any {@link #write} of this store, which commits every thread's direct
   * transaction first: a write that deletes a key sees every row appended with it. Nothing waits
   * for another thread's bundle: committing a thread's direct transaction only needs its lock,
   * which it holds while appending one batch.
   *
   * <p>Compared with {@link #write}, the rows are not held on the heap until a bundle ends, and the
   * transactions are whole row groups (docs/performance.md, "Seventh round").
   */
  public List<Object[]> appendNew(TableSpec spec, List<Object[]> rows) throws SQLException {
    if (spec.mode() != TableSpec.WriteMode.UPSERT) {
      throw new IllegalArgumentException(spec.name() + ": only upsert rows are appended directly");
    }
    if (rows.isEmpty()) {
      return List.of();
    }
    try {
      return appendNewChecked(spec, rows);
    } catch (SQLException | RuntimeException e) {
      throw afterFailure(spec, e);
    }
  }

  private List<Object[]> appendNewChecked(TableSpec spec, List<Object[]> rows) throws SQLException {
    checkNotFailed(spec);
    ensureTable(spec);
    WriterConnection w = writerConnection();
    List<Object[]> rest = new ArrayList<>();
    List<Object[]> fresh = new ArrayList<>(rows.size());
    synchronized (ledgerLock) {
      KeyLedger ledger = ledger(spec);
      for (Object[] row : rows) {
        (ledger.add(row) ? rest : fresh).add(row);
      }
      if (fresh.isEmpty()) {
        return rest;
      }
      // Locked before the keys are visible to other writers' ledger checks end: a write that finds
      // one of these keys in the ledger commits this transaction first, so waits for this batch.
      w.direct.lock();
    }
    Exception error;
    try {
      checkNotFailed(spec);
      if (w.appendDirect(spec, fresh) >= DIRECT_COMMIT_ROWS) {
        w.commitDirect();
      }
      return rest;
    } catch (SQLException | RuntimeException e) {
      error = abort(w, e);
    } finally {
      w.direct.unlock();
    }
    throw failed(spec, error);
  }

  /**
   * Commits the calling thread's direct transaction, if open ({@link #appendNew}). Fails once any
   * write of the store has failed: closing the store then rolled back every thread's direct
   * transaction, so rows this thread appended may be gone, and its bundle must not count as
   * written (its rows come again when the task restarts from its last checkpoint).
   */
  public void commitDirect() throws SQLException {
    try {
      checkNotFailed(null);
      WriterConnection w = writers.get(Thread.currentThread());
      if (w == null) {
        return;
      }
      commitDirectOf(w, null);
    } catch (SQLException | RuntimeException e) {
      throw afterFailure(null, e);
    }
  }

  /** Rolls the calling thread's direct transaction back, if open (a writer torn down mid-bundle). */
  public void abandonDirect() {
    WriterConnection w = writers.get(Thread.currentThread());
    if (w != null) {
      rollbackDirectOf(w);
    }
  }

  /** Commits every thread's direct transaction (before a write that may delete or replace rows). */
  private void commitAllDirect(TableSpec forSpec) throws SQLException {
    for (Map.Entry<Thread, WriterConnection> entry : writers.entrySet()) {
      if (entry.getKey().isAlive()) {
        commitDirectOf(entry.getValue(), forSpec);
      } else {
        rollbackDirectOf(entry.getValue()); // a task that died mid-bundle: its rows come again
      }
    }
  }

  private static void rollbackDirectOf(WriterConnection w) {
    w.direct.lock();
    try {
      w.rollbackDirect();
    } finally {
      w.direct.unlock();
    }
  }

  /**
   * Writes the pending rows (upserts or scope snapshots) in one transaction, on the calling thread's
   * own connection. An upsert whose keys the table cannot hold yet ({@link KeyLedger}: a backfill's
   * rows) runs in parallel with other such upserts: appending is most of a write's time, and DuckDB
   * appends of separate transactions do not conflict. Any other write (one that deletes keys first,
   * or replaces snapshots) runs alone, after the parallel ones have committed, so that keys stay
   * unique: the keys of a write are in the ledger from the moment it starts.
   */
  public void write(PendingRows pending) throws SQLException {
    if (pending.isEmpty()) {
      return;
    }
    try {
      writeChecked(pending);
    } catch (SQLException | RuntimeException e) {
      throw afterFailure(pending.spec(), e);
    }
  }

  private void writeChecked(PendingRows pending) throws SQLException {
    TableSpec spec = pending.spec();
    checkNotFailed(spec);
    ensureTable(spec);
    Lock lock;
    List<Object[]> held = List.of();
    if (spec.mode() == TableSpec.WriteMode.UPSERT) {
      synchronized (ledgerLock) {
        KeyLedger ledger = ledger(spec);
        held = new ArrayList<>();
        for (Object[] row : pending.upsertRows()) {
          if (ledger.add(row)) {
            held.add(row);
          }
        }
        lock = held.isEmpty() ? exclusive.readLock() : exclusive.writeLock();
        if (held.isEmpty()) {
          lock.lock(); // under ledgerLock: no exclusive write of these keys can start before it
        }
      }
      if (!held.isEmpty()) {
        lock.lock();
      }
    } else {
      lock = exclusive.writeLock();
      lock.lock();
    }
    try {
      checkNotFailed(spec);
      WriterConnection w = writerConnection();
      if (lock == exclusive.writeLock()) {
        commitAllDirect(spec);
      } else {
        commitDirectOf(w, spec);
      }
      writeLocked(w, pending, held);
    } finally {
      lock.unlock();
    }
  }

  private void writeLocked(WriterConnection w, PendingRows pending, List<Object[]> held)
      throws SQLException {
    TableSpec spec = pending.spec();
    DuckDBConnection c = w.connection;
    DuckDBAppender keysApp = null;
    try (Statement st = c.createStatement()) {
      begin(c);
      if (spec.mode() == TableSpec.WriteMode.UPSERT) {
        // Delete those of the keys being written that the table may hold (KeyLedger), then append
        // the rows straight to the table. Only those keys go through a staging table: copying whole
        // rows through one cost a 2.3 M-row backfill about 7 s more CPU (docs/performance.md). With
        // no primary-key index to maintain this also beats INSERT OR REPLACE (3.4 s instead of
        // 6.3 s for 655 k rows, TableSpec#createTableSql).
        if (!held.isEmpty()) {
          String keys = keysName(spec);
          if (w.keyTables.add(spec.name())) {
            // this connection's own, in memory, never in the WAL
            st.execute(
                "CREATE OR REPLACE TEMP TABLE " + keys + " AS SELECT "
                    + String.join(", ", spec.keyColumns()) + " FROM " + spec.name() + " WHERE false");
          }
          st.execute("DELETE FROM " + keys);
          int[] keyIdx = spec.keyIndexes();
          keysApp = c.createAppender("temp", DuckDBConnection.DEFAULT_SCHEMA, keys);
          for (Object[] row : held) {
            keysApp.beginRow();
            for (int k : keyIdx) {
              appendValue(keysApp, spec.columns().get(k).type(), row[k]);
            }
            keysApp.endRow();
          }
          keysApp.close();
          keysApp = null;
          StringBuilder on = new StringBuilder();
          for (String k : spec.keyColumns()) {
            on.append(on.length() == 0 ? "" : " AND ")
                .append(spec.name()).append('.').append(k).append(" = ").append(keys).append('.').append(k);
          }
          st.execute("DELETE FROM " + spec.name() + " USING " + keys + " WHERE " + on);
          st.execute("DELETE FROM " + keys);
        }
        try (DuckDBAppender app = c.createAppender(DuckDBConnection.DEFAULT_SCHEMA, spec.name())) {
          for (Object[] row : pending.upsertRows()) {
            appendRow(app, spec, row);
          }
        }
      } else {
        String stage = stagingName(spec);
        st.execute("DELETE FROM " + stage);
        try (DuckDBAppender app = c.createAppender(DuckDBConnection.DEFAULT_SCHEMA, stage)) {
          for (Object[] row : pending.allRows()) {
            appendRow(app, spec, row);
          }
        }
        String scope = spec.scopeColumn();
        // Scopes whose new snapshot is empty must be cleared too, so delete by the pending scopes.
        StringBuilder in = new StringBuilder();
        for (Object s : pending.snapshots().keySet()) {
          in.append(in.length() == 0 ? "" : ", ").append(literal(s));
        }
        st.execute("DELETE FROM " + spec.name() + " WHERE " + scope + " IN (" + in + ")");
        st.execute("INSERT INTO " + spec.name() + " SELECT * FROM " + stage);
        st.execute("DELETE FROM " + stage);
      }
      c.commit();
      c.setAutoCommit(true);
    } catch (SQLException | RuntimeException e) {
      if (keysApp != null) {
        try {
          keysApp.close();
        } catch (SQLException | RuntimeException x) {
          e.addSuppressed(x);
        }
      }
      throw failed(spec, abort(w, e));
    }
  }

  /**
   * Opens a transaction on {@code c} for appends. DuckDB's Appender commits each chunk it flushes
   * on its own unless a transaction is already open on its connection, and with auto-commit off
   * DuckDB opens one only when a statement runs: so a statement runs here, and the appends and
   * statements that follow commit or roll back together.
   */
  private static void begin(DuckDBConnection c) throws SQLException {
    c.setAutoCommit(false);
    try (Statement st = c.createStatement()) {
      st.execute("SELECT 1");
    }
  }

  /**
   * After a failed write or direct append on {@code w}, with {@code w}'s direct lock held when it
   * may have a direct transaction: closes its appenders and rolls its transaction back; returns
   * {@code e}. A failed write (a full or read-only disk: DuckDB cannot append to its WAL) leaves
   * nothing. The rollback may fail as well once DuckDB has given up on the file; it must not hide
   * the first error, which says why.
   */
  private static Exception abort(WriterConnection w, Exception e) {
    w.closeDirectAppenders(e);
    try {
      w.connection.rollback();
    } catch (SQLException | RuntimeException r) {
      e.addSuppressed(r);
    }
    return e;
  }

  /**
   * After {@link #abort}: keeps the first error for the other writers ({@link #checkNotFailed}),
   * closes and forgets the store, and gives the error to throw. The caller holds no writer's
   * direct lock: closing the store takes each of them, one at a time.
   */
  private SQLException failed(TableSpec spec, Exception e) {
    String why = firstLine(e.getMessage());
    boolean first;
    synchronized (this) {
      first = failure == null;
      if (first) {
        failure = why;
      }
    }
    if (!first) {
      // another writer failed first and closed the store under this one: its reason is the one
      return earlierFailure(spec, e);
    }
    // Closed and forgotten: a later open (a restarted job, once the disk has room) starts
    // again from what the file holds, the failed transaction not in it.
    forget(e);
    return new SQLException(
        "embedded warehouse " + file + ": " + cannot(spec) + " (" + why + ")",
        e instanceof SQLException s ? s.getSQLState() : null,
        e);
  }

  /**
   * The error to throw for {@code e}, raised by a write or commit of {@code spec}: when a write of
   * the store has failed (on any thread), the first failure's reason, since closing the store makes
   * the other writers fail with errors such as "Connection was closed" that say nothing, and Flink
   * reports whichever task failed first. This store's own errors pass as they are; any other is
   * given a message naming the file and the table.
   */
  private SQLException afterFailure(TableSpec spec, Exception e) {
    String message = firstLine(e.getMessage());
    boolean named = message.startsWith("embedded warehouse " + file + ": ");
    if (named && e instanceof SQLException s) {
      return s;
    }
    if (failure != null) {
      return earlierFailure(spec, e);
    }
    return new SQLException(
        named ? message : "embedded warehouse " + file + ": " + cannot(spec) + " (" + message + ")",
        e instanceof SQLException s ? s.getSQLState() : null,
        e);
  }

  private SQLException earlierFailure(TableSpec spec, Exception cause) {
    return new SQLException(
        "embedded warehouse " + file + ": " + cannot(spec) + ": an earlier write failed ("
            + failure + ")",
        "58030",
        cause);
  }

  private static String cannot(TableSpec spec) {
    return spec == null ? "cannot commit the rows appended" : "cannot write table " + spec.name();
  }

  /** Commits {@code w}'s own direct transaction (before a write on its connection, a bundle's end). */
  private void commitDirectOf(WriterConnection w, TableSpec spec) throws SQLException {
    TableSpec table = spec;
    Exception error = null;
    w.direct.lock();
    try {
      if (w.directSpec() != null) {
        table = w.directSpec();
      }
      w.commitDirect();
    } catch (SQLException | RuntimeException e) {
      error = abort(w, e);
    } finally {
      w.direct.unlock();
    }
    if (error != null) {
      throw failed(table, error);
    }
  }

  private void checkNotFailed(TableSpec spec) throws SQLException {
    if (failure != null) {
      // DuckDB gives up on a database after an I/O error in its WAL ("database has been
      // invalidated"), and later writes fail with internal errors that say nothing useful: the
      // writers of this JVM get the first error instead, whichever of them reports first.
      throw earlierFailure(spec, null);
    }
  }

  /** The table's ledger, loaded on its first write (callers hold {@link #ledgerLock}). */
  private KeyLedger ledger(TableSpec spec) throws SQLException {
    KeyLedger ledger = ledgers.get(spec.name());
    if (ledger == null) {
      synchronized (this) {
        ledger = KeyLedger.load(conn, spec);
      }
      ledgers.put(spec.name(), ledger);
    }
    return ledger;
  }

  /**
   * A writing thread's own connection, the temporary key tables made on it, and its direct
   * transaction ({@link #appendNew}): the open appenders by table, and the rows appended since it
   * began. {@link #direct} guards the direct transaction (another thread may commit it).
   */
  private static final class WriterConnection {
    final DuckDBConnection connection;
    final Set<String> keyTables = new java.util.HashSet<>();
    final java.util.concurrent.locks.ReentrantLock direct = new java.util.concurrent.locks.ReentrantLock();
    private final Map<String, DuckDBAppender> appenders = new java.util.LinkedHashMap<>();
    private TableSpec directSpec;
    private long directRows;

    WriterConnection(DuckDBConnection connection) {
      this.connection = connection;
    }

    /** Appends rows to the direct transaction (begun if none is open); the rows it holds now. */
    long appendDirect(TableSpec spec, List<Object[]> rows) throws SQLException {
      if (appenders.isEmpty()) {
        begin(connection);
      }
      DuckDBAppender app = appenders.get(spec.name());
      if (app == null) {
        app = connection.createAppender(DuckDBConnection.DEFAULT_SCHEMA, spec.name());
        appenders.put(spec.name(), app);
      }
      directSpec = spec;
      for (Object[] row : rows) {
        appendRow(app, spec, row);
      }
      directRows += rows.size();
      return directRows;
    }

    TableSpec directSpec() {
      return directSpec;
    }

    void commitDirect() throws SQLException {
      if (appenders.isEmpty()) {
        return;
      }
      for (DuckDBAppender app : appenders.values()) {
        app.close(); // flushes its last rows into the transaction
      }
      appenders.clear();
      connection.commit();
      connection.setAutoCommit(true);
      directSpec = null;
      directRows = 0;
    }

    void rollbackDirect() {
      if (appenders.isEmpty()) {
        return;
      }
      Exception e = new Exception("rolling back");
      closeDirectAppenders(e);
      try {
        connection.rollback();
        connection.setAutoCommit(true);
      } catch (SQLException | RuntimeException ignored) {
        // the connection is closed with the store anyway
      }
    }

    /** Closes the direct transaction's appenders (their rows are then rolled back). */
    void closeDirectAppenders(Exception e) {
      for (DuckDBAppender app : appenders.values()) {
        try {
          app.close();
        } catch (SQLException | RuntimeException x) {
          e.addSuppressed(x);
        }
      }
      appenders.clear();
      directSpec = null;
      directRows = 0;
    }
  }

  private WriterConnection writerConnection() throws SQLException {
    Thread t = Thread.currentThread();
    WriterConnection w = writers.get(t);
    if (w == null) {
      synchronized (this) {
        // threads that ended (a restarted task's) leave their connections: close those
        for (Map.Entry<Thread, WriterConnection> e : writers.entrySet()) {
          if (!e.getKey().isAlive() && writers.remove(e.getKey(), e.getValue())) {
            closeQuietly(e.getValue().connection);
          }
        }
        if (!writing) {
          try (Statement st = conn.createStatement()) {
            st.execute("SET threads = " + threads);
          }
          writing = true;
        }
        w = new WriterConnection(conn.duplicate().unwrap(DuckDBConnection.class));
      }
      writers.put(t, w);
    }
    return w;
  }

  /** Closes and forgets the store after a failed write (see {@link #writeLocked}). */
  private void forget(Exception e) {
    synchronized (this) {
      STORES.remove(file, this);
      for (WriterConnection w : writers.values()) {
        w.direct.lock(); // not while its thread appends a batch
        try {
          w.closeDirectAppenders(e);
          w.connection.close();
        } catch (SQLException closing) {
          e.addSuppressed(closing);
        } finally {
          w.direct.unlock();
        }
      }
      writers.clear();
      try {
        conn.close();
      } catch (SQLException closing) {
        e.addSuppressed(closing);
      }
    }
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException ignored) {
      // closing anyway
    }
  }

  /** DuckDB appends its native stack trace to fatal errors; the first line says what happened. */
  private static String firstLine(String message) {
    if (message == null) {
      return "no message";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl).strip();
  }

  private static String stagingName(TableSpec spec) {
    return "_stage_" + spec.name();
  }

  private static String keysName(TableSpec spec) {
    return "_keys_" + spec.name();
  }

  private static String literal(Object v) {
    if (v instanceof Number) {
      return v.toString();
    }
    return "'" + v.toString().replace("'", "''") + "'";
  }

  /**
   * Appends one row of {@code spec} (its column order and Java types) as every write does; public
   * for the benchmark that measures DuckDB's Appender on its own ({@code dw.bench.StoreFloor}).
   */
  public static void appendRow(DuckDBAppender app, TableSpec spec, Object[] row)
      throws SQLException {
    app.beginRow();
    ColumnType[] types = spec.layout().types();
    for (int i = 0; i < row.length; i++) {
      appendValue(app, types[i], row[i]);
    }
    app.endRow();
  }

  private static void appendValue(DuckDBAppender app, ColumnType type, Object v) throws SQLException {
    if (v == null) {
      app.appendNull();
      return;
    }
    switch (type) {
      case TEXT -> app.append((String) v);
      case INTEGER -> app.append(((Number) v).intValue());
      case BIGINT -> app.append(((Number) v).longValue());
      case BOOLEAN -> app.append((boolean) (Boolean) v);
      // dates and timestamps as epoch days and microseconds (UTC): no LocalDateTime round trip
      case DATE -> app.appendEpochDays(Math.toIntExact(((LocalDate) v).toEpochDay()));
      case TIMESTAMP -> app.appendEpochMicros(epochMicros((Instant) v));
      default -> throw new IllegalStateException("unhandled type " + type);
    }
  }

  static long epochMicros(Instant t) {
    return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1_000);
  }

  /** Closes every store of this JVM (tests, and the CLI before it reads the file elsewhere). */
  public static synchronized void closeAll() {
    for (DuckDbStore s : STORES.values()) {
      for (WriterConnection w : s.writers.values()) {
        w.closeDirectAppenders(new Exception("closing"));
        closeQuietly(w.connection);
      }
      s.writers.clear();
      try {
        s.conn.close();
      } catch (SQLException ignored) {
        // closing anyway
      }
    }
    STORES.clear();
  }
}

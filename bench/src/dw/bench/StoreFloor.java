package dw.bench;

import dw.io.tables.SecurityTables;
import dw.io.warehouse.Column;
import dw.io.warehouse.DuckDbStore;
import dw.io.warehouse.PendingRows;
import dw.io.warehouse.TableSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * What storing {@code security_server_daily} alone costs: the rows a backfill wrote, read back
 * into memory first, then written into new DuckDB files twice, on one thread:
 *
 * <ul>
 *   <li>{@code store}: by the pipeline's own {@link DuckDbStore} (batches of 20 000 rows, as
 *       WriteToWarehouse sends them, the key ledger, the Appender, the final checkpoint);
 *   <li>{@code appender}: DuckDB's Appender alone, the same batches, one transaction each, into the
 *       same table definition, then the checkpoint: DuckDB's own cost of storing the rows.
 * </ul>
 *
 * The process's CPU time (every thread, DuckDB's native ones too) is measured from the first write
 * to the closed file, after a full GC, so that reading the rows is not counted. The DuckDB
 * reference query writes no table: this is the part of the backfill's CPU it does not pay for.
 * Prints one JSON line. Usage: {@code StoreFloor <warehouse.duckdb> <work dir>}; run it with a
 * heap that holds the rows (about 3 GB for 2.3 M rows) and the default collector (G1: with the
 * parallel collector, collections of the large old generation would be counted).
 */
public final class StoreFloor {
  /** WriteToWarehouse's rows per write (MAX_PENDING_ROWS). */
  static final int BATCH = 20_000;

  public static void main(String[] args) throws Exception {
    Path source = Paths.get(args[0]);
    Path work = Paths.get(args[1]);
    TableSpec spec = SecurityTables.SERVER_DAILY;
    List<Object[]> rows = read(source, spec);
    double store = load(rows, spec, work.resolve("store-floor-store.duckdb"), true);
    double appender = load(rows, spec, work.resolve("store-floor-appender.duckdb"), false);
    System.out.printf(
        "{\"rows\":%d,\"columns\":%d,\"store_cpu_seconds\":%.2f,\"appender_cpu_seconds\":%.2f}%n",
        rows.size(), spec.columns().size(), store, appender);
  }

  /** Loads the rows into a new file; returns the CPU seconds from the first write to the closed file. */
  static double load(List<Object[]> rows, TableSpec spec, Path target, boolean throughStore) throws Exception {
    Files.deleteIfExists(target);
    Files.deleteIfExists(Paths.get(target + ".wal"));
    DuckDbStore store = DuckDbStore.open(target.toString()); // the pipeline's settings
    store.ensureTable(spec);
    System.gc();
    double cpu0 = processCpuSeconds();
    if (throughStore) {
      for (int from = 0; from < rows.size(); from += BATCH) {
        PendingRows batch = new PendingRows(spec);
        for (Object[] row : rows.subList(from, Math.min(rows.size(), from + BATCH))) {
          batch.addRow(row);
        }
        store.write(batch);
      }
    } else {
      try (DuckDBConnection c = store.newConnection().unwrap(DuckDBConnection.class)) {
        for (int from = 0; from < rows.size(); from += BATCH) {
          c.setAutoCommit(false);
          try (DuckDBAppender app = c.createAppender(DuckDBConnection.DEFAULT_SCHEMA, spec.name())) {
            for (Object[] row : rows.subList(from, Math.min(rows.size(), from + BATCH))) {
              DuckDbStore.appendRow(app, spec, row);
            }
          }
          c.commit();
          c.setAutoCommit(true);
        }
      }
    }
    DuckDbStore.closeAll(); // the checkpoint that compresses the table, as at the end of a job
    double cpu = processCpuSeconds() - cpu0;
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement()) {
      st.execute("ATTACH '" + target.toString().replace("'", "''") + "' AS t (READ_ONLY)");
      try (ResultSet r = st.executeQuery("SELECT count(*) FROM t." + spec.name())) {
        r.next();
        if (r.getLong(1) != rows.size()) {
          throw new IllegalStateException(target + ": stored " + r.getLong(1) + " rows of " + rows.size());
        }
      }
    }
    return cpu;
  }


  /** The table's rows as the binding hands them to the store (column order and Java types of the spec). */
  static List<Object[]> read(Path warehouse, TableSpec spec) throws Exception {
    List<Column> cols = spec.columns();
    StringBuilder select = new StringBuilder("SELECT ");
    for (int i = 0; i < cols.size(); i++) {
      select.append(i == 0 ? "" : ", ").append(cols.get(i).name());
    }
    List<Object[]> rows = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement()) {
      st.execute("ATTACH '" + warehouse.toString().replace("'", "''") + "' AS w (READ_ONLY)");
      try (ResultSet r = st.executeQuery(select + " FROM w." + spec.name())) {
        while (r.next()) {
          Object[] row = new Object[cols.size()];
          for (int i = 0; i < row.length; i++) {
            row[i] =
                switch (cols.get(i).type()) {
                  case TEXT -> r.getString(i + 1);
                  case INTEGER -> (Integer) r.getObject(i + 1, Integer.class);
                  case BIGINT -> (Long) r.getObject(i + 1, Long.class);
                  case BOOLEAN -> (Boolean) r.getObject(i + 1, Boolean.class);
                  case DATE -> r.getObject(i + 1, java.time.LocalDate.class);
                  case TIMESTAMP -> {
                    java.time.LocalDateTime t = r.getObject(i + 1, java.time.LocalDateTime.class);
                    yield t == null ? null : t.toInstant(java.time.ZoneOffset.UTC);
                  }
                };
          }
          rows.add(row);
        }
      }
    }
    return rows;
  }

  /** user + system CPU of this process, all threads (Linux /proc). */
  static double processCpuSeconds() throws Exception {
    String s = Files.readString(Paths.get("/proc/self/stat"));
    String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
  }
}

package dw.io.warehouse;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A warehouse table: its columns, its key, and how a write replaces earlier rows.
 *
 * <p>{@link WriteMode#UPSERT}: each row replaces the row with the same key. {@link
 * WriteMode#REPLACE_SCOPE}: a write carries complete snapshots of one or more scopes (values of
 * {@link #scopeColumn()}, e.g. a {@code log_date}); every earlier row of those scopes is removed
 * and the snapshot inserted, in one transaction. Both make re-runs and refined windows idempotent.
 */
public final class TableSpec implements Serializable {
  public enum WriteMode {
    UPSERT,
    REPLACE_SCOPE
  }

  private final String name;
  private final List<Column> columns;
  private final List<String> keyColumns;
  private final WriteMode mode;
  private final String scopeColumn;
  /** Column name → position, built on first use (rows are bound by name per element). */
  private transient java.util.Map<String, Integer> index;
  /** The columns as arrays, built on first use ({@link NamedRow} checks every value against them). */
  private transient Layout layout;

  /** Column names, Java types, nullability and SQL types by position. */
  record Layout(String[] names, Class<?>[] javaTypes, boolean[] nullable, ColumnType[] types) {}

  Layout layout() {
    Layout l = layout;
    if (l == null) {
      int n = columns.size();
      String[] names = new String[n];
      Class<?>[] javaTypes = new Class<?>[n];
      boolean[] nullable = new boolean[n];
      ColumnType[] types = new ColumnType[n];
      for (int i = 0; i < n; i++) {
        Column c = columns.get(i);
        names[i] = c.name();
        javaTypes[i] = NamedRow.javaType(c.type());
        nullable[i] = c.nullable();
        types[i] = c.type();
      }
      l = new Layout(names, javaTypes, nullable, types);
      layout = l; // racy but idempotent
    }
    return l;
  }

  private TableSpec(
      String name, List<Column> columns, List<String> keyColumns, WriteMode mode, String scope) {
    this.name = Objects.requireNonNull(name);
    this.columns = List.copyOf(columns);
    this.keyColumns = List.copyOf(keyColumns);
    this.mode = mode;
    this.scopeColumn = scope;
    for (String k : keyColumns) {
      if (indexOf(k) < 0) {
        throw new IllegalArgumentException(name + ": key column " + k + " is not a column");
      }
    }
    if (scope != null && indexOf(scope) < 0) {
      throw new IllegalArgumentException(name + ": scope column " + scope + " is not a column");
    }
  }

  public static TableSpec upsert(String name, List<Column> columns, String... keys) {
    return new TableSpec(name, columns, List.of(keys), WriteMode.UPSERT, null);
  }

  public static TableSpec replaceScope(
      String name, List<Column> columns, String scopeColumn, String... keys) {
    return new TableSpec(name, columns, List.of(keys), WriteMode.REPLACE_SCOPE, scopeColumn);
  }

  public String name() {
    return name;
  }

  public List<Column> columns() {
    return columns;
  }

  public List<String> keyColumns() {
    return keyColumns;
  }

  public WriteMode mode() {
    return mode;
  }

  public String scopeColumn() {
    return scopeColumn;
  }

  /** A row to fill by column name (see {@link NamedRow}). */
  public NamedRow row() {
    return new NamedRow(this);
  }

  public int indexOf(String column) {
    java.util.Map<String, Integer> idx = index;
    if (idx == null) {
      idx = new java.util.HashMap<>();
      for (int i = 0; i < columns.size(); i++) {
        idx.put(columns.get(i).name(), i);
      }
      index = idx; // racy but idempotent
    }
    Integer i = idx.get(column);
    return i == null ? -1 : i;
  }

  /** Positions of the key columns in a row array. */
  public int[] keyIndexes() {
    int[] idx = new int[keyColumns.size()];
    for (int i = 0; i < idx.length; i++) {
      idx[i] = indexOf(keyColumns.get(i));
    }
    return idx;
  }

  public List<String> columnNames() {
    List<String> names = new ArrayList<>(columns.size());
    for (Column c : columns) {
      names.add(c.name());
    }
    return names;
  }

  /** {@code CREATE TABLE IF NOT EXISTS} for the dialect. */
  public String createTableSql(Dialect dialect) {
    StringBuilder sb = new StringBuilder("CREATE TABLE IF NOT EXISTS ").append(name).append(" (");
    for (Column c : columns) {
      sb.append("\n  ").append(c.name()).append(' ').append(c.type().sqlType(dialect));
      if (!c.nullable()) {
        sb.append(" NOT NULL");
      }
      sb.append(',');
    }
    if (dialect == Dialect.DUCKDB) {
      // No primary-key index on the embedded warehouse: DuckDB maintains it row by row on every
      // load (a backfill's 655 k rows took about 3 s longer), and its own docs advise against keys on
      // bulk-loaded tables. Keys stay unique because every write deletes the keys it writes that
      // the table may hold (KeyLedger) and appends them in one transaction, with writes serialized
      // per file (DuckDbStore).
      sb.setLength(sb.length() - 1);
      sb.append("\n)");
    } else {
      sb.append("\n  PRIMARY KEY (").append(String.join(", ", keyColumns)).append(")\n)");
    }
    return sb.toString();
  }

  /**
   * {@code ALTER TABLE … ADD COLUMN IF NOT EXISTS} for every nullable column, run after {@link
   * #createTableSql}: a table created by an earlier version gains the columns added since (new
   * columns are appended to the spec, so the column order stays that of the spec).
   */
  public List<String> addColumnsSql(Dialect dialect, String table) {
    List<String> out = new ArrayList<>();
    for (Column c : columns) {
      if (c.nullable()) {
        out.add(
            "ALTER TABLE " + table + " ADD COLUMN IF NOT EXISTS " + c.name() + ' ' + c.type().sqlType(dialect));
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return name;
  }
}

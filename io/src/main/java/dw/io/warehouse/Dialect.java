package dw.io.warehouse;

/** The SQL dialects the sink layer writes. */
public enum Dialect {
  /** Embedded DuckDB file: bulk Appender into a staging table, then a set-based merge. */
  DUCKDB,
  /** PostgreSQL through Beam JdbcIO: {@code INSERT … ON CONFLICT … DO UPDATE}. */
  POSTGRES;
}

package dw.io.warehouse;

/** The SQL dialects the sink layer writes. */
public enum Dialect {
  /** Embedded DuckDB file: bulk Appender into a staging table, then a set-based merge. */
  DUCKDB,
  /** PostgreSQL through Beam JdbcIO: {@code INSERT … ON CONFLICT … DO UPDATE}. */
  POSTGRES,
  /**
   * Snowflake through Beam SnowflakeIO: gzip CSV files staged in S3, {@code COPY INTO} a load
   * table, then {@code MERGE} into the target (see {@code dw.io.snowflake}).
   */
  SNOWFLAKE;
}

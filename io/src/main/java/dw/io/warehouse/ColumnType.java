package dw.io.warehouse;

/** The few column types our tables use, with their spelling per SQL dialect. */
public enum ColumnType {
  TEXT("VARCHAR", "TEXT", "VARCHAR"),
  INTEGER("INTEGER", "INTEGER", "INTEGER"),
  BIGINT("BIGINT", "BIGINT", "BIGINT"),
  BOOLEAN("BOOLEAN", "BOOLEAN", "BOOLEAN"),
  DATE("DATE", "DATE", "DATE"),
  /** UTC instant; Java value {@link java.time.Instant}. */
  TIMESTAMP("TIMESTAMP", "TIMESTAMP", "TIMESTAMP_NTZ");

  private final String duckDb;
  private final String postgres;
  private final String snowflake;

  ColumnType(String duckDb, String postgres, String snowflake) {
    this.duckDb = duckDb;
    this.postgres = postgres;
    this.snowflake = snowflake;
  }

  public String sqlType(Dialect dialect) {
    return switch (dialect) {
      case POSTGRES -> postgres;
      case SNOWFLAKE -> snowflake;
      case DUCKDB -> duckDb;
    };
  }
}

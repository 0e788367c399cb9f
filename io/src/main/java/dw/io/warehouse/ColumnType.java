package dw.io.warehouse;

/** The few column types our tables use, with their spelling per SQL dialect. */
public enum ColumnType {
  TEXT("VARCHAR", "TEXT"),
  INTEGER("INTEGER", "INTEGER"),
  BIGINT("BIGINT", "BIGINT"),
  BOOLEAN("BOOLEAN", "BOOLEAN"),
  DATE("DATE", "DATE"),
  /** UTC instant; Java value {@link java.time.Instant}. */
  TIMESTAMP("TIMESTAMP", "TIMESTAMP");

  private final String duckDb;
  private final String postgres;

  ColumnType(String duckDb, String postgres) {
    this.duckDb = duckDb;
    this.postgres = postgres;
  }

  public String sqlType(Dialect dialect) {
    return dialect == Dialect.POSTGRES ? postgres : duckDb;
  }
}

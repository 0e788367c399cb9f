package dw.io.warehouse;

import java.io.Serializable;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Locale;
import java.util.Map;
import dw.io.snowflake.SnowflakeConfig;

/**
 * The {@code --warehouse} value, validated: which dialect, and a JDBC URL safe to log.
 *
 * <p>Accepted: empty (the embedded default, {@value #DEFAULT_EMBEDDED}), {@code jdbc:duckdb:<file>},
 * a plain path ending in {@code .duckdb}, or {@code jdbc:postgresql://host:port/db}. Credentials
 * for PostgreSQL come from the URL's {@code user}/{@code password} parameters or from the
 * environment ({@code DW_WAREHOUSE_USER}, {@code DW_WAREHOUSE_PASSWORD} or {@code
 * DW_WAREHOUSE_PASSWORD_FILE}); {@link #toString()} never shows a password.
 */
public final class WarehouseUrl implements Serializable {
  public static final String DEFAULT_EMBEDDED = "./data/warehouse.duckdb";

  private final Dialect dialect;
  private final String jdbcUrl;
  private final String duckDbFile;
  private final SnowflakeConfig snowflake;

  private WarehouseUrl(Dialect dialect, String jdbcUrl, String duckDbFile) {
    this(dialect, jdbcUrl, duckDbFile, null);
  }

  private WarehouseUrl(Dialect dialect, String jdbcUrl, String duckDbFile, SnowflakeConfig sf) {
    this.dialect = dialect;
    this.jdbcUrl = jdbcUrl;
    this.duckDbFile = duckDbFile;
    this.snowflake = sf;
  }

  /** Parses a {@code --warehouse} value; throws with a message naming the option and the fix. */
  public static WarehouseUrl parse(String value) {
    return parse(value, System.getenv(), SnowflakeConfig.Overrides.none());
  }

  /**
   * As {@link #parse(String)}, and {@code snowflake} / {@code snowflake://ACCOUNT/DATABASE/SCHEMA}
   * configured from {@code env} and the {@code --snowflake*} options ({@link SnowflakeConfig}).
   */
  public static WarehouseUrl parse(
      String value, Map<String, String> env, SnowflakeConfig.Overrides snowflakeOptions) {
    String v = value == null ? "" : value.trim();
    if (v.isEmpty()) {
      v = DEFAULT_EMBEDDED;
    }
    String lower = v.toLowerCase(Locale.ROOT);
    if (lower.equals("snowflake") || lower.startsWith("snowflake://")) {
      return new WarehouseUrl(
          Dialect.SNOWFLAKE, null, null, SnowflakeConfig.parse(v, env, snowflakeOptions));
    }
    if (lower.startsWith("jdbc:duckdb:")) {
      String file = v.substring("jdbc:duckdb:".length());
      if (file.isEmpty() || file.startsWith(":memory:")) {
        throw new IllegalArgumentException(
            "--warehouse="
                + value
                + ": an in-memory DuckDB is not shared between pipeline workers; give a file,"
                + " e.g. jdbc:duckdb:./data/warehouse.duckdb");
      }
      return duckDb(file);
    }
    if (lower.startsWith("jdbc:postgresql:")) {
      return new WarehouseUrl(Dialect.POSTGRES, v, null);
    }
    if (lower.startsWith("jdbc:")) {
      throw new IllegalArgumentException(
          "--warehouse="
              + redact(value)
              + ": unsupported JDBC warehouse; supported are jdbc:duckdb:<file> (embedded) and"
              + " jdbc:postgresql://host:port/database");
    }
    if (lower.endsWith(".duckdb") || lower.endsWith(".db")) {
      return duckDb(v);
    }
    throw new IllegalArgumentException(
        "--warehouse="
            + redact(value)
            + ": not a warehouse URL; use jdbc:duckdb:<file>, a path ending in .duckdb, or"
            + " jdbc:postgresql://host:port/database, or snowflake://ACCOUNT/DATABASE/SCHEMA");
  }

  private static WarehouseUrl duckDb(String file) {
    Path p = Paths.get(file).toAbsolutePath().normalize();
    return new WarehouseUrl(Dialect.DUCKDB, "jdbc:duckdb:" + p, p.toString());
  }

  public Dialect dialect() {
    return dialect;
  }

  /** Full JDBC URL (may contain credentials: do not log; use {@link #toString()}). */
  public String jdbcUrl() {
    return jdbcUrl;
  }

  /** The Snowflake configuration, or null for other dialects. */
  public SnowflakeConfig snowflake() {
    return snowflake;
  }

  /** The DuckDB file path, or null for other dialects. */
  public String duckDbFile() {
    return duckDbFile;
  }

  /** User name from the environment, or null to use the URL's. */
  public static String envUser() {
    return System.getenv("DW_WAREHOUSE_USER");
  }

  /** Password from the environment or the file it names, or null to use the URL's. */
  public static String envPassword() {
    String pw = System.getenv("DW_WAREHOUSE_PASSWORD");
    if (pw != null) {
      return pw;
    }
    String file = System.getenv("DW_WAREHOUSE_PASSWORD_FILE");
    if (file != null) {
      try {
        return java.nio.file.Files.readString(Paths.get(file)).strip();
      } catch (java.io.IOException e) {
        throw new IllegalArgumentException(
            "DW_WAREHOUSE_PASSWORD_FILE=" + file + ": cannot read the password file: " + e);
      }
    }
    return null;
  }

  static String redact(String url) {
    return url == null ? null : url.replaceAll("(?i)(password=)[^&;]*", "$1***");
  }

  @Override
  public String toString() {
    return snowflake != null ? snowflake.toString() : redact(jdbcUrl);
  }
}
